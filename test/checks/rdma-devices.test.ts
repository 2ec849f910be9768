import { describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { rdmaDevices } from '../../checks/rdma-devices';
import { runCheck, tempTree } from '../helpers/host';
import { charDevices, HBV3, hbv3 } from '../helpers/ib-devices';

const ib = { features: ['infiniband' as const] };
const hb = { vmSize: { name: 'standard_hb120rs_v3', source: 'pool.yaml pool_specification.vm_size' } };

describe('rdma.devices', () => {
  it('passes on an HBv3-like host: mlx5_0 ACTIVE over InfiniBand, issm0 and uverbs0 character devices, P_Keys readable, no rdma_cm needed', async () => {
    const r = await runCheck(rdmaDevices, hbv3(), { ...ib, settings: hb });
    expect(r.status).toBe('pass');
    expect(r.message).toBe(
      'mlx5_0 port 1 (InfiniBand) ACTIVE; uverbs0, issm0 present (SR-IOV (/dev/infiniband/issm0 exists (VM size standard_hb120rs_v3 (pool.yaml pool_specification.vm_size): SR-IOV)))',
    );
    expect(r.evidence?.devices).toContainEqual({ name: 'mlx5_1', driver: 'mlx5_core', ports: ['1: DOWN Ethernet (RoCE)'] });
    expect(r.evidence?.pkeys).toEqual({ '/sys/class/infiniband/mlx5_0/ports/1/pkeys/0': '0x7fff', '/sys/class/infiniband/mlx5_0/ports/1/pkeys/1': '0xffff' });
  });

  it('does not require /dev/infiniband/rdma_cm (node prep never looks at it)', async () => {
    const r = await runCheck(rdmaDevices, hbv3(), ib);
    expect(r.status).toBe('pass');
    expect(r.evidence?.deviceNodes).toEqual({ '/dev/infiniband/uverbs0': 'char-device', '/dev/infiniband/issm0': 'char-device' });
  });

  it('fails on an SR-IOV size when the P_Keys node prep reads are missing', async () => {
    const r = await runCheck(rdmaDevices, hbv3((root) => rmSync(path.join(root, 'sys/class/infiniband/mlx5_0/ports/1/pkeys'), { recursive: true })), { ...ib, settings: hb });
    expect(r.status).toBe('fail');
    expect(r.message).toBe(
      '/sys/class/infiniband/mlx5_0/ports/1/pkeys/0 does not exist; /sys/class/infiniband/mlx5_0/ports/1/pkeys/1 does not exist: node prep reads them to export IB_PKEY and exits when it cannot',
    );
    expect(r.retryable).toBe(false);
  });

  it('fails on an SR-IOV size without a Mellanox PCI device (node prep greps lspci for it)', async () => {
    const r = await runCheck(rdmaDevices, hbv3((root) => rmSync(path.join(root, 'sys/bus/pci'), { recursive: true })), { ...ib, settings: hb });
    expect(r.status).toBe('fail');
    expect(r.message).toBe('no Mellanox PCI device: node prep looks for one with lspci on SR-IOV RDMA sizes and exits');
    expect(r).toMatchObject({ category: 'node', retryable: false });
  });

  it('an IB port still INIT shortly after boot warns and is retryable, not a node prep failure', async () => {
    const r = await runCheck(rdmaDevices, hbv3((root) => writeFileSync(path.join(root, 'sys/class/infiniband/mlx5_0/ports/1/state'), '2: INIT\n')), { ...ib, settings: hb });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^no InfiniBand port is ACTIVE yet \(mlx5_0 port 1 INIT, mlx5_1 port 1 DOWN\); node prep does not check this/);
    expect(r).toMatchObject({ category: 'node', retryable: true });
    expect(r.remediation).toMatch(/subnet manager/);
  });

  it('only INIT ports: category transient', async () => {
    const root = hbv3((root) => {
      writeFileSync(path.join(root, 'sys/class/infiniband/mlx5_0/ports/1/state'), '2: INIT\n');
      writeFileSync(path.join(root, 'sys/class/infiniband/mlx5_1/ports/1/state'), '2: INIT\n');
    });
    expect(await runCheck(rdmaDevices, root, ib)).toMatchObject({ status: 'warn', category: 'transient', retryable: true });
  });

  it('SR-IOV when issm0 exists, whatever the size: a missing uverbs0 fails', async () => {
    const r = await runCheck(rdmaDevices, hbv3(() => {}, ['issm0']), { ...ib, settings: { vmSize: { name: 'standard_d4s_v5', source: 'test' } } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^\/dev\/infiniband\/uverbs0 is missing: node prep requires it for SR-IOV \(\/dev\/infiniband\/issm0 exists/);
  });

  it('an SR-IOV size without issm0 or uverbs0 fails on both (node prep validates issm0, then uverbs0)', async () => {
    const r = await runCheck(rdmaDevices, hbv3(() => {}, []), { ...ib, settings: hb });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^\/dev\/infiniband\/uverbs0 is missing; \/dev\/infiniband\/issm0 is missing: node prep requires it for SR-IOV \(VM size standard_hb120rs_v3/);
  });

  it('an SR-IOV size with uverbs0 but no issm0: node prep falls back to Network Direct; warns', async () => {
    const r = await runCheck(rdmaDevices, hbv3(() => {}, ['uverbs0']), { ...ib, settings: hb });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^\/dev\/infiniband\/issm0 is missing on an SR-IOV size, so node prep treats the node as Network Direct/);
  });

  it('a Network Direct size needs uverbs0 only (no issm0, no P_Keys)', async () => {
    const root = hbv3((root) => rmSync(path.join(root, 'sys/class/infiniband/mlx5_0/ports/1/pkeys'), { recursive: true }), ['uverbs0']);
    const r = await runCheck(rdmaDevices, root, { ...ib, settings: { vmSize: { name: 'standard_h16r', source: 'test' } } });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/uverbs0 present \(Network Direct/);
  });

  it('refuses a regular file or a directory where a device node belongs', async () => {
    const file = await runCheck(rdmaDevices, tempTree({}, HBV3), { ...ib, settings: hb });
    expect(file.status).toBe('fail');
    expect(file.message).toMatch(/^\/dev\/infiniband\/uverbs0 is a file, not a character device; \/dev\/infiniband\/issm0 is a file, not a character device/);
    const dir = hbv3((root) => {
      rmSync(path.join(root, 'dev/infiniband/uverbs0'));
      mkdirSync(path.join(root, 'dev/infiniband/uverbs0'));
    });
    expect((await runCheck(rdmaDevices, dir, ib)).message).toMatch(/^\/dev\/infiniband\/uverbs0 is a directory, not a character device/);
  });

  it('no InfiniBand device with a Mellanox PCI device: the driver is missing (image)', async () => {
    const root = hbv3((root) => rmSync(path.join(root, 'sys/class/infiniband'), { recursive: true }));
    const r = await runCheck(rdmaDevices, root, { ...ib, settings: hb });
    expect(r.status).toBe('fail');
    expect(r.message).toBe('no InfiniBand device in /sys/class/infiniband, though Mellanox InfiniBand PCI device(s) 0101:00:00.0 are present: the RDMA driver (mlx5_ib) is not loaded');
    expect(r).toMatchObject({ category: 'image', retryable: false });
  });

  it('no InfiniBand hardware on an RDMA size is the node (redeploy); with the size unknown, the pool definition', async () => {
    const onHb = await runCheck(rdmaDevices, 'hosts/ib-none', { ...ib, settings: hb });
    expect(onHb.status).toBe('fail');
    expect(onHb.message).toMatch(/^no InfiniBand hardware: \/sys\/class\/infiniband is absent or empty and there is no Mellanox InfiniBand PCI device on a VM size that has it/);
    expect(onHb).toMatchObject({ category: 'node', retryable: false });
    expect(await runCheck(rdmaDevices, 'hosts/ib-none', ib)).toMatchObject({ status: 'fail', category: 'config' });
    // Accelerated networking's Mellanox Ethernet function is no InfiniBand hardware.
    const accel = tempTree({ 'sys/bus/pci/devices/0002:00:02.0/vendor': '0x15b3\n', 'sys/bus/pci/devices/0002:00:02.0/device': '0x101a\n', 'sys/bus/pci/devices/0002:00:02.0/class': '0x020000\n' }, 'hosts/ib-none');
    expect((await runCheck(rdmaDevices, accel, ib)).message).toMatch(/^no InfiniBand hardware/);
  });

  it('is an error, not a pass, when a port state file holds garbage', async () => {
    const r = await runCheck(rdmaDevices, hbv3((root) => writeFileSync(path.join(root, 'sys/class/infiniband/mlx5_0/ports/1/state'), 'ACTIVE-ish\n')), ib);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read an InfiniBand port state/);
  });
});
