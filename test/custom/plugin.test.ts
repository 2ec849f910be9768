import { describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPlugin } from '../../src/custom/plugin';
import { readTrustedFile } from '../../src/input/trusted-file';
import { FIXTURES, runCheck, tempTree } from '../helpers/host';

const PLUGIN = path.join(FIXTURES, 'custom/plugin-site.cjs');

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

  it('refuses a file owned by another non-root user', () => {
    const f = copy(0o644);
    // Judged as if the agent ran as uid 4242 while root owns the file: allowed (root may own it).
    expect(() => readTrustedFile('--plugin', f, 'a plugin', 1 << 20, 4242)).not.toThrow();
    if (process.getuid?.() === 0) {
      (require('node:fs') as typeof import('node:fs')).chownSync(f, 4243, 4243);
      expect(() => loadPlugin(f, new Set())).toThrow(/owned by uid 4243, neither root nor the user running the agent/);
    }
  });

  it('rejects plugins that do not follow the contract, or that throw on load', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-plugin-bad-'));
    const write = (name: string, text: string) => {
      const f = path.join(dir, name);
      writeFileSync(f, text, { mode: 0o644 });
      return f;
    };
    expect(() => loadPlugin(write('norun.cjs', "module.exports = [{ id: 'x.y' }];"), new Set())).toThrow(/run must be a function/);
    expect(() => loadPlugin(write('dup.cjs', "module.exports = [{ id: 'sshd', run() {} }];"), new Set(['sshd']))).toThrow(/duplicate check id sshd/);
    expect(() => loadPlugin(write('feat.cjs', "module.exports = [{ id: 'a.b', features: ['warp'], run() {} }];"), new Set())).toThrow(/features must be a list/);
    expect(() => loadPlugin(write('throws.cjs', "throw new Error('boom at load');"), new Set())).toThrow(/could not be loaded: boom at load/);
    expect(() => loadPlugin(path.join(dir, 'missing.cjs'), new Set())).toThrow(/does not exist/);
  });
});
