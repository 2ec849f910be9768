import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openRegular, readOpened, readRegularFile } from '../../src/input/regular-file';

const MiB = 1024 * 1024;
const dir = () => mkdtempSync(path.join(os.tmpdir(), 'bp-regular-'));

describe('regular input files', () => {
  it('reads a regular file, also through a symbolic link', () => {
    const d = dir();
    writeFileSync(path.join(d, 'pool.yaml'), 'pool_specification: {}\n');
    symlinkSync('pool.yaml', path.join(d, 'link.yaml'));
    expect(readRegularFile('--pool', path.join(d, 'link.yaml'), 'a pool file')).toBe('pool_specification: {}\n');
  });

  it('refuses a FIFO, a device and a directory from the descriptor, without blocking', () => {
    const d = dir();
    const fifo = path.join(d, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => readRegularFile('--pool', fifo, 'a pool file')).toThrow(`--pool ${fifo}: is not a regular file (a FIFO)`);
    expect(() => readRegularFile('--pool', '/dev/null', 'a pool file')).toThrow('--pool /dev/null: is not a regular file (a character device)');
    expect(() => readRegularFile('--pool', d, 'a pool file')).toThrow(`--pool ${d}: is a directory, not a file`);
    expect(() => readRegularFile('--pool', path.join(d, 'none'), 'a pool file')).toThrow(`--pool ${path.join(d, 'none')}: does not exist`);
  });

  it('refuses a symbolic link as the last component when asked not to follow', () => {
    const d = dir();
    writeFileSync(path.join(d, 'f'), 'x');
    symlinkSync('f', path.join(d, 'l'));
    expect(() => openRegular('--plugin', path.join(d, 'l'), 'a plugin', { maxBytes: MiB, follow: false })).toThrow(/: is a symbolic link$/);
  });

  it('stops reading at the cap when the file grows after it was opened and measured', () => {
    const f = path.join(dir(), 'growing.yaml');
    writeFileSync(f, 'a: 1\n');
    const { fd, stat } = openRegular('--config', f, 'a config file', { maxBytes: MiB, follow: true });
    expect(stat.size).toBe(5);
    appendFileSync(f, Buffer.alloc(3 * MiB, 0x20));
    expect(() => readOpened('--config', f, 'a config file', fd, MiB)).toThrow(`--config ${f}: larger than 1 MiB; not a config file`);
  });
});
