import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { ibvDevinfoFailure, parseIbvDevinfo } from '../../src/parsers/ibv-devinfo';
import { parseIbPortState } from '../../src/parsers/ib-port-state';
import { ParseError } from '../../src/parsers/parse-error';
import { FIXTURES } from '../helpers/host';

const recorded = (f: string) => readFileSync(path.join(FIXTURES, 'outputs/ibv_devinfo', f), 'utf8');

describe('parseIbvDevinfo', () => {
  it('reads devices, port states and link layers', () => {
    const devs = parseIbvDevinfo(recorded('hbv3-ib-and-eth.txt'));
    expect(devs.map((d) => d.hcaId)).toEqual(['mlx5_0', 'mlx5_1']);
    expect(devs[0]!.transport).toBe('InfiniBand (0)');
    expect(devs[0]!.ports).toEqual([{ port: 1, state: 'PORT_ACTIVE', stateCode: 4, linkLayer: 'InfiniBand' }]);
    expect(devs[1]!.ports[0]).toMatchObject({ state: 'PORT_DOWN', stateCode: 1, linkLayer: 'Ethernet' });
  });

  it('rejects what ibv_devinfo prints without hardware, and other text', () => {
    expect(() => parseIbvDevinfo(recorded('no-hardware-debian12.stderr.txt'))).toThrow(ParseError);
    expect(() => parseIbvDevinfo('\tport:\t1\n')).toThrow(ParseError);
    expect(() => parseIbvDevinfo('hca_id:\t\n')).toThrow(ParseError);
    expect(parseIbvDevinfo('')).toEqual([]);
  });

  it('throws nothing but ParseError on any input', () => {
    const tokens = ['hca_id:', '\tmlx5_0', '\n', 'port:', ' 1', 'state:', ' PORT_ACTIVE (4)', 'link_layer:', ' InfiniBand', ' (', 'x'];
    holds(
      fc.property(fc.oneof(fc.string(), fc.array(fc.constantFrom(...tokens)).map((a) => a.join(''))), (text) => {
        try {
          parseIbvDevinfo(text);
        } catch (err) {
          expect(err).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('ibvDevinfoFailure', () => {
  it('quotes what ibv_devinfo said', () => {
    expect(ibvDevinfoFailure(recorded('no-hardware-debian12.stderr.txt'))).toBe('Failed to get IB devices list: Function not implemented');
    expect(ibvDevinfoFailure('No IB devices found\n')).toBe('No IB devices found');
    expect(ibvDevinfoFailure(recorded('hbv3-ib-and-eth.txt'))).toBeNull();
  });
});

describe('parseIbPortState', () => {
  it('reads code and name', () => {
    expect(parseIbPortState('4: ACTIVE\n')).toEqual({ code: 4, name: 'ACTIVE' });
    expect(parseIbPortState('2: INIT')).toEqual({ code: 2, name: 'INIT' });
  });
  it('throws nothing but ParseError', () => {
    holds(
      fc.property(fc.string(), (text) => {
        try {
          parseIbPortState(text);
        } catch (err) {
          expect(err).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
