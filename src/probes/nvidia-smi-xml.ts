// `nvidia-smi -q -x`, run once per run and shared by the GPU health checks: one read of the driver
// answers ECC, retired pages, row remapping, clock event reasons and persistence mode for every GPU
// (azurehpc-health-checks runs a separate nvidia-smi query for each).
import type { Host } from '../host/host';
import { nvidiaSmiFailure } from '../parsers/nvidia-smi';
import { parseNvidiaSmiXml, type NvidiaSmiLog } from '../parsers/nvidia-smi-xml';
import { ParseError } from '../parsers/parse-error';

export const NVIDIA_SMI_XML_ARGS = ['-q', '-x'] as const;
/** Eight GPUs with every section run to about 400 KiB; more than this is not a log worth reading. */
const OUTPUT_CAP = 4 * 1024 * 1024;

export type NvidiaSmiXmlProbe =
  | { state: 'ok'; log: NvidiaSmiLog; summary: string }
  | { state: 'not-found'; summary: string }
  /** The driver answered that it cannot be reached or has no devices: a known failure, not a hang. */
  | { state: 'driver-failed'; reason: string; summary: string }
  /** It hung, crashed, failed in an unknown way or printed something else: nothing can be told. */
  | { state: 'unknown'; reason: string; summary: string };

export function nvidiaSmiXml(host: Host): Promise<NvidiaSmiXmlProbe> {
  return host.probe('nvidia-smi-xml', async () => {
    const r = await host.exec('nvidia-smi', NVIDIA_SMI_XML_ARGS, { outputCap: OUTPUT_CAP });
    const summary = r.summary;
    switch (r.outcome) {
      case 'not-found':
        return { state: 'not-found', summary };
      case 'timeout':
        return { state: 'unknown', reason: `driver or GPU not responding: ${summary}`, summary };
      case 'crashed':
        return { state: 'unknown', reason: `nvidia-smi did not finish normally: ${summary}`, summary };
      case 'exited':
        break;
    }
    const output = `${r.stdout}\n${r.stderr}`.trim();
    if (r.exitCode !== 0) {
      const known = nvidiaSmiFailure(output);
      if (known === 'driver-unreachable') return { state: 'driver-failed', reason: "nvidia-smi couldn't communicate with the NVIDIA driver", summary };
      if (known === 'no-devices') return { state: 'driver-failed', reason: 'nvidia-smi found no devices', summary };
      return { state: 'unknown', reason: `nvidia-smi -q -x failed (exit ${r.exitCode}): ${output.split('\n')[0]?.slice(0, 200) ?? ''}`, summary };
    }
    if (r.truncated) return { state: 'unknown', reason: `nvidia-smi -q -x printed more than ${OUTPUT_CAP} bytes: the log was cut short`, summary };
    try {
      return { state: 'ok', log: parseNvidiaSmiXml(r.stdout), summary };
    } catch (err) {
      if (err instanceof ParseError) return { state: 'unknown', reason: `nvidia-smi -q -x printed output that is not its XML log: ${err.message}`, summary };
      throw err;
    }
  });
}
