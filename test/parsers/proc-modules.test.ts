import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { parseProcModules } from '../../src/parsers/proc-modules';
import { ParseError } from '../../src/parsers/parse-error';
import { FIXTURES } from '../helpers/host';

describe('parseProcModules', () => {
  it('reads names, states and users', () => {
    const mods = parseProcModules(readFileSync(path.join(FIXTURES, 'hosts/gpu-h100x8-ok/proc/modules'), 'utf8'));
    const nvidia = mods.find((m) => m.name === 'nvidia');
    expect(nvidia).toEqual({ name: 'nvidia', size: 54480896, state: 'Live', usedBy: ['nvidia_uvm', 'nvidia_modeset'] });
    expect(mods.find((m) => m.name === 'mlx5_ib')!.usedBy).toEqual([]);
  });

  // A kernel built without loadable modules has no /proc/modules: nothing real to read there.
  it.skipIf(!existsSync('/proc/modules'))('reads this machine’s own /proc/modules (skipped on a kernel without modules)', () => {
    const text = readFileSync('/proc/modules', 'utf8');
    expect(parseProcModules(text).length).toBe(text.split('\n').filter((l) => l.trim()).length);
  });

  it('rejects text that is not /proc/modules', () => {
    expect(() => parseProcModules('nvidia loaded')).toThrow(ParseError);
    expect(() => parseProcModules('Module                  Size  Used by\nnvidia 1 0 - Live 0x0')).toThrow(ParseError);
  });

  it('throws nothing but ParseError on any input', () => {
    holds(
      fc.property(fc.oneof(fc.string(), fc.array(fc.constantFrom('nvidia', ' ', '123', '-', 'Live', '0x0', '\n', 'a,b,')).map((a) => a.join(''))), (text) => {
        try {
          parseProcModules(text);
        } catch (err) {
          expect(err).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
