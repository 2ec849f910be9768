// The checks whose rule differs by target, under --target batch: Batch's own rule decides, never
// Batch Shipyard node prep's. Sources: Microsoft, "Use temporary NVMe disks on Batch compute nodes"
// (learn.microsoft.com/azure/batch/batch-nvme-temporary): no temp disk, the OS disk holds the node
// root directory; SCSI only, the SCSI disk; NVMe only, Batch initialises, formats and mounts them
// (at /mnt/resource) at every start. ofed_info and ibstatus are demanded only by
// scripts/shipyard_nodeprep.sh (check_for_mellanox_card, Batch Shipyard 3.9.1); an inbox rdma-core
// stack with an ACTIVE port serves verbs. Each case also runs under shipyard, where node prep's rule stands.
import { describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resourceDiskMount } from '../../checks/resource-disk-mount';
import { waagentResourceDisk } from '../../checks/waagent-resource-disk';
import { rdmaUserland } from '../../checks/rdma-userland';
import { rdmaDevices } from '../../checks/rdma-devices';
import { sshd } from '../../checks/sshd';
import { osDistro } from '../../checks/os-distro';
import { beeond } from '../../checks/beeond';
import { nfsClient } from '../../checks/nfs-client';
import { azurefile } from '../../checks/azurefile';
import { runCheck, tempTree } from '../helpers/host';
import { hbv3 } from '../helpers/ib-devices';
import type { CheckSettings } from '../../src/types';

const batch: Partial<CheckSettings> = { target: 'batch' };
const NVME = 'hosts/temp-disk-nvme-v6';
const GEN2 = 'hosts/storage-ubuntu-good';
const LUN1 = 'sys/bus/vmbus/devices/f8b3781a-1e82-4818-a1c3-63d806ec15bb/host0/target0:0:0/0:0:0:1';
const NODE_PREP = /node ?prep|shipyard/i;

describe('resource-disk.mount under --target batch (Batch formats NVMe temp disks itself; no temp disk: the OS disk)', () => {
  it('passes an NVMe-only temp disk on an image-build VM, where Batch has not mounted it yet', async () => {
    const r = await runCheck(resourceDiskMount, NVME, { settings: batch });
    expect(r.status).toBe('pass');
    expect(r.message).toBe(
      'the temp disk is NVMe (nvme1 (Microsoft NVMe Direct Disk v2)): Batch formats and mounts NVMe-only temp disks itself, at /mnt/resource, at every start ' +
        '(Use temporary NVMe disks on Batch compute nodes), so the image needs nothing for it; it is not mounted on an image-build VM, as expected',
    );
    // The same node under Shipyard: node prep finds no SCSI temp disk and exits.
    const shipyard = await runCheck(resourceDiskMount, NVME);
    expect(shipyard.status).toBe('fail');
    expect(shipyard.message).toMatch(/Batch Shipyard node prep finds no temp disk and exits/);
  });

  it('passes an NVMe temp disk on a node running its start task when Batch mounted it at /mnt/resource', async () => {
    const root = tempTree({ 'proc/self/mounts': '/dev/nvme0n1p1 / ext4 rw 0 0\n/dev/nvme1n1 /mnt/resource ext4 rw 0 0\n' }, NVME);
    const r = await runCheck(resourceDiskMount, root, { settings: { ...batch, mode: 'start-task' } });
    expect(r.status).toBe('pass');
    expect(r.message).toBe('the temp disk is NVMe (nvme1 (Microsoft NVMe Direct Disk v2)), mounted by Batch at /mnt/resource (/dev/nvme1n1, ext4)');
  });

  it('warns, not fails, when a start-task node has an NVMe temp disk but nothing is mounted at /mnt/resource', async () => {
    const r = await runCheck(resourceDiskMount, NVME, { settings: { ...batch, mode: 'start-task' } });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^the temp disk is NVMe \(nvme1 \(Microsoft NVMe Direct Disk v2\)\), but nothing is mounted at \/mnt\/resource: Batch formats and mounts/);
    expect(r).toMatchObject({ category: 'node', retryable: false });
  });

  it('passes a size without a temp disk (missing): Batch keeps the node root directory on the OS disk', async () => {
    const root = tempTree({}, GEN2);
    rmSync(path.join(root, LUN1), { recursive: true });
    const r = await runCheck(resourceDiskMount, root, { settings: batch });
    expect(r.status).toBe('pass');
    expect(r.message).toBe('no temp disk (this VM size has none): Batch keeps the node root directory on the OS disk');
    expect((await runCheck(resourceDiskMount, root)).status).toBe('fail');
  });

  it('passes a SCSI temp disk at /mnt under the Ubuntu node agent (node root directory /mnt/batch)', async () => {
    const r = await runCheck(resourceDiskMount, GEN2, { settings: batch });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/is mounted at \/mnt as ext4 \(the Ubuntu node agent default: node root directory \/mnt\/batch\)$/);
  });

  it('passes a SCSI temp disk at /mnt under an el node agent: /mnt/resource/batch is on it too', async () => {
    const el9 = { ...batch, expectedResourceMount: '/mnt/resource', expectedDistro: { family: 'el', version: '9', nodeAgent: 'batch.node.el 9' } };
    const r = await runCheck(resourceDiskMount, GEN2, { settings: el9 });
    expect(r.status).toBe('pass');
    // Under Shipyard the same disk warns: Shipyard builds task paths on the node agent's default.
    expect((await runCheck(resourceDiskMount, GEN2, { settings: { ...el9, target: 'shipyard' } })).status).toBe('warn');
  });

  it('warns when the Ubuntu node agent root /mnt/batch is not on a temp disk at /mnt/resource', async () => {
    const r = await runCheck(resourceDiskMount, tempTree({ 'proc/self/mounts': '/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /mnt/resource ext4 rw 0 0\n' }, GEN2), { settings: batch });
    expect(r.status).toBe('warn');
    expect(r.message).toBe('the temp disk is at /mnt/resource, but under the Ubuntu node agent default the node root directory is /mnt/batch, which is then on the OS disk');
  });

  it('warns, not fails, when the SCSI temp disk is mounted elsewhere (the node root directory lands on the OS disk)', async () => {
    const root = tempTree({ 'proc/self/mounts': '/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /scratch ext4 rw 0 0\n' }, GEN2);
    const r = await runCheck(resourceDiskMount, root, { settings: batch });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^the temp disk \/dev\/sdb1 .* is not at \/mnt or \/mnt\/resource \(it is mounted at \/scratch \(\/dev\/sdb1, ext4\)\): Batch keeps the node root directory/);
    expect((await runCheck(resourceDiskMount, root)).status).toBe('fail');
  });

  it('warns when the temp disk is NTFS through FUSE (fuseblk): Unix permissions do not work there', async () => {
    const r = await runCheck(resourceDiskMount, tempTree({ 'proc/self/mounts': '/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /mnt fuseblk rw 0 0\n' }, GEN2), { settings: batch });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/is NTFS \(fuseblk\)/);
  });

  it('is an error when the mount table cannot be read (broken), under batch too', async () => {
    const root = tempTree({}, GEN2);
    rmSync(path.join(root, 'proc/self/mounts'));
    expect((await runCheck(resourceDiskMount, root, { settings: batch })).status).toBe('error');
  });
});

describe('waagent.resource-disk under --target batch', () => {
  it('warns, not fails, for a ResourceDisk.MountPoint other than /mnt or /mnt/resource', async () => {
    const root = tempTree({ 'etc/waagent.conf': 'ResourceDisk.Format=y\nResourceDisk.MountPoint=/mnt/scratch\n' }, 'hosts/storage-el9-bad');
    rmSync(path.join(root, 'etc/cloud'), { recursive: true, force: true });
    const r = await runCheck(waagentResourceDisk, root, { settings: batch });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^ResourceDisk\.MountPoint=\/mnt\/scratch at \/etc\/waagent\.conf line 2: Batch keeps the node root directory/);
    expect(r.message).not.toMatch(NODE_PREP);
    expect((await runCheck(waagentResourceDisk, root)).status).toBe('fail');
  });

  it('warns, not fails, when cloud-init changes the temp disk', async () => {
    const r = await runCheck(waagentResourceDisk, 'hosts/storage-el9-bad', { settings: batch });
    expect(r.status).toBe('warn');
    expect(r.findings!.some((f) => f.message.startsWith('cloud-init changes the temp disk:'))).toBe(true);
    for (const f of r.findings!) expect(f.message).not.toMatch(NODE_PREP);
  });

  it('passes /mnt/resource under an el node agent', async () => {
    const root = tempTree({ 'etc/waagent.conf': 'ResourceDisk.MountPoint=/mnt/resource\n' }, 'hosts/storage-el9-bad');
    rmSync(path.join(root, 'etc/cloud'), { recursive: true, force: true });
    const r = await runCheck(waagentResourceDisk, root, { settings: batch });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/^ResourceDisk\.MountPoint=\/mnt\/resource \(the node agent default on rhel: node root directory \/mnt\/resource\/batch\)/);
  });
});

describe('rdma.userland under --target batch: inbox rdma-core with an ACTIVE port is enough', () => {
  // On the node (start-task mode): in image mode ibv_devinfo is not run (the build VM need not have the devices).
  const batch: Partial<CheckSettings> = { target: 'batch', mode: 'start-task' };
  it('passes an SR-IOV node (issm0) without ofed_info and ibstatus, which only node prep demands', async () => {
    const root = tempTree({}, 'hosts/ib-hbv3-active');
    rmSync(path.join(root, 'usr/bin/ofed_info'));
    rmSync(path.join(root, 'usr/bin/ibstatus'));
    const r = await runCheck(rdmaUserland, root, { features: ['infiniband'], settings: batch });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/^ibv_devinfo lists mlx5_\d port 1 \(InfiniBand\)/);
    // Shipyard: node prep runs both under set -e.
    expect((await runCheck(rdmaUserland, root, { features: ['infiniband'], settings: { mode: 'start-task' } })).status).toBe('fail');
  });

  it('still fails when ibv_devinfo is not installed (missing)', async () => {
    const root = tempTree({}, 'hosts/ib-hbv3-active');
    rmSync(path.join(root, 'usr/bin/ibv_devinfo'));
    const r = await runCheck(rdmaUserland, root, { features: ['infiniband'], settings: batch });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^ibv_devinfo is not installed/);
  });

  it('warns when no InfiniBand port is ACTIVE, without naming node prep', async () => {
    const stub = '#!/bin/sh\ncat <<EOF\nhca_id:\tmlx5_0\n\ttransport:\t\t\tInfiniBand (0)\n\tphys_port_cnt:\t\t\t1\n\t\tport:\t1\n\t\t\tstate:\t\t\tPORT_INIT (2)\n\t\t\tlink_layer:\t\tInfiniBand\nEOF\n';
    const r = await runCheck(rdmaUserland, tempTree({ 'usr/bin/ibv_devinfo': stub }, 'hosts/ib-hbv3-active'), { features: ['infiniband'], settings: batch });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/no InfiniBand port is PORT_ACTIVE yet; the verbs stack works, but MPI over InfiniBand needs an ACTIVE port/);
  });
});

describe('rdma.devices under --target batch: a device, uverbs0 and an ACTIVE port', () => {
  const hb = { vmSize: { name: 'Standard_HB120rs_v3', source: 'test' } };

  it('passes an SR-IOV node without the P_Keys node prep reads', async () => {
    const root = hbv3((r) => rmSync(path.join(r, 'sys/class/infiniband/mlx5_0/ports/1/pkeys'), { recursive: true }));
    const r = await runCheck(rdmaDevices, root, { features: ['infiniband'], settings: { ...batch, ...hb } });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/ACTIVE; uverbs0 present$/);
    expect((await runCheck(rdmaDevices, root, { features: ['infiniband'], settings: hb })).status).toBe('fail');
  });

  it('passes an SR-IOV size without issm0, which only node prep requires', async () => {
    const r = await runCheck(rdmaDevices, hbv3(() => {}, ['uverbs0']), { features: ['infiniband'], settings: { ...batch, ...hb } });
    expect(r.status).toBe('pass');
    expect((await runCheck(rdmaDevices, hbv3(() => {}, ['uverbs0']), { features: ['infiniband'], settings: hb })).message).toMatch(/node prep treats the node as Network Direct/);
  });

  it('fails when uverbs0 is missing: verbs programs cannot open the device', async () => {
    const r = await runCheck(rdmaDevices, hbv3(() => {}, ['issm0']), { features: ['infiniband'], settings: { ...batch, ...hb } });
    expect(r.status).toBe('fail');
    expect(r.message).toBe('/dev/infiniband/uverbs0 is missing: verbs programs (MPI over InfiniBand) cannot open the device');
  });

  it('warns, retryable, when the port is still INIT', async () => {
    const root = hbv3((r) => writeFileSync(path.join(r, 'sys/class/infiniband/mlx5_0/ports/1/state'), '2: INIT\n'));
    const r = await runCheck(rdmaDevices, root, { features: ['infiniband'], settings: { ...batch, ...hb } });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/no InfiniBand port is ACTIVE yet \(.*\); the node starts, but MPI over InfiniBand needs an ACTIVE port/);
    expect(r.retryable).toBe(true);
  });
});

describe('text of other checks under --target batch', () => {
  it('sshd: a missing sshd warns with remote login as the reason, not the Shipyard guide', async () => {
    const root = tempTree({}, 'hosts/storage-bare');
    const r = await runCheck(sshd, root, { settings: batch });
    expect(r.status).toBe('warn');
    expect(r.message).toBe('sshd is not installed; an SSH server on TCP 22 serves remote login to a Batch node (its remote login settings), but nothing this pool configures needs it');
  });

  it('os.distro: a missing /etc/os-release warns (nothing Batch runs is known to stop on it)', async () => {
    const root = tempTree({}, 'hosts/storage-bare');
    rmSync(path.join(root, 'etc/os-release'), { force: true });
    const r = await runCheck(osDistro, root, { settings: batch });
    expect(r.status).toBe('warn');
    expect(r.message).toBe('/etc/os-release does not exist and neither does /etc/lsb-release; the distribution cannot be told, so the image cannot be matched with a node agent SKU');
    expect((await runCheck(osDistro, root)).status).toBe('fail');
  });

  it('beeond: PermitRootLogin no warns in beeond\'s own terms', async () => {
    const root = tempTree({ 'usr/bin/beeond': '#!/bin/sh\n', 'etc/ssh/sshd_config': 'PermitRootLogin no\n' }, 'hosts/storage-bare');
    const r = await runCheck(beeond, root, { features: ['auto-scratch'], settings: batch });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/sets PermitRootLogin no: beeond logs in to the other nodes as root over SSH$/);
  });

  // Azure docs, "Mount a virtual file system on a Batch pool" (learn.microsoft.com/azure/batch/virtual-file-mount):
  // "On Linux, Batch installs the package cifs-utils"; for NFS "VMs must have access to the appropriate
  // package manager to download the nfs-common ... or nfs-utils ... package".
  it('nfs.client: a missing mount.nfs4 warns under batch (the node agent downloads it) and fails under shipyard', async () => {
    const r = await runCheck(nfsClient, 'hosts/storage-bare', { features: ['nfs'], settings: batch });
    expect(r.status).toBe('warn');
    expect(r.retryable).toBe(false);
    expect(r.message).toMatch(/^mount\.nfs4 is not installed: the Batch node agent downloads nfs-common or nfs-utils for the pool's NFS mounts/);
    expect((await runCheck(nfsClient, 'hosts/storage-bare', { features: ['nfs'] })).status).toBe('fail');
  });

  it('azurefile: a missing mount.cifs warns under batch (the node agent installs cifs-utils) and fails under shipyard', async () => {
    const r = await runCheck(azurefile, 'hosts/storage-bare', { features: ['azurefile'], settings: batch });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^mount\.cifs is not installed: the Batch node agent installs cifs-utils/);
    expect((await runCheck(azurefile, 'hosts/storage-bare', { features: ['azurefile'] })).status).toBe('fail');
  });
});
