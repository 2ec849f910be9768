// PCIe link attributes of a device in sysfs: current_link_speed / max_link_speed such as
// `16.0 GT/s PCIe` (older kernels: `8 GT/s`), or `Unknown` when the kernel cannot tell; and
// current_link_width / max_link_width, a lane count such as `16`.
import { ParseError } from './parse-error';

/** Transfer rate in GT/s, or null for `Unknown`. */
export function parseLinkSpeed(text: string): number | null {
  const t = text.trim();
  if (/^unknown( speed)?$/i.test(t)) return null;
  const m = /^(\d+(?:\.\d+)?) GT\/s(?: PCIe)?$/.exec(t);
  if (!m) throw new ParseError('not a PCIe link speed');
  return Number(m[1]);
}

/** Lanes, or null when the kernel writes 0 (no link trained). */
export function parseLinkWidth(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,2}$/.test(t)) throw new ParseError('not a PCIe link width');
  const n = Number(t);
  return n === 0 ? null : n;
}
