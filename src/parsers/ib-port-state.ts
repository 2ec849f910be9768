// /sys/class/infiniband/<dev>/ports/<n>/state holds `<code>: <NAME>`, e.g. `4: ACTIVE`, `1: DOWN`, `2: INIT`;
// phys_state the same shape in mixed case, e.g. `5: LinkUp`, `2: Polling`, `7: Phy Test`.
import { ParseError } from './parse-error';

export interface IbPortState {
  code: number;
  name: string;
}

export function parseIbPortState(text: string): IbPortState {
  const m = /^(\d+):\s*([A-Z_]+)$/.exec(text.trim());
  if (!m) throw new ParseError('not an InfiniBand port state');
  return { code: Number(m[1]), name: m[2]! };
}

export function parseIbPhysState(text: string): IbPortState {
  const m = /^(\d+):\s*([A-Za-z][A-Za-z ]*)$/.exec(text.trim());
  if (!m) throw new ParseError('not an InfiniBand physical port state');
  return { code: Number(m[1]), name: m[2]! };
}
