import { describe, expect, it } from 'vitest';
import { linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { writeAtomic } from '../../src/report/write';
import { openWriteDir, WriteRefused } from '../../src/host/write-dir';

const tmpDir = () => openWriteDir(mkdtempSync(path.join(os.tmpdir(), 'bp-write-')), 'any');
/** A pid that has just exited, so no process has it now. */
const deadPid = () => spawnSync('true').pid;

describe('writeAtomic', () => {
  it.each([0, 0o077])('writes the file with mode 0644 under umask %o and leaves no temp file', (umask) => {
    const dir = tmpDir();
    const old = process.umask(umask);
    try {
      writeAtomic(dir, 'report.json', '{}\n');
    } finally {
      process.umask(old);
    }
    expect(statSync(path.join(dir.path, 'report.json')).mode & 0o7777).toBe(0o644);
    expect(readdirSync(dir.path)).toEqual(['report.json']);
  });

  it('replaces a symlink at the target name instead of writing through it', () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir.path, 'victim'), 'original');
    symlinkSync(path.join(dir.path, 'victim'), path.join(dir.path, 'report.json'));
    writeAtomic(dir, 'report.json', 'new');
    expect(readFileSync(path.join(dir.path, 'victim'), 'utf8')).toBe('original');
    expect(lstatSync(path.join(dir.path, 'report.json')).isFile()).toBe(true);
    expect(readFileSync(path.join(dir.path, 'report.json'), 'utf8')).toBe('new');
  });

  it('a directory at the target name is refused, and the temp file is removed', () => {
    const dir = tmpDir();
    mkdirSync(path.join(dir.path, 'report.json'));
    expect(() => writeAtomic(dir, 'report.json', 'x')).toThrow(WriteRefused);
    expect(() => writeAtomic(dir, 'report.json', 'x')).toThrow(`${dir.path}/report.json: is a directory`);
    expect(readdirSync(dir.path)).toEqual(['report.json']);
  });

  it('removes only stale temp files of its own pattern that are regular files it owns, with one link', () => {
    const dir = tmpDir();
    const dead = deadPid();
    const hex = '0123456789abcdef';
    const at = (n: string) => path.join(dir.path, n);
    writeFileSync(at('keep'), 'k');
    const stale = `.report.json.${dead}.${hex}.tmp`;
    writeFileSync(at(stale), 'stale');
    const live = `.report.json.${process.ppid}.${hex}.tmp`;
    writeFileSync(at(live), 'a live writer');
    const kept = [`.report.json.${dead}.tmp`, `.report.json.${dead}.${hex}.tmp.x`, `.other.json.${dead}.${hex}.tmp`];
    for (const n of kept) writeFileSync(at(n), '');
    symlinkSync(at('keep'), at(`.report.json.${dead}.1111111111111111.tmp`));
    mkdirSync(at(`.report.json.${dead}.2222222222222222.tmp`));
    linkSync(at('keep'), at(`.report.json.${dead}.3333333333333333.tmp`));
    writeAtomic(dir, 'report.json', '{}');
    expect(readdirSync(dir.path).sort()).toEqual(
      ['keep', 'report.json', live, ...kept, `.report.json.${dead}.1111111111111111.tmp`, `.report.json.${dead}.2222222222222222.tmp`, `.report.json.${dead}.3333333333333333.tmp`].sort(),
    );
    expect(readFileSync(at('keep'), 'utf8')).toBe('k');
  });
});
