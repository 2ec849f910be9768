import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { parseProcNetTcp } from '../../src/parsers/proc-net-tcp';
import { ParseError } from '../../src/parsers/parse-error';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

describe('parseProcNetTcp', () => {
  it('decodes IPv4 and IPv6 addresses, ports and LISTEN state', () => {
    const v4 = parseProcNetTcp(`${HEADER}   0: 0100007F:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n   1: 0400000A:01BB 0100000A:D3A2 01 0:0 0 0 0 0 0\n`);
    expect(v4).toEqual([
      { localAddress: '127.0.0.1', localPort: 22, state: 10, listening: true },
      { localAddress: '10.0.0.4', localPort: 443, state: 1, listening: false },
    ]);
    const v6 = parseProcNetTcp(`${HEADER}   0: 00000000000000000000000001000000:74B4 00000000000000000000000000000000:0000 0A 0 0 0 0 0 0\n   1: B80D0120000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 0 0 0 0 0 0\n`);
    expect(v6.map((s) => `${s.localAddress}:${s.localPort}`)).toEqual(['::1:29876', '2001:db8::1:22']);
  });

  it('rejects what is not /proc/net/tcp with ParseError', () => {
    expect(() => parseProcNetTcp('garbage\n')).toThrow(ParseError);
    expect(() => parseProcNetTcp(`${HEADER}   0: XYZ 0 0A\n`)).toThrow(ParseError);
    expect(parseProcNetTcp('')).toEqual([]);
  });

  it('never throws anything but ParseError on arbitrary input', () => {
    const line = fc.tuple(fc.stringMatching(/^[0-9A-F]{0,34}$/), fc.stringMatching(/^[0-9A-F]{0,5}$/), fc.stringMatching(/^[0-9A-F]{0,3}$/), fc.string()).map(([a, p, st, rest]) => `   0: ${a}:${p} 00000000:0000 ${st} ${rest}`);
    holds(
      fc.property(fc.oneof(fc.string(), fc.array(line).map((ls) => HEADER + ls.join('\n'))), (text) => {
        try {
          parseProcNetTcp(text);
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
