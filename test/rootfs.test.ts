import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FsError, RootFs } from '../src/host/rootfs';
import { tempTree } from './helpers/host';

const reason = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return err instanceof FsError ? err.reason : `not an FsError: ${String(err)}`;
  }
};

describe('RootFs', () => {
  const outside = mkdtempSync(path.join(os.tmpdir(), 'bp-outside-'));
  writeFileSync(path.join(outside, 'secret'), 'host secret');

  it('reads files under the root and resolves relative and absolute symlinks inside it', async () => {
    const root = tempTree({
      'usr/lib/os-release': 'ID=debian\n',
      'etc/os-release': { link: '../usr/lib/os-release' },
      'etc/alt': { link: '/usr/lib/os-release' },
    });
    const fs = new RootFs(root);
    expect(await fs.readText('/etc/os-release')).toBe('ID=debian\n');
    expect(await fs.readText('/etc/alt')).toBe('ID=debian\n');
  });

  it('refuses a path that climbs above the root with ..', async () => {
    const root = tempTree({ 'etc/x': 'x' });
    const fs = new RootFs(root);
    const rel = path.relative(root, path.join(outside, 'secret'));
    expect(await reason(fs.readText(`/${rel}`))).toBe('escape');
    expect(await reason(fs.readText('/etc/../../secret'))).toBe('escape');
    expect(await reason(fs.readText('etc/x'))).toBe('escape');
  });

  it('refuses a relative symlink that climbs out, and re-anchors an absolute one at the root', async () => {
    const root = tempTree({
      'etc/up': { link: `../../../../../../../../..${outside}/secret` },
      'etc/abs': { link: path.join(outside, 'secret') },
    });
    const fs = new RootFs(root);
    expect(await reason(fs.readText('/etc/up'))).toBe('escape');
    // The absolute target names a path inside the root, which does not exist there.
    expect(await reason(fs.readText('/etc/abs'))).toBe('missing');
  });

  it('reports symlink loops, directories and missing files distinctly', async () => {
    const root = tempTree({ 'a/loop1': { link: 'loop2' }, 'a/loop2': { link: 'loop1' }, 'd/sub/f': 'x' });
    const fs = new RootFs(root);
    expect(await reason(fs.readText('/a/loop1'))).toBe('loop');
    expect(await reason(fs.readText('/d/sub'))).toBe('not-a-file');
    expect(await reason(fs.readText('/nope'))).toBe('missing');
    expect(await reason(fs.readText('/nope/../../x'))).toBe('missing');
    expect(await fs.readTextIfExists('/nope')).toBeNull();
    expect(await reason(fs.list('/d/sub/f'))).toBe('not-a-directory');
  });

  it('lists a directory in C-locale order (digits, upper case, `_`, lower case), not a locale\'s dictionary order', async () => {
    const names = ['b.conf', '99-z.conf', 'A.conf', '10-a.conf', 'a.conf', '_x.conf', '9.conf'];
    const root = tempTree(Object.fromEntries(names.map((n) => [`etc/d/${n}`, 'x'])));
    expect(await new RootFs(root).list('/etc/d')).toEqual(['10-a.conf', '9.conf', '99-z.conf', 'A.conf', '_x.conf', 'a.conf', 'b.conf']);
  });

  // Root reads a mode-000 file anyway; as root, test/e2e/file-faults.test.ts runs the agent as
  // another user to see the same refusal.
  it.skipIf(process.getuid?.() === 0)('reports unreadable files as denied (skipped as root: root reads them)', async () => {
    const root = tempTree({ 'etc/locked': 'x' });
    chmodSync(path.join(root, 'etc/locked'), 0);
    expect(await reason(new RootFs(root).readText('/etc/locked'))).toBe('denied');
  });

  it('caps what it reads and tells sockets and files apart', async () => {
    const root = tempTree({ 'big': 'x'.repeat(10_000) });
    mkdirSync(path.join(root, 'run'));
    const fs = new RootFs(root);
    expect((await fs.readText('/big', 100)).length).toBe(100);
    expect((await fs.stat('/big')).kind).toBe('file');
    expect((await fs.stat('/run')).kind).toBe('directory');
  });
});
