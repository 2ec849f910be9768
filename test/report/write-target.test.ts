import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openWriteTarget } from '../../src/report/write-target';
import { UsageError } from '../../src/errors';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'bp-target-'));

function usage(file: string): string {
  try {
    openWriteTarget('--output', file).dir.close();
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  return 'accepted';
}

describe('openWriteTarget', () => {
  it('accepts a new or regular file in a private or sticky directory', () => {
    const d = tmp();
    writeFileSync(path.join(d, 'old.txt'), '');
    expect(usage(path.join(d, 'new.txt'))).toBe('accepted');
    expect(usage(path.join(d, 'old.txt'))).toBe('accepted');
    chmodSync(d, 0o1777);
    expect(usage(path.join(d, 'new.txt'))).toBe('accepted');
  });

  it('refuses what the rename would wrongly replace: a directory, a symlink, a device', () => {
    const d = tmp();
    mkdirSync(path.join(d, 'sub'));
    symlinkSync('/dev/null', path.join(d, 'link'));
    expect(usage(path.join(d, 'sub'))).toBe(`--output ${d}/sub: is a directory`);
    expect(usage(`${d}/new/`)).toBe(`--output ${d}/new/: is a directory`);
    expect(usage(path.join(d, 'link'))).toBe(`--output ${d}/link: is a symbolic link`);
    expect(usage('/dev/null')).toBe('--output /dev/null: is not a regular file');
  });

  it('refuses a missing directory and one that others can write without the sticky bit', () => {
    const d = tmp();
    expect(usage(`${d}/none/out.txt`)).toBe(`--output ${d}/none/out.txt: directory ${d}/none does not exist`);
    chmodSync(d, 0o777);
    expect(usage(`${d}/out.txt`)).toBe(`--output ${d}/out.txt: directory ${d} is writable by group or others and not sticky (mode 0777)`);
  });
});
