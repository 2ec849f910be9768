// Output of `nvidia-smi --query-gpu=index,name,pci.bus_id,driver_version,persistence_mode --format=csv,noheader`:
// one line per GPU, fields separated by ", ", e.g. `0, NVIDIA H100 80GB HBM3, 00000000:18:00.0, 550.54.15, Enabled`.
// A field the GPU cannot report reads `[N/A]` or `[Not Supported]`.
import { ParseError } from './parse-error';

export const NVIDIA_SMI_QUERY = ['--query-gpu=index,name,pci.bus_id,driver_version,persistence_mode', '--format=csv,noheader'] as const;

export type Persistence = 'Enabled' | 'Disabled' | 'unknown';

export interface SmiGpu {
  index: number;
  name: string;
  busId: string;
  /** null when nvidia-smi says [N/A] or [Not Supported]. */
  driverVersion: string | null;
  persistence: Persistence;
}

const UNAVAILABLE = /^\[(N\/A|Not Supported|Unknown Error|Insufficient Permissions|GPU is lost)\]$/i;
// Domain (4 or 8 hex digits), bus, device, function: 00000000:18:00.0
const BUS_ID = /^[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/i;

export function parseNvidiaSmiGpus(text: string): SmiGpu[] {
  const gpus: SmiGpu[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const fields = line.split(',').map((f) => f.trim());
    if (fields.length < 5) throw new ParseError(`expected 5 comma-separated fields, got ${fields.length}`, i + 1);
    // Only the name is free text: commas in it belong to it.
    const [indexText, ...rest] = fields;
    const persistenceText = rest.pop()!;
    const driverText = rest.pop()!;
    const busText = rest.pop()!;
    const name = rest.join(', ');
    if (!/^\d+$/.test(indexText!)) throw new ParseError('field 1 (GPU index) is not a number', i + 1);
    if (!BUS_ID.test(busText)) throw new ParseError('field 2 is not a PCI bus id', i + 1);
    if (!name) throw new ParseError('empty GPU name', i + 1);
    let driverVersion: string | null = null;
    if (!UNAVAILABLE.test(driverText)) {
      if (!/^\d+(\.\d+)+$/.test(driverText)) throw new ParseError('field 4 is not a driver version', i + 1);
      driverVersion = driverText;
    }
    let persistence: Persistence;
    if (/^enabled$/i.test(persistenceText)) persistence = 'Enabled';
    else if (/^disabled$/i.test(persistenceText)) persistence = 'Disabled';
    else if (UNAVAILABLE.test(persistenceText)) persistence = 'unknown';
    else throw new ParseError('field 5 (persistence mode) is not Enabled or Disabled', i + 1);
    gpus.push({ index: Number(indexText), name, busId: busText, driverVersion, persistence });
  });
  return gpus;
}

/** Normalises a bus id to sysfs form (`0000:18:00.0`, lower case) so nvidia-smi and sysfs can be compared. */
export function sysfsBusId(busId: string): string {
  const m = /^([0-9a-f]{4,8}):(.+)$/i.exec(busId);
  if (!m) return busId.toLowerCase();
  return `${m[1]!.slice(-4)}:${m[2]}`.toLowerCase();
}

export type SmiFailure = 'driver-unreachable' | 'no-devices';

/** Known failure texts of nvidia-smi, which it prints (on stdout) with a non-zero exit. */
export function nvidiaSmiFailure(output: string): SmiFailure | null {
  if (/couldn't communicate with the NVIDIA driver/i.test(output)) return 'driver-unreachable';
  if (/No devices were found/i.test(output)) return 'no-devices';
  return null;
}
