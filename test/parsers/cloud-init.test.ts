import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeCloudConfigs, parseCloudConfig } from '../../src/parsers/cloud-init';
import { ParseError } from '../../src/parsers/parse-error';
import { ephemeralDiskFindings } from '../../src/probes/cloud-init';

const merged = (...files: [string, string][]) => mergeCloudConfigs(files.map(([file, text]) => ({ file, config: parseCloudConfig(text) })));

describe('parseCloudConfig', () => {
  it('reads a mapping; an empty or comment-only file is an empty config', () => {
    expect(parseCloudConfig('mounts:\n  - [ephemeral0, /mnt]\n')).toEqual({ mounts: [['ephemeral0', '/mnt']] });
    expect(parseCloudConfig('# nothing\n')).toEqual({});
    expect(parseCloudConfig('')).toEqual({});
  });

  it('names the line of a YAML error', () => {
    let caught: unknown;
    try {
      parseCloudConfig('users:\n  - default\nmounts: [ephemeral0, /mnt\nfoo: bar\n');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ParseError);
    expect((caught as ParseError).line).toBeGreaterThanOrEqual(3);
  });

  it('rejects a top level that is not a mapping', () => {
    expect(() => parseCloudConfig('- a\n- b\n')).toThrow(/not a mapping/);
  });

  it('throws nothing but ParseError on any input', () => {
    const yamlish = fc.array(fc.constantFrom('a:', ' - [', ']', '{', '}', '"', "'", '&x', '*x', '\n', '  ', 'mounts', ':', '- ', '!!binary', '%YAML 1.2', '---', '#'), { maxLength: 40 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 120 }), yamlish), (text) => {
        try {
          parseCloudConfig(text);
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('mergeCloudConfigs', () => {
  it('later files win; mappings merge key by key; lists are replaced; the file of each key is kept', () => {
    const m = merged(
      ['/etc/cloud/cloud.cfg', 'mounts: [[ephemeral0, /mnt]]\ndisk_setup:\n  ephemeral0: {layout: [100]}\n  /dev/sdc: {layout: true}\n'],
      ['/etc/cloud/cloud.cfg.d/50.cfg', 'mounts: [[swap, none]]\ndisk_setup:\n  ephemeral0: {layout: [50, 50]}\n'],
    );
    expect(m.config.mounts).toEqual([['swap', 'none']]);
    expect(m.config.disk_setup).toEqual({ ephemeral0: { layout: [50, 50] }, '/dev/sdc': { layout: true } });
    expect(m.from.get('mounts')).toBe('/etc/cloud/cloud.cfg.d/50.cfg');
    expect(m.from.get('disk_setup.ephemeral0')).toBe('/etc/cloud/cloud.cfg.d/50.cfg');
    expect(m.from.get('disk_setup./dev/sdc')).toBe('/etc/cloud/cloud.cfg');
  });

  it('for generated configs, every top-level key ends with the value of the last file that set it', () => {
    const key = fc.constantFrom('mounts', 'fs_setup', 'users', 'datasource_list');
    const cfg = fc.dictionary(key, fc.array(fc.integer(), { maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(cfg, { maxLength: 5 }), (cfgs) => {
        const m = mergeCloudConfigs(cfgs.map((config, i) => ({ file: `f${i}`, config })));
        for (const k of Object.keys(m.config)) {
          const last = cfgs.map((c, i) => [c, i] as const).filter(([c]) => k in c).pop()!;
          expect(m.config[k]).toEqual(last[0][k]);
          expect(m.from.get(k)).toBe(`f${last[1]}`);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('ephemeralDiskFindings', () => {
  it("accepts the Azure data source's own defaults", () => {
    const m = merged(['/etc/cloud/cloud.cfg', 'disk_setup:\n  ephemeral0: {table_type: gpt, layout: [100], overwrite: true}\nfs_setup:\n  - {filesystem: ext4, device: ephemeral0.1, replace_fs: ntfs}\nmounts:\n  - [ephemeral0, /mnt/, auto, defaults]\n']);
    expect(ephemeralDiskFindings(m, ['/mnt'])).toEqual([]);
  });

  it('accepts either place it is given (node prep takes /mnt or /mnt/resource)', () => {
    const m = merged(['/etc/cloud/cloud.cfg', 'mounts:\n  - [ephemeral0, /mnt/resource]\n']);
    expect(ephemeralDiskFindings(m, ['/mnt', '/mnt/resource'])).toEqual([]);
    expect(ephemeralDiskFindings(m, ['/mnt'])).toHaveLength(1);
  });

  it('names the file and key that move, split or reformat the temp disk', () => {
    const m = merged(
      ['/etc/cloud/cloud.cfg', 'mounts:\n  - [ephemeral0, /mnt/scratch]\n  - [/dev/sdc1, /data]\n'],
      ['/etc/cloud/cloud.cfg.d/50.cfg', 'disk_setup:\n  ephemeral0: {layout: [50, 50]}\nfs_setup:\n  - {filesystem: ext4, device: /dev/sdc1}\n  - {filesystem: xfs, device: /dev/disk/cloud/azure_resource-part1}\n'],
    );
    expect(ephemeralDiskFindings(m, ['/mnt', '/mnt/resource'])).toEqual([
      { file: '/etc/cloud/cloud.cfg', key: 'mounts[0]', problem: 'mounts ephemeral0 at /mnt/scratch, not at /mnt or /mnt/resource' },
      { file: '/etc/cloud/cloud.cfg.d/50.cfg', key: 'disk_setup.ephemeral0.layout', problem: 'repartitions ephemeral0 (layout [50,50])' },
      { file: '/etc/cloud/cloud.cfg.d/50.cfg', key: 'fs_setup[1].filesystem', problem: 'formats /dev/disk/cloud/azure_resource-part1 as xfs instead of ext4' },
    ]);
  });

  it('an entry without a mount point (disabling the mount) is not a move', () => {
    const m = merged(['/etc/cloud/cloud.cfg', 'mounts:\n  - [ephemeral0, null]\n  - [ephemeral0]\n  - [ephemeral0, none]\n']);
    expect(ephemeralDiskFindings(m, ['/mnt/resource'])).toEqual([]);
  });
});
