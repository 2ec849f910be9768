import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { parseGroupFile } from '../../src/parsers/group-file';

describe('parseGroupFile', () => {
  it('reads groups, members and skips NIS and malformed lines', () => {
    const r = parseGroupFile('root:x:0:\n+:::\ndocker:x:998:_azbatch,alice\nbroken line\nbad:x:notanumber:\n\ndocker:x:5:\n');
    expect(r.groups.get('docker')).toEqual({ name: 'docker', gid: 998, members: ['_azbatch', 'alice'], line: 3 });
    expect(r.groups.get('root')?.members).toEqual([]);
    expect(r.malformed).toEqual([4, 5]);
    expect(r.groups.has('+')).toBe(false);
  });

  it('never throws, and every group it returns has a name and a whole-number GID', () => {
    holds(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        for (const g of parseGroupFile(text).groups.values()) {
          expect(g.name).not.toBe('');
          expect(Number.isSafeInteger(g.gid)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
