import { describe, expect, it } from 'vitest';
import { truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureHost, tempTree } from '../helpers/host';
import { mounts, MAX_MOUNTS_BYTES } from '../../src/probes/mounts';
import { mountAt } from '../../src/parsers/mounts';

// A node with many containers or a busy automounter can have a mount table of many MiB.
function bigTable(bytes: number, tail: string): string {
  const line = '/dev/loop1 /var/lib/docker/overlay2/0123456789abcdef0123456789abcdef/merged overlay rw,relatime 0 0\n';
  return line.repeat(Math.ceil(bytes / line.length)) + tail;
}

describe('mounts probe', () => {
  it('reads a mount table larger than 4 MiB to its end (the temp disk listed last is still found)', async () => {
    const root = tempTree({ 'proc/self/mounts': bigTable(5 * 1024 * 1024, '/dev/sdb1 /mnt ext4 rw,relatime 0 0\n') });
    const m = await mounts(fixtureHost(root));
    expect(m.ok).toBe(true);
    if (m.ok) expect(mountAt(m.mounts, '/mnt')).toMatchObject({ device: '/dev/sdb1', fsType: 'ext4' });
  });

  it('is not ok, with the reason, when the table is larger than its bound (never read as "not mounted")', async () => {
    const root = tempTree({ 'proc/self/mounts': '' });
    const file = path.join(root, 'proc/self/mounts');
    writeFileSync(file, '/dev/sda1 / ext4 rw 0 0\n');
    truncateSync(file, MAX_MOUNTS_BYTES + 1);
    const m = await mounts(fixtureHost(root));
    expect(m).toEqual({ ok: false, reason: `/proc/self/mounts: larger than ${MAX_MOUNTS_BYTES / 1024 / 1024} MiB; not read` });
  });
});
