// Output of `nvidia-smi nvlink --status`: a `GPU <n>: <name> (UUID: ...)` line per GPU, then one
// `Link <k>: <rate> GB/s` or `Link <k>: <inactive>` line per link (tab and spaces before it). A GPU
// without NVLink lists no link; a driver without NVLink support prints nothing. When every link of a
// GPU is down, NVML says so instead of listing them: `NVML: Unable to retrieve NVLink information as
// all links are inActive`.
import { ParseError } from './parse-error';

export interface NvlinkGpu {
  index: number;
  name: string;
  links: { link: number; active: boolean; gbps: number | null }[];
  /** NVML's "all links are inActive" under this GPU. */
  allInactive: boolean;
}

const GPU = /^GPU (\d+): (.*?)(?: \(UUID: [^)]*\))?$/;
const LINK = /^Link (\d+): (?:<inactive>|(\d+(?:\.\d+)?) GB\/s)$/;

export function parseNvlinkStatus(text: string): NvlinkGpu[] {
  const gpus: NvlinkGpu[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const g = GPU.exec(line);
    if (g) {
      gpus.push({ index: Number(g[1]), name: g[2]!, links: [], allInactive: false });
      return;
    }
    if (/all links are inactive/i.test(line)) {
      const gpu = gpus.at(-1);
      if (!gpu) throw new ParseError('an NVML message before any GPU line', i + 1);
      gpu.allInactive = true;
      return;
    }
    const l = LINK.exec(line);
    if (!l) throw new ParseError('not a GPU line or a `Link <n>: <rate> GB/s` / `<inactive>` line', i + 1);
    const gpu = gpus.at(-1);
    if (!gpu) throw new ParseError('a link line before any GPU line', i + 1);
    gpu.links.push({ link: Number(l[1]), active: l[2] !== undefined, gbps: l[2] === undefined ? null : Number(l[2]) });
  });
  return gpus;
}
