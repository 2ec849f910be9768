// Which checks wait at boot (--wait) and which of their findings waiting cannot change: a missing
// daemon, device or tool fails at once; something still starting is retried.
import { describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { builtinChecks } from '../../checks';
import { sshd } from '../../checks/sshd';
import { rdmaDevices } from '../../checks/rdma-devices';
import { nvidiaDriver } from '../../checks/nvidia-driver';
import { resourceDiskMount } from '../../checks/resource-disk-mount';
import { dockerSocket } from '../../checks/docker-socket';
import { osDistro } from '../../checks/os-distro';
import { runCheck, tempTree } from '../helpers/host';
import { hbv3 } from '../helpers/ib-devices';

const NO_LISTENER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const ib = { features: ['infiniband' as const] };
const gpu = { features: ['gpu' as const] };

describe('readiness checks', () => {
  it('are the checks of what may still be starting at boot', () => {
    expect(builtinChecks.filter((c) => c.readiness).map((c) => c.id).sort()).toEqual(['azure.imds', 'docker.socket', 'nvidia.driver', 'nvidia.fabricmanager', 'rdma.devices', 'resource-disk.mount', 'sshd']);
  });

  it('docker.socket waits only when Docker is installed', () => {
    expect(dockerSocket.dependsOn).toContain('docker.engine');
  });
});

describe('retryable: what waiting can change', () => {
  it('sshd: a server not yet listening is retryable; not installed or not enabled is not', async () => {
    const READY = 'hosts/ubuntu2204-ready';
    const needed = { features: ['ssh' as const, 'ssh-access' as const] };
    expect(await runCheck(sshd, tempTree({ 'proc/net/tcp': NO_LISTENER, 'proc/net/tcp6': '' }, READY), needed)).toMatchObject({ status: 'fail', retryable: true });
    const missing = tempTree({}, READY);
    rmSync(path.join(missing, 'usr/sbin/sshd'));
    expect(await runCheck(sshd, missing, needed)).toMatchObject({ status: 'fail', retryable: false });
    const disabled = tempTree({}, READY);
    rmSync(path.join(disabled, 'etc/systemd/system/multi-user.target.wants/ssh.service'));
    expect(await runCheck(sshd, disabled, needed)).toMatchObject({ status: 'fail', retryable: false });
  });

  it('rdma.devices: a port in INIT is a retryable, transient warning; no device at all is not retryable', async () => {
    const init = hbv3((root) => {
      for (const dev of ['mlx5_0', 'mlx5_1']) writeFileSync(path.join(root, `sys/class/infiniband/${dev}/ports/1/state`), '2: INIT\n');
    });
    expect(await runCheck(rdmaDevices, init, ib)).toMatchObject({ status: 'warn', category: 'transient', retryable: true });
    expect(await runCheck(rdmaDevices, 'hosts/ib-none', ib)).toMatchObject({ status: 'fail', retryable: false });
  });

  it('nvidia.driver: a module not loaded yet is retryable; a GPU missing from nvidia-smi is a node fault that is not', async () => {
    const node = { ...gpu, settings: { mode: 'start-task' as const } };
    expect(await runCheck(nvidiaDriver, 'hosts/gpu-driver-not-loaded', node)).toMatchObject({ status: 'fail', retryable: true });
    expect(await runCheck(nvidiaDriver, 'hosts/gpu-count-mismatch', node)).toMatchObject({ status: 'fail', category: 'node', retryable: false });
    expect(await runCheck(nvidiaDriver, tempTree({}), { ...gpu, live: false, canExec: false })).toMatchObject({ status: 'fail', retryable: false });
  });

  it('resource-disk.mount: nothing mounted yet is retryable; an NTFS disk is not', async () => {
    const empty = tempTree({ '/proc/self/mounts': '/dev/sda1 / ext4 rw 0 0\n' }, 'hosts/storage-ubuntu-good');
    expect(await runCheck(resourceDiskMount, empty)).toMatchObject({ status: 'fail', retryable: true });
    expect(await runCheck(resourceDiskMount, 'hosts/storage-el9-bad')).toMatchObject({ status: 'fail', retryable: false });
  });

  it('docker.socket: no socket yet is retryable', async () => {
    const root = tempTree({}, 'hosts/docker-ok');
    expect(await runCheck(dockerSocket, root, { dockerSocket: path.join(root, 'var/run/docker.sock') })).toMatchObject({ status: 'fail', retryable: true });
  });

  it("os.distro: an image that is not the pool's node agent's distribution is a config problem", async () => {
    const el9 = { family: 'el', version: '9', nodeAgent: 'batch.node.el 9' };
    expect(await runCheck(osDistro, 'hosts/storage-ubuntu-good', { settings: { expectedDistro: el9 } })).toMatchObject({ status: 'fail', category: 'config', retryable: false });
  });
});
