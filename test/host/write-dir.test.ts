import { describe, expect, it } from 'vitest';
import { chmodSync, chownSync, lchownSync, mkdirSync, mkdtempSync, readdirSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openOwnSubdir, openWriteDir } from '../../src/host/write-dir';
import { refusal } from '../helpers/refusal';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'bp-wdir-'));
const asRoot = process.geteuid?.() === 0;

describe('openWriteDir', () => {
  it('names resolve through the opened directory, even after it is moved and replaced by a symlink', () => {
    const base = tmp();
    const d = path.join(base, 'd');
    mkdirSync(d);
    const dir = openWriteDir(d, 'private');
    renameSync(d, path.join(base, 'moved'));
    mkdirSync(path.join(base, 'elsewhere'));
    symlinkSync(path.join(base, 'elsewhere'), d);
    writeFileSync(dir.entry('x'), 'y');
    dir.close();
    expect(readdirSync(path.join(base, 'moved'))).toEqual(['x']);
    expect(readdirSync(path.join(base, 'elsewhere'))).toEqual([]);
  });

  it.each([
    [0o777, 'private', /is writable by group or others \(mode 0777\)/],
    [0o775, 'private', /is writable by group or others \(mode 0775\)/],
    [0o1777, 'private', /is writable by group or others \(mode 01777\)/],
    [0o777, 'sticky-ok', /is writable by group or others and not sticky \(mode 0777\)/],
  ] as const)('mode %o under policy %s is refused', (mode, policy, why) => {
    const d = tmp();
    chmodSync(d, mode);
    expect(refusal(() => openWriteDir(d, policy))).toMatch(new RegExp(`^${d}: ${why.source}$`));
  });

  it('a sticky world-writable directory is accepted under sticky-ok, and anything under any', () => {
    const d = tmp();
    chmodSync(d, 0o1777);
    expect(() => openWriteDir(d, 'sticky-ok').close()).not.toThrow();
    chmodSync(d, 0o777);
    expect(() => openWriteDir(d, 'any').close()).not.toThrow();
  });

  it.skipIf(!asRoot)("another user's directory is refused (skipped unless root, which can chown)", () => {
    const d = tmp();
    chownSync(d, 4242, 4242);
    expect(refusal(() => openWriteDir(d, 'sticky-ok'))).toBe(`${d}: is owned by uid 4242, not by root`);
  });

  it.skipIf(!asRoot)('a directory on the way that another user owns is refused, naming it, even when the last one is root\'s (skipped unless root)', () => {
    const base = tmp();
    mkdirSync(path.join(base, 'theirs/mine'), { recursive: true });
    chownSync(path.join(base, 'theirs'), 4242, 4242);
    expect(refusal(() => openWriteDir(path.join(base, 'theirs/mine'), 'sticky-ok'))).toBe(`${base}/theirs: is owned by uid 4242, not by root`);
  });

  it('a directory on the way writable by others is refused unless sticky and root\'s', () => {
    const base = tmp();
    mkdirSync(path.join(base, 'open/mine'), { recursive: true });
    chmodSync(path.join(base, 'open'), 0o777);
    expect(refusal(() => openWriteDir(path.join(base, 'open/mine'), 'private'))).toBe(`${base}/open: is writable by group or others and not sticky (mode 0777)`);
    chmodSync(path.join(base, 'open'), 0o1777);
    expect(() => openWriteDir(path.join(base, 'open/mine'), 'private').close()).not.toThrow();
  });

  it.skipIf(!asRoot)('a link on the way is followed when root owns it, refused when another user does (skipped unless root)', () => {
    const base = tmp();
    mkdirSync(path.join(base, 'real'));
    symlinkSync(path.join(base, 'real'), path.join(base, 'ours'));
    symlinkSync(path.join(base, 'real'), path.join(base, 'theirs'));
    lchownSync(path.join(base, 'theirs'), 4242, 4242);
    const dir = openWriteDir(path.join(base, 'ours'), 'private');
    writeFileSync(dir.entry('x'), 'y');
    dir.close();
    expect(readdirSync(path.join(base, 'real'))).toEqual(['x']);
    expect(refusal(() => openWriteDir(path.join(base, 'theirs'), 'private'))).toBe(`${base}/theirs: is a symbolic link that is owned by uid 4242, not by root`);
  });

  it('a link loop is refused', () => {
    const base = tmp();
    symlinkSync(path.join(base, 'b'), path.join(base, 'a'));
    symlinkSync(path.join(base, 'a'), path.join(base, 'b'));
    expect(refusal(() => openWriteDir(path.join(base, 'a'), 'private'))).toMatch(/: too many symbolic links$/);
  });

  it('a missing path or a file is refused with the reason', () => {
    const d = tmp();
    writeFileSync(path.join(d, 'f'), '');
    expect(refusal(() => openWriteDir(path.join(d, 'none'), 'any'))).toBe(`${path.join(d, 'none')}: does not exist`);
    expect(refusal(() => openWriteDir(path.join(d, 'f'), 'any'))).toBe(`${path.join(d, 'f')}: is not a directory`);
  });
});

describe('openOwnSubdir', () => {
  it('creates the directory with exactly the mode asked, whatever the umask', () => {
    const parent = openWriteDir(tmp(), 'any');
    const old = process.umask(0o077);
    try {
      openOwnSubdir(parent, 'own', 0o755).close();
    } finally {
      process.umask(old);
    }
    expect(statSync(path.join(parent.path, 'own')).mode & 0o7777).toBe(0o755);
  });

  it('reuses an existing private directory without changing its mode', () => {
    const parent = openWriteDir(tmp(), 'any');
    mkdirSync(path.join(parent.path, 'own'), { mode: 0o700 });
    openOwnSubdir(parent, 'own', 0o755).close();
    expect(statSync(path.join(parent.path, 'own')).mode & 0o7777).toBe(0o700);
  });

  it('never follows a symlink at its name, and refuses a directory others can write', () => {
    const parent = openWriteDir(tmp(), 'any');
    const target = tmp();
    symlinkSync(target, path.join(parent.path, 'link'));
    expect(refusal(() => openOwnSubdir(parent, 'link', 0o755))).toBe(`${parent.path}/link: is a symbolic link`);
    mkdirSync(path.join(parent.path, 'open'));
    chmodSync(path.join(parent.path, 'open'), 0o777);
    expect(refusal(() => openOwnSubdir(parent, 'open', 0o755))).toBe(`${parent.path}/open: is writable by group or others (mode 0777)`);
  });
});
