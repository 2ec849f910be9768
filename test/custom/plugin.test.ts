import { describe, expect, it } from 'vitest';
import { chmodSync, chownSync, copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPlugin } from '../../src/custom/plugin';
import { readTrustedFile } from '../../src/input/trusted-file';
import { FIXTURES, runCheck, tempTree } from '../helpers/host';

const PLUGIN = path.join(FIXTURES, 'custom/plugin-site.cjs');

/** A plugin file with this text, safe to load (mode 0644). */
function pluginFile(dir: string, name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text, { mode: 0o644 });
  return f;
}

function copy(mode: number): string {
  const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-plugin-')), 'plugin.cjs');
  copyFileSync(PLUGIN, f);
  chmodSync(f, mode);
  return f;
}

describe('--plugin', () => {
  it('loads checks with the built-in contract and runs them against the host layer', async () => {
    const [motd] = loadPlugin(copy(0o644), new Set());
    expect(motd).toMatchObject({ id: 'site.motd', area: 'site', live: false });
    expect((await runCheck(motd!, tempTree({ 'etc/motd': 'Welcome to the Batch pool\n' }))).status).toBe('pass');
    expect((await runCheck(motd!, tempTree({}))).status).toBe('fail');
  });

  it('refuses a file writable by group or others', () => {
    expect(() => loadPlugin(copy(0o664), new Set())).toThrow(/refused: writable by group \(mode 664\)/);
    expect(() => loadPlugin(copy(0o646), new Set())).toThrow(/refused: writable by others/);
  });

  it('accepts a file root owns, whoever runs the agent', () => {
    // Judged as if the agent ran as uid 4242 while root owns the file: allowed (root may own it).
    expect(() => readTrustedFile('--plugin', copy(0o644), 'a plugin', 1 << 20, 4242)).not.toThrow();
  });

  it.skipIf(process.getuid?.() !== 0)('refuses a file owned by another non-root user (skipped unless root, which can chown)', () => {
    const f = copy(0o644);
    chownSync(f, 4243, 4243);
    expect(() => loadPlugin(f, new Set())).toThrow(/owned by uid 4243, neither root nor the user running the agent/);
  });

  it('rejects plugins that do not follow the contract, or that throw on load', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-plugin-bad-'));
    const write = (name: string, text: string) => pluginFile(dir, name, text);
    expect(() => loadPlugin(write('norun.cjs', "module.exports = [{ id: 'x.y' }];"), new Set())).toThrow(/run must be a function/);
    expect(() => loadPlugin(write('dup.cjs', "module.exports = [{ id: 'sshd', run() {} }];"), new Set(['sshd']))).toThrow(/duplicate check id sshd/);
    expect(() => loadPlugin(write('feat.cjs', "module.exports = [{ id: 'a.b', features: ['warp'], run() {} }];"), new Set())).toThrow(/check 0 \(a.b\): features.0: expected one of docker, /);
    expect(() => loadPlugin(write('throws.cjs', "throw new Error('boom at load');"), new Set())).toThrow(/could not be loaded: boom at load/);
    expect(() => loadPlugin(path.join(dir, 'missing.cjs'), new Set())).toThrow(/does not exist/);
  });

  it('keeps every documented field a check declares: category, readiness, modes, targets, needsVmSize, consequence', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-plugin-meta-'));
    const f = pluginFile(
      dir,
      'meta.cjs',
      "module.exports = [{ id: 'site.ib', category: 'node', readiness: true, modes: ['start-task'], targets: ['batch'], needsVmSize: true, consequence: 'jobs hang', timeoutMs: 500, helper() { return 1; }, run() { return { findings: [{ status: 'pass', message: String(this.helper()) }] }; } }];",
    );
    const [c] = loadPlugin(f, new Set());
    expect(c).toMatchObject({ category: 'node', readiness: true, modes: ['start-task'], targets: ['batch'], needsVmSize: true, consequence: 'jobs hang', timeoutMs: 500 });
    const typo = pluginFile(dir, 'typo.cjs', "module.exports = [{ id: 'a.b', catgory: 'node', run() {} }];");
    expect(() => loadPlugin(typo, new Set())).toThrow(/check 0 \(a\.b\): catgory: unknown key \(expected one of id, title, area, features, category, /);
    const mode = pluginFile(dir, 'mode.cjs', "module.exports = [{ id: 'a.b', modes: ['boot'], run() {} }];");
    expect(() => loadPlugin(mode, new Set())).toThrow(/modes.0: expected one of start-task, image, container, offline/);
    const category = pluginFile(dir, 'category.cjs', "module.exports = [{ id: 'a.b', category: 'hardware', run() {} }];");
    expect(() => loadPlugin(category, new Set())).toThrow(/category: expected one of image, node, transient, config/);
  });

  it('rejects a dependsOn on an unknown check, and accepts built-in ids and ids of the same plugin', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-plugin-deps-'));
    const write = (name: string, text: string) => pluginFile(dir, name, text);
    const typo = write('typo.cjs', "module.exports = [{ id: 'site.gpu-burn', dependsOn: ['nvidia.drivr'], run() {} }];");
    expect(() => loadPlugin(typo, new Set(['nvidia.driver']))).toThrow(/check site\.gpu-burn depends on nvidia\.drivr, which is not a known check/);
    const ok = write('ok.cjs', "module.exports = [{ id: 'site.b', dependsOn: ['site.a', 'nvidia.driver'], run() {} }, { id: 'site.a', run() {} }];");
    expect(loadPlugin(ok, new Set(['nvidia.driver'])).map((c) => c.dependsOn)).toEqual([['site.a', 'nvidia.driver'], []]);
  });
});

describe('--plugin runs the text it checked', () => {
  const dir = () => mkdtempSync(path.join(os.tmpdir(), 'bp-plugin-src-'));
  const write = (d: string, name: string, text: string) => {
    const f = path.join(d, name);
    writeFileSync(f, text, { mode: 0o644 });
    return f;
  };

  it("may require Node's built-in modules, and nothing from the file system", () => {
    const d = dir();
    write(d, 'helper.cjs', 'module.exports = {};');
    const builtins = write(d, 'builtins.cjs', "const os = require('node:os'); require('fs'); module.exports = [{ id: 'a.b', title: os.platform(), run() {} }];");
    expect(loadPlugin(builtins, new Set())[0]).toMatchObject({ id: 'a.b', title: 'linux' });
    const relative = write(d, 'relative.cjs', "require('./helper.cjs'); module.exports = [];");
    expect(() => loadPlugin(relative, new Set())).toThrow(`--plugin ${relative}: could not be loaded: require('./helper.cjs') refused: a plugin may require only Node's built-in modules; bundle its other dependencies into the plugin file`);
    const pkg = write(d, 'package.cjs', "require('yaml'); module.exports = [];");
    expect(() => loadPlugin(pkg, new Set())).toThrow(/require\('yaml'\) refused/);
  });

  it('gives the module its own file name and directory, and accepts a #! line', () => {
    const d = dir();
    const f = write(d, 'named.cjs', "#!/usr/bin/env node\nmodule.exports = [{ id: 'a.c', title: __filename, description: __dirname, run() {} }];");
    expect(loadPlugin(f, new Set())[0]).toMatchObject({ title: f, description: d });
  });
});
