import { describe, expect, it } from 'vitest';
import { chownSync, closeSync, linkSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { openAppendFile } from '../../src/host/append-file';
import { openWriteDir } from '../../src/host/write-dir';
import { refusal } from '../helpers/refusal';

const tmpDir = () => openWriteDir(mkdtempSync(path.join(os.tmpdir(), 'bp-append-')), 'any');

describe('openAppendFile', () => {
  it('creates the file 0600 whatever the umask, and appends to it on the next run', () => {
    const dir = tmpDir();
    const old = process.umask(0);
    try {
      const fd = openAppendFile(dir, 'log');
      writeSync(fd, 'one\n');
      closeSync(fd);
    } finally {
      process.umask(old);
    }
    const fd = openAppendFile(dir, 'log');
    writeSync(fd, 'two\n');
    closeSync(fd);
    const file = path.join(dir.path, 'log');
    expect(statSync(file).mode & 0o7777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n');
  });

  it('refuses a symlink, a directory, a FIFO (at once) and a file with another hard link', () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir.path, 'victim'), 'original');
    symlinkSync(path.join(dir.path, 'victim'), path.join(dir.path, 'link'));
    mkdirSync(path.join(dir.path, 'sub'));
    expect(spawnSync('mkfifo', [path.join(dir.path, 'fifo')]).status).toBe(0);
    linkSync(path.join(dir.path, 'victim'), path.join(dir.path, 'hard'));
    expect(refusal(() => openAppendFile(dir, 'link'))).toBe(`${dir.path}/link: is a symbolic link`);
    expect(refusal(() => openAppendFile(dir, 'sub'))).toBe(`${dir.path}/sub: is a directory`);
    expect(refusal(() => openAppendFile(dir, 'fifo'))).toBe(`${dir.path}/fifo: is not a regular file`);
    expect(refusal(() => openAppendFile(dir, 'hard'))).toBe(`${dir.path}/hard: has 2 hard links`);
    expect(readFileSync(path.join(dir.path, 'victim'), 'utf8')).toBe('original');
  });

  it.runIf(process.geteuid?.() === 0)("refuses another user's file", () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir.path, 'log'), '');
    chownSync(path.join(dir.path, 'log'), 4242, 4242);
    expect(refusal(() => openAppendFile(dir, 'log'))).toBe(`${dir.path}/log: is owned by uid 4242, not by root`);
  });
});
