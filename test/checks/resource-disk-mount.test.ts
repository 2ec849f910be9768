import { describe, expect, it } from 'vitest';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { resourceDiskMount } from '../../checks/resource-disk-mount';
import { runCheck, tempTree } from '../helpers/host';

const GEN2 = 'hosts/storage-ubuntu-good';
const GEN1 = 'hosts/storage-el9-bad';
const LUN1 = 'sys/bus/vmbus/devices/f8b3781a-1e82-4818-a1c3-63d806ec15bb/host0/target0:0:0/0:0:0:1';
const mounts = (text: string, base = GEN2) => tempTree({ '/proc/self/mounts': text }, base);
const el9 = { expectedResourceMount: '/mnt/resource', expectedDistro: { family: 'el', version: '9', nodeAgent: 'batch.node.el 9' } };

describe('resource-disk.mount', () => {
  it('passes a Gen2 temp disk (boot SCSI controller, LUN 1) at /mnt on Ubuntu', async () => {
    const r = await runCheck(resourceDiskMount, GEN2);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('/dev/sdb1 (Gen2 SCSI LUN 1 (VMBus f8b3781a-1e82-4818-a1c3-63d806ec15bb), 0:0:0:1) is mounted at /mnt as ext4 (the Ubuntu node agent default: /mnt)');
  });

  it('passes a Gen1 temp disk (IDE channel 1) at /mnt/resource on a RHEL-family image', async () => {
    const r = await runCheck(resourceDiskMount, mounts('/dev/sda1 / xfs rw 0 0\n/dev/sdb1 /mnt/resource ext4 rw 0 0\n', GEN1));
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/^\/dev\/sdb1 \(Gen1 IDE channel 1 \(VMBus 00000000-0001-8899-0000-000000000000\), 1:0:1:0\) is mounted at \/mnt\/resource as ext4/);
  });

  it("accepts /mnt/resource under an Ubuntu node agent (node prep takes either), warning that Shipyard's task paths assume /mnt", async () => {
    const r = await runCheck(resourceDiskMount, mounts('/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /mnt/resource ext4 rw 0 0\n'));
    expect(r.status).toBe('warn');
    expect(r.category).toBe('config');
    expect(r.message).toBe(
      'the temp disk is at /mnt/resource, which node prep accepts, but the Ubuntu node agent default is /mnt: Batch Shipyard builds task paths on it (registry login, Singularity cache)',
    );
  });

  it("accepts /mnt under an el node agent, with the same warning about its default", async () => {
    const r = await runCheck(resourceDiskMount, GEN2, { settings: el9 });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/at \/mnt, which node prep accepts, but the pool's node agent batch\.node\.el 9 is \/mnt\/resource/);
  });

  it('passes, with no default to compare, when the distribution is unknown and no pool says', async () => {
    const r = await runCheck(resourceDiskMount, tempTree({ 'etc/os-release': 'PRETTY_NAME="Ubuntu 22.04' }, GEN2));
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/is mounted at \/mnt as ext4$/);
  });

  it('fails an NVMe temp disk (v6 sizes) even when it is formatted and mounted at /mnt', async () => {
    const r = await runCheck(resourceDiskMount, 'hosts/temp-disk-nvme-v6');
    expect(r.status).toBe('fail');
    expect(r.message).toBe('the temp disk is NVMe (nvme1 (Microsoft NVMe Direct Disk v2)), not a SCSI disk on VMBus: Batch Shipyard node prep finds no temp disk and exits');
    expect(r).toMatchObject({ category: 'config', retryable: false });
    expect(r.remediation).toMatch(/SCSI/);
  });

  it('fails a VM without a temp disk, even when another disk is mounted at /mnt', async () => {
    const root = mounts('/dev/sda1 / ext4 rw 0 0\n/dev/sdc1 /mnt ext4 rw 0 0\n');
    rmSync(path.join(root, LUN1), { recursive: true });
    const r = await runCheck(resourceDiskMount, root);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('no temp disk: this VM size has no temp disk; Batch Shipyard node prep finds no temp disk and exits');
    expect(r).toMatchObject({ category: 'config', retryable: false });
  });

  it('fails a machine that is not a Hyper-V VM (no VMBus)', async () => {
    const r = await runCheck(resourceDiskMount, 'hosts/storage-bare');
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^no temp disk: there is no VMBus \(\/sys\/bus\/vmbus\/devices\): this is not a Hyper-V \(Azure\) VM/);
    expect(r.category).toBe('node');
  });

  it('fails when the temp disk has no partition 1', async () => {
    const root = tempTree({}, GEN2);
    rmSync(path.join(root, LUN1, 'block/sdb/sdb1'), { recursive: true });
    const r = await runCheck(resourceDiskMount, root);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^the temp disk \/dev\/sdb .* has no partition 1/);
  });

  it('fails when the temp disk is mounted elsewhere, naming what is at /mnt instead', async () => {
    const r = await runCheck(resourceDiskMount, mounts('/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /scratch ext4 rw 0 0\n/dev/sdc1 /mnt xfs rw 0 0\n'));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/is not at \/mnt or \/mnt\/resource: it is mounted at \/scratch \(\/dev\/sdb1, ext4\); \/mnt \(\/dev\/sdc1, xfs\) is another device/);
  });

  it('fails when the temp disk is not mounted at all', async () => {
    const r = await runCheck(resourceDiskMount, mounts('/dev/sda1 / ext4 rw 0 0\n'));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/: it is not mounted; Batch Shipyard node prep exits$/);
  });

  it('finds the temp disk through an Azure Disk Encryption device-mapper holder', async () => {
    const root = tempTree({ [`${LUN1}/block/sdb/sdb1/holders/dm-0`]: '', 'sys/block/dm-0/dm/name': 'resourceencrypt\n', '/proc/self/mounts': '/dev/sda1 / ext4 rw 0 0\n/dev/mapper/resourceencrypt /mnt ext4 rw 0 0\n' }, GEN2);
    const r = await runCheck(resourceDiskMount, root);
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/^\/dev\/sdb1 .* is mounted at \/mnt as ext4/);
  });

  it('fails /dev/sdb1 mounted as fuseblk (node prep greps for it)', async () => {
    const r = await runCheck(resourceDiskMount, GEN1);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('/dev/sdb1 is mounted as NTFS through FUSE (fuseblk) at /mnt/resource; Batch Shipyard node prep exits on it');
    expect(r.remediation).toContain('ResourceDisk.Filesystem=ext4');
  });

  it('fuseblk on a temp disk that is not /dev/sdb1 only warns (node prep greps for /dev/sdb1 alone)', async () => {
    const root = mounts('/dev/sda1 / ext4 rw 0 0\n/dev/sdc1 /mnt fuseblk rw 0 0\n');
    renameSync(path.join(root, LUN1, 'block/sdb/sdb1'), path.join(root, LUN1, 'block/sdb/sdc1'));
    renameSync(path.join(root, LUN1, 'block/sdb'), path.join(root, LUN1, 'block/sdc'));
    const r = await runCheck(resourceDiskMount, root);
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^the temp disk at \/mnt \(\/dev\/sdc1\) is NTFS \(fuseblk\): node prep does not stop on it/);
  });

  it.each(['ntfs', 'ntfs3'])('warns on a %s temp disk: node prep does not stop on it', async (fs) => {
    const r = await runCheck(resourceDiskMount, mounts(`/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /mnt ${fs} rw 0 0\n`));
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/is NTFS/);
  });

  it('the last mount at the point decides (an NTFS mount over ext4)', async () => {
    const r = await runCheck(resourceDiskMount, mounts('/dev/sdb1 /mnt ext4 rw 0 0\n/dev/sdb1 /mnt fuseblk rw 0 0\n'));
    expect(r.status).toBe('fail');
  });

  it('warns, and does not fail, when something else is mounted over the temp disk at /mnt: node prep (lsblk) still finds /mnt and goes on', async () => {
    const r = await runCheck(resourceDiskMount, mounts('/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /mnt ext4 rw 0 0\ntmpfs /mnt tmpfs rw 0 0\n'));
    expect(r.status).toBe('warn');
    expect(r.message).toBe(
      'the temp disk partition /dev/sdb1 (Gen2 SCSI LUN 1 (VMBus f8b3781a-1e82-4818-a1c3-63d806ec15bb), 0:0:0:1) is mounted at /mnt, but /mnt (tmpfs, tmpfs) is mounted over it: ' +
        'node prep finds /mnt with lsblk and goes on, but what Batch and node prep write there lands on tmpfs, not on the temp disk',
    );
    expect(r.remediation).toMatch(/^Remove the mount over \/mnt /);
  });

  it('errors when the temp disk cannot be looked for in sysfs', async () => {
    const root = tempTree({}, GEN2);
    const deviceId = path.join(root, 'sys/bus/vmbus/devices/f8b3781a-1e82-4818-a1c3-63d806ec15bb/device_id');
    rmSync(deviceId);
    mkdirSync(deviceId);
    const r = await runCheck(resourceDiskMount, root);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not find the temp disk in sysfs: .*device_id/);
  });

  it('errors when the mount table is missing or garbage', async () => {
    expect((await runCheck(resourceDiskMount, tempTree({ '/etc/os-release': 'ID=ubuntu\n' }))).status).toBe('error');
    const r = await runCheck(resourceDiskMount, mounts('\u0000\u0001 garbage\n'));
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/could not read the mount table: line 1/);
  });
});
