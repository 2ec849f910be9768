import { describe, expect, it } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { rdmaDevices } from '../../checks/rdma-devices';
import { runCheck, tempTree } from '../helpers/host';

const ib = { features: ['infiniband' as const] };

describe('rdma.devices', () => {
  it('passes on an HBv3-like host: mlx5_0 ACTIVE over InfiniBand, device nodes present', async () => {
    const r = await runCheck(rdmaDevices, 'hosts/ib-hbv3-active', ib);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('mlx5_0 port 1 ACTIVE (InfiniBand); uverbs0, rdma_cm, issm0 present');
    expect(r.evidence?.devices).toContainEqual({ name: 'mlx5_1', driver: 'mlx5_core', sriov: true, ports: ['1: DOWN Ethernet (RoCE)'] });
  });

  it('fails "no Infiniband device" when /sys/class/infiniband is absent', async () => {
    const r = await runCheck(rdmaDevices, 'hosts/ib-none', ib);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('no Infiniband device: /sys/class/infiniband is absent or empty');
  });

  it('fails when no port is ACTIVE, naming each state', async () => {
    const root = tempTree({ 'sys/class/infiniband/mlx5_0/ports/1/state': '2: INIT\n' }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaDevices, root, ib);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('no InfiniBand port is ACTIVE (mlx5_0 port 1 INIT, mlx5_1 port 1 DOWN)');
    expect(r.remediation).toMatch(/subnet manager/);
  });

  it('requires issm0 on SR-IOV (mlx5) devices', async () => {
    const root = tempTree({}, 'hosts/ib-hbv3-active');
    rmSync(path.join(root, 'dev/infiniband/issm0'));
    const r = await runCheck(rdmaDevices, root, ib);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('InfiniBand port active, but /dev/infiniband/issm0 is missing');
  });

  it('does not require issm0 for a non-mlx5 device', async () => {
    const root = tempTree({
      'sys/class/infiniband/mlx4_0/ports/1/state': '4: ACTIVE\n',
      'sys/class/infiniband/mlx4_0/ports/1/link_layer': 'InfiniBand\n',
      'dev/infiniband/uverbs0': { charDevice: [231, 192] },
      'dev/infiniband/rdma_cm': { charDevice: [10, 58] },
    });
    const r = await runCheck(rdmaDevices, root, ib);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('mlx4_0 port 1 ACTIVE (InfiniBand); uverbs0, rdma_cm present');
  });

  it('fails when uverbs0 is missing or rdma_cm is a directory', async () => {
    const root = tempTree({}, 'hosts/ib-hbv3-active');
    rmSync(path.join(root, 'dev/infiniband/uverbs0'));
    rmSync(path.join(root, 'dev/infiniband/rdma_cm'));
    mkdirSync(path.join(root, 'dev/infiniband/rdma_cm'));
    const r = await runCheck(rdmaDevices, root, ib);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('InfiniBand port active, but /dev/infiniband/uverbs0 is missing; /dev/infiniband/rdma_cm is a directory, not a character device');
  });

  it('is an error, not a pass, when a port state file holds garbage', async () => {
    const root = tempTree({ 'sys/class/infiniband/mlx5_0/ports/1/state': 'ACTIVE-ish\n' }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaDevices, root, ib);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read an InfiniBand port state/);
  });

  it('fails when a device node is a regular file (a stray file on a real host is no device)', async () => {
    const root = tempTree({ 'dev/infiniband/uverbs0': '' }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaDevices, root, ib);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('InfiniBand port active, but /dev/infiniband/uverbs0 is a file, not a character device');
    expect(r.evidence?.deviceNodes).toEqual({ '/dev/infiniband/uverbs0': 'file', '/dev/infiniband/rdma_cm': 'char-device', '/dev/infiniband/issm0': 'char-device' });
  });
});
