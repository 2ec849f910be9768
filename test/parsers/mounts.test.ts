import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { mountAt, parseMounts } from '../../src/parsers/mounts';
import { ParseError } from '../../src/parsers/parse-error';
import { FIXTURES } from '../helpers/host';

const recorded = (f: string) => readFileSync(path.join(FIXTURES, 'outputs/proc-mounts', f), 'utf8');

describe('parseMounts', () => {
  it('reads a recorded Azure mount table, unescaping \\040 in paths', () => {
    const m = parseMounts(recorded('azure-ubuntu2204.txt'));
    expect(m).toHaveLength(11);
    expect(mountAt(m, '/')).toMatchObject({ device: '/dev/sda1', fsType: 'ext4' });
    expect(mountAt(m, '/mnt')?.options).toContain('x-systemd.requires=cloud-init.service');
    expect(m.some((e) => e.mountPoint === '/mnt/docker/overlay2/3f1c with space/merged')).toBe(true);
  });

  it('unescapes tab, newline and backslash', () => {
    const [e] = parseMounts('/dev/x /a\\011b\\012c\\134d ext4 rw 0 0\n');
    expect(e!.mountPoint).toBe('/a\tb\nc\\d');
  });

  it('the last mount at a path is the visible one; trailing slashes are ignored', () => {
    const m = parseMounts('/dev/a /mnt ext4 rw 0 0\n/dev/b /mnt fuseblk rw 0 0\n');
    expect(mountAt(m, '/mnt/')?.device).toBe('/dev/b');
    expect(mountAt(m, '/mnt/resource')).toBeUndefined();
  });

  it('rejects lines that are not mount entries, naming the line', () => {
    expect(() => parseMounts('/dev/a / ext4 rw 0 0\ngarbage\n')).toThrow(/line 2/);
    expect(() => parseMounts('/dev/a relative ext4 rw 0 0')).toThrow(ParseError);
  });

  it('round-trips generated entries and throws nothing but ParseError on any input', () => {
    const segment = fc.string({ minLength: 1, maxLength: 8 });
    const entry = fc.record({
      device: segment,
      mountPoint: fc.array(segment, { maxLength: 4 }).map((p) => `/${p.join('/')}`),
      fsType: fc.constantFrom('ext4', 'xfs', 'fuseblk', 'tmpfs'),
      options: fc.array(fc.constantFrom('rw', 'nosuid', 'relatime', 'ro'), { minLength: 1, maxLength: 3 }),
    });
    const esc = (s: string) => s.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
    holds(
      fc.property(fc.array(entry, { maxLength: 6 }), (entries) => {
        const text = entries.map((e) => `${esc(e.device)} ${esc(e.mountPoint)} ${e.fsType} ${e.options.join(',')} 0 0`).join('\n');
        expect(parseMounts(text)).toEqual(entries);
      }),
      { numRuns: 500 },
    );
    holds(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseMounts(text);
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
