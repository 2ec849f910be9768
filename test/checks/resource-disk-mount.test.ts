import { describe, expect, it } from 'vitest';
import { resourceDiskMount } from '../../checks/resource-disk-mount';
import { runCheck, tempTree } from '../helpers/host';

const mounts = (text: string, base = 'hosts/storage-bare') => tempTree({ '/proc/self/mounts': text }, base);

describe('resource-disk.mount', () => {
  it('passes when the temp disk is at /mnt on Ubuntu', async () => {
    const r = await runCheck(resourceDiskMount, 'hosts/storage-ubuntu-good');
    expect(r.status).toBe('pass');
    expect(r.message).toBe('/dev/sdb1 is mounted at /mnt as ext4 (Ubuntu default)');
  });

  it("follows the pool's node agent", async () => {
    const r = await runCheck(resourceDiskMount, 'hosts/storage-ubuntu-good', { settings: { expectedResourceMount: '/mnt/resource', expectedDistro: { family: 'el', version: '9', nodeAgent: 'batch.node.el 9' } } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/nothing is mounted at \/mnt\/resource \(the pool's node agent batch\.node\.el 9\); a disk is mounted at \/mnt \(\/dev\/sdb1, ext4\) instead/);
  });

  it('fails an NTFS (fuseblk) temp disk', async () => {
    const r = await runCheck(resourceDiskMount, 'hosts/storage-el9-bad');
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/mounted as NTFS \(fuseblk\)/);
    expect(r.remediation).toContain('ResourceDisk.Filesystem=ext4');
  });

  it.each(['ntfs', 'ntfs3'])('fails a %s temp disk', async (fs) => {
    const r = await runCheck(resourceDiskMount, mounts(`/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /mnt ${fs} rw 0 0\n`));
    expect(r.status).toBe('fail');
  });

  it('the last mount at the point decides (an NTFS mount over ext4)', async () => {
    const r = await runCheck(resourceDiskMount, mounts('/dev/sdb1 /mnt ext4 rw 0 0\n/dev/sdb1 /mnt fuseblk rw 0 0\n'));
    expect(r.status).toBe('fail');
  });

  it('fails when nothing is mounted there', async () => {
    const r = await runCheck(resourceDiskMount, 'hosts/storage-bare');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('nothing is mounted at /mnt (Ubuntu default)');
  });

  it('errors instead of guessing /mnt/resource when the distribution is unknown and no pool says', async () => {
    const r = await runCheck(resourceDiskMount, tempTree({ 'etc/os-release': 'PRETTY_NAME="Ubuntu 22.04' }, 'hosts/storage-ubuntu-good'));
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not check the temp disk mount: the distribution is unknown \(\/etc\/os-release has no ID= line/);
  });

  it('errors when the mount table is missing or garbage', async () => {
    expect((await runCheck(resourceDiskMount, tempTree({ '/etc/os-release': 'ID=ubuntu\n' }))).status).toBe('error');
    const r = await runCheck(resourceDiskMount, mounts('\u0000\u0001 garbage\n'));
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/could not read the mount table: line 1/);
  });
});
