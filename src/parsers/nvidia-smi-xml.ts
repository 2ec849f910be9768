// Output of `nvidia-smi -q -x`: one <nvidia_smi_log> with a <gpu> per device (NVIDIA's DTD
// nvsmi_device_v12.dtd). Read once per run for every GPU health fact: ECC counters, retired pages,
// row remapping, clock event reasons, persistence mode. Element names changed over driver branches:
// <clocks_throttle_reasons>/<clocks_throttle_reason_*> became <clocks_event_reasons>/
// <clocks_event_reason_*> (driver 535+, as azurehpc-health-checks' azure_gpu_clock_throttling.nhc
// switches its query at 535.54.03), and SRAM uncorrectable counts split into _parity and _secded
// (555). Pre-Ampere drivers count uncorrectable errors as <volatile><double_bit><total>.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ParseError } from './parse-error';

/** Yes / No, or null when the GPU does not report it (N/A, [Not Supported], absent). */
export type YesNo = boolean | null;

export interface XmlGpu {
  /** The <gpu id=...> attribute, e.g. 00000000:18:00.0. */
  busId: string;
  name: string;
  persistence: 'Enabled' | 'Disabled' | 'unknown';
  /** Volatile (since the driver loaded) uncorrectable ECC errors, DRAM and SRAM together; null when not reported. */
  volatileUncorrectable: number | null;
  /** Pages waiting to be retired at the next driver reload (pre-Ampere page retirement). */
  retirementPending: YesNo;
  /** Ampere and later: a row remap waits for a GPU reset; a remap failed (the GPU has no spare rows left). */
  remapPending: YesNo;
  remapFailure: YesNo;
  /** Clock event reasons reported Active, by their short name (hw_slowdown, gpu_idle, ...). */
  activeClockReasons: string[];
}

export interface NvidiaSmiLog {
  driverVersion: string | null;
  gpus: XmlGpu[];
}

type Element = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  // The DOCTYPE names an external DTD; nothing of it is read or expanded.
  processEntities: false,
});

const UNAVAILABLE = /^(N\/A|\[?Not Supported\]?|\[?Unknown Error\]?|\[?Insufficient Permissions\]?|\[?GPU is lost\]?)$/i;

function child(el: Element | undefined, name: string): Element | string | undefined {
  const list = el?.[name] as unknown[] | undefined;
  const first = list?.[0];
  if (first === undefined) return undefined;
  return typeof first === 'object' && first !== null ? (first as Element) : String(first);
}

function elementAt(el: Element | undefined, ...names: string[]): Element | undefined {
  let cur: Element | undefined = el;
  for (const n of names) {
    const c = child(cur, n);
    cur = typeof c === 'object' ? c : undefined;
  }
  return cur;
}

/** The text of a leaf element, trimmed; null when it is absent or says the value is not available. */
function text(el: Element | undefined, name: string): string | null {
  const c = child(el, name);
  if (c === undefined) return null;
  const t = (typeof c === 'string' ? c : typeof c['#text'] === 'string' ? (c['#text'] as string) : '').trim();
  return t === '' || UNAVAILABLE.test(t) ? null : t;
}

function count(el: Element | undefined, name: string, where: string): number | null {
  const t = text(el, name);
  if (t === null) return null;
  if (!/^\d+$/.test(t)) throw new ParseError(`${where}/${name} is not a count`);
  return Number(t);
}

function yesNo(el: Element | undefined, name: string, where: string): YesNo {
  const t = text(el, name);
  if (t === null) return null;
  if (/^yes$/i.test(t)) return true;
  if (/^no$/i.test(t)) return false;
  throw new ParseError(`${where}/${name} is not Yes or No`);
}

const sumKnown = (values: (number | null)[]): number | null => (values.every((v) => v === null) ? null : values.reduce<number>((a, v) => a + (v ?? 0), 0));

function volatileUncorrectable(gpu: Element, where: string): number | null {
  const vol = elementAt(gpu, 'ecc_errors', 'volatile');
  if (!vol) return null;
  const w = `${where}/ecc_errors/volatile`;
  const dbe = elementAt(vol, 'double_bit');
  if (dbe) return count(dbe, 'total', `${w}/double_bit`);
  return sumKnown(['dram_uncorrectable', 'sram_uncorrectable', 'sram_uncorrectable_parity', 'sram_uncorrectable_secded'].map((n) => count(vol, n, w)));
}

function activeClockReasons(gpu: Element, where: string): string[] {
  for (const [group, prefix] of [
    ['clocks_event_reasons', 'clocks_event_reason_'],
    ['clocks_throttle_reasons', 'clocks_throttle_reason_'],
  ] as const) {
    const el = elementAt(gpu, group);
    if (!el) continue;
    return Object.keys(el)
      .filter((k) => k.startsWith(prefix))
      .filter((k) => {
        const t = text(el, k);
        if (t === null || /^not active$/i.test(t)) return false;
        if (/^active$/i.test(t)) return true;
        throw new ParseError(`${where}/${group}/${k} is not Active or Not Active`);
      })
      .map((k) => k.slice(prefix.length));
  }
  return [];
}

function gpuOf(gpu: Element, i: number): XmlGpu {
  const where = `gpu[${i}]`;
  const busId = typeof gpu['@_id'] === 'string' ? gpu['@_id'] : text(elementAt(gpu, 'pci'), 'pci_bus_id');
  if (!busId) throw new ParseError(`${where} has no id (PCI bus id)`);
  const name = text(gpu, 'product_name');
  if (!name) throw new ParseError(`${where} has no product_name`);
  const pm = text(gpu, 'persistence_mode');
  const persistence = pm === null ? 'unknown' : /^enabled$/i.test(pm) ? 'Enabled' : /^disabled$/i.test(pm) ? 'Disabled' : null;
  if (persistence === null) throw new ParseError(`${where}/persistence_mode is not Enabled or Disabled`);
  const retired = elementAt(gpu, 'retired_pages');
  const remap = elementAt(gpu, 'remapped_rows');
  return {
    busId,
    name,
    persistence,
    volatileUncorrectable: volatileUncorrectable(gpu, where),
    // Older logs say <pending_blacklist>; newer ones add <pending_retirement> beside it (555's has both).
    retirementPending: yesNo(retired, 'pending_retirement', `${where}/retired_pages`) ?? yesNo(retired, 'pending_blacklist', `${where}/retired_pages`),
    remapPending: yesNo(remap, 'remapped_row_pending', `${where}/remapped_rows`),
    remapFailure: yesNo(remap, 'remapped_row_failure', `${where}/remapped_rows`),
    activeClockReasons: activeClockReasons(gpu, where),
  };
}

export function parseNvidiaSmiXml(xml: string): NvidiaSmiLog {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new ParseError('not well-formed XML', valid.err.line, valid.err.col);
  let doc: Element;
  try {
    doc = parser.parse(xml) as Element;
  } catch {
    throw new ParseError('not XML that can be read safely');
  }
  const root = elementAt(doc, 'nvidia_smi_log');
  if (!root) throw new ParseError('the document element is not <nvidia_smi_log>');
  const gpus = ((root.gpu as unknown[] | undefined) ?? []).map((g, i) => {
    if (typeof g !== 'object' || g === null) throw new ParseError(`gpu[${i}] is empty`);
    return gpuOf(g as Element, i);
  });
  const attached = text(root, 'attached_gpus');
  // A log that says it has more GPUs than it lists was cut short: never read it as healthy.
  if (attached !== null && Number(attached) !== gpus.length) throw new ParseError(`attached_gpus says ${attached} but ${gpus.length} <gpu> elements follow`);
  return { driverVersion: text(root, 'driver_version'), gpus };
}
