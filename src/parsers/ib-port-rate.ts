// /sys/class/infiniband/<dev>/ports/<n>/rate: `<Gb/s> Gb/sec (<width> <speed>)`, e.g.
// `400 Gb/sec (4X NDR)`, `200 Gb/sec (4X HDR)`, `100 Gb/sec (2X HDR)`, `2.5 Gb/sec (1X SDR)`; a port
// without a link may show the slowest rate, so the rate is judged together with the state.
import { ParseError } from './parse-error';

export interface IbPortRate {
  gbps: number;
  /** e.g. "4X NDR", when given. */
  lanes: string | null;
}

export function parseIbPortRate(text: string): IbPortRate {
  const m = /^(\d+(?:\.\d+)?) Gb\/sec(?: \(([^()]*)\))?$/.exec(text.trim());
  if (!m) throw new ParseError('not an InfiniBand port rate');
  return { gbps: Number(m[1]), lanes: m[2] ?? null };
}
