// /proc/net/tcp and /proc/net/tcp6: one socket per line, addresses in hex, state 0A = LISTEN.
import { ParseError } from './parse-error';

export interface TcpSocket {
  localAddress: string;
  localPort: number;
  state: number;
  listening: boolean;
}

const LISTEN = 0x0a;

/** RFC 5952 text: the longest run of two or more zero groups becomes '::'. */
function compressIpv6(groups: string[]): string {
  let best = { at: -1, len: 1 };
  for (let i = 0; i < groups.length; ) {
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j > i ? j : i + 1;
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}

function hexAddress(hex: string): string {
  if (hex.length === 8) {
    // IPv4 in host (little-endian) byte order.
    const b = hex.match(/../g)!.map((h) => parseInt(h, 16)).reverse();
    return b.join('.');
  }
  if (hex.length === 32) {
    // IPv6 as four little-endian 32-bit words.
    const words = hex.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join(''));
    const groups = words.join('').match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, '').toLowerCase());
    return compressIpv6(groups);
  }
  throw new ParseError('an address is neither IPv4 nor IPv6');
}

export function parseProcNetTcp(text: string): TcpSocket[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  if (!/^\s*sl\s+local_address/.test(lines[0]!)) throw new ParseError('missing the "sl local_address" header', 1);
  return lines.slice(1).map((line, i) => {
    const f = line.trim().split(/\s+/);
    const local = f[1];
    const st = f[3];
    const m = local ? /^([0-9A-Fa-f]+):([0-9A-Fa-f]{4})$/.exec(local) : null;
    if (!m || !st || !/^[0-9A-Fa-f]{2}$/.test(st)) throw new ParseError('not a socket line', i + 2);
    const state = parseInt(st, 16);
    return { localAddress: hexAddress(m[1]!), localPort: parseInt(m[2]!, 16), state, listening: state === LISTEN };
  });
}
