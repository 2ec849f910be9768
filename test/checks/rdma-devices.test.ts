import { describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { rdmaDevices } from '../../checks/rdma-devices';
import { runCheck, tempTree } from '../helpers/host';
import { charDevices, HBV3, hbv3 } from '../helpers/ib-devices';

const ib = { features: ['infiniband' as const] };
const hb = { vmSize: { name: 'standard_hb120rs_v3', source: 'pool.yaml pool_specification.vm_size' } };
const IB = 'sys/class/infiniband';
const PKEYS = `${IB}/mlx5_0/ports/1/pkeys`;
/** A PCI device whose vendor file holds garbage: the PCI probe cannot read the bus whole. */
const garbagePciDevice = (root: string) => {
  mkdirSync(path.join(root, 'sys/bus/pci/devices/0003:00:00.0'), { recursive: true });
  writeFileSync(path.join(root, 'sys/bus/pci/devices/0003:00:00.0/vendor'), 'garbage\n');
};

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

  it('fails on an SR-IOV size when a P_Key holds something other than a hex number', async () => {
    const root = hbv3((root) => {
      writeFileSync(path.join(root, PKEYS, '0'), 'pkey 0x7fff\n');
      writeFileSync(path.join(root, PKEYS, '1'), '0xffff (full member of the default partition)\n');
    });
    const r = await runCheck(rdmaDevices, root, { ...ib, settings: hb });
    expect(r.status).toBe('fail');
    expect(r.message).toBe(
      '/sys/class/infiniband/mlx5_0/ports/1/pkeys/0 holds "pkey 0x7fff", not a P_Key; /sys/class/infiniband/mlx5_0/ports/1/pkeys/1 holds "0xffff (full member ", not a P_Key: node prep reads them to export IB_PKEY and exits when it cannot',
    );
  });

  it.each([
    ['a device node that is a symlink loop', (root: string) => {
      rmSync(path.join(root, 'dev/infiniband/uverbs0'));
      symlinkSync('uverbs0', path.join(root, 'dev/infiniband/uverbs0'));
    }, 'could not read /dev/infiniband/uverbs0: too many levels of symbolic links'],
    ['a P_Key that is a directory', (root: string) => {
      rmSync(path.join(root, PKEYS, '0'));
      mkdirSync(path.join(root, PKEYS, '0'));
    }, 'could not read /sys/class/infiniband/mlx5_0/ports/1/pkeys/0: is a directory, not a file'],
  ])('is an error, not a pass, with %s', async (_what, change, message) => {
    const r = await runCheck(rdmaDevices, hbv3(change), { ...ib, settings: hb });
    expect(r.status).toBe('error');
    expect(r.message).toBe(message);
  });

  it('is an error when /dev/infiniband/issm0, which decides the RDMA kind, cannot be read', async () => {
    const root = hbv3((root) => {
      rmSync(path.join(root, 'dev/infiniband/issm0'));
      symlinkSync('issm0', path.join(root, 'dev/infiniband/issm0'));
    });
    const r = await runCheck(rdmaDevices, root, { ...ib, settings: hb });
    expect(r.status).toBe('error');
    expect(r.message).toBe('could not read /dev/infiniband/issm0: too many levels of symbolic links');
  });

  it('is an error when /sys/class/infiniband cannot be listed', async () => {
    const root = hbv3((root) => {
      rmSync(path.join(root, IB), { recursive: true });
      writeFileSync(path.join(root, IB), '');
    });
    const r = await runCheck(rdmaDevices, root, { ...ib, settings: hb });
    expect(r.status).toBe('error');
    expect(r.message).toBe('could not read /sys/class/infiniband: is not a directory');
  });

  it('is an error, not a pass, when a port has no state file', async () => {
    const r = await runCheck(rdmaDevices, hbv3((root) => rmSync(path.join(root, IB, 'mlx5_0/ports/1/state'))), ib);
    expect(r.status).toBe('error');
    expect(r.message).toBe('could not read an InfiniBand port state: /sys/class/infiniband/mlx5_0/ports/1/state does not exist');
  });

  it('fails on an SR-IOV size whose PCI bus shows devices, but none of Mellanox', async () => {
    const root = hbv3((root) => {
      rmSync(path.join(root, 'sys/bus/pci'), { recursive: true });
      const gpu = path.join(root, 'sys/bus/pci/devices/0001:00:00.0');
      mkdirSync(gpu, { recursive: true });
      for (const [f, v] of [['vendor', '0x10de'], ['device', '0x2330'], ['class', '0x030200']]) writeFileSync(path.join(gpu, f!), `${v}\n`);
    });
    const r = await runCheck(rdmaDevices, root, { ...ib, settings: hb });
    expect(r.status).toBe('fail');
    expect(r.message).toBe('no Mellanox PCI device: node prep looks for one with lspci on SR-IOV RDMA sizes and exits');
  });

  it('an unreadable PCI bus is shown in the evidence and judged without: mlx5_0 is a Mellanox device', async () => {
    const r = await runCheck(rdmaDevices, hbv3(garbagePciDevice), { ...ib, settings: hb });
    expect(r.status, r.message).toBe('pass');
    expect(r.evidence?.mellanoxPci).toBe('unknown: /sys/bus/pci/devices/0003:00:00.0/vendor holds "garbage", not a hex number');
  });

  it('no InfiniBand device and an unreadable PCI bus: an error, as a missing driver cannot be told from missing hardware', async () => {
    const root = hbv3((root) => {
      rmSync(path.join(root, IB), { recursive: true });
      garbagePciDevice(root);
    });
    const r = await runCheck(rdmaDevices, root, { ...ib, settings: hb });
    expect(r.status).toBe('error');
    expect(r.message).toBe('no InfiniBand device in /sys/class/infiniband, and the PCI devices could not be read to tell a missing driver from missing hardware');
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

  it('an InfiniBand device without ports warns, retryable, as a matter of the node: nothing is INIT to wait for', async () => {
    const root = hbv3((root) => {
      for (const d of ['mlx5_0', 'mlx5_1']) rmSync(path.join(root, IB, d, 'ports'), { recursive: true });
    }, ['uverbs0']);
    const r = await runCheck(rdmaDevices, root, ib);
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^no InfiniBand port is ACTIVE yet \(no ports listed\); /);
    expect(r).toMatchObject({ category: 'node', retryable: true });
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
    // A readiness check's failure is retryable unless it says otherwise: a module not loaded stays so.
    expect(r.retryable).toBe(false);
  });

  it('an SR-IOV size with uverbs0 but no issm0: node prep falls back to Network Direct; warns', async () => {
    const r = await runCheck(rdmaDevices, hbv3(() => {}, ['uverbs0']), { ...ib, settings: hb });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^\/dev\/infiniband\/issm0 is missing on an SR-IOV size, so node prep treats the node as Network Direct/);
  });

  it('a Network Direct size needs uverbs0 only (no issm0, no P_Keys, no Mellanox PCI device)', async () => {
    const root = hbv3((root) => {
      rmSync(path.join(root, PKEYS), { recursive: true });
      rmSync(path.join(root, 'sys/bus/pci'), { recursive: true });
    }, ['uverbs0']);
    const r = await runCheck(rdmaDevices, root, { ...ib, settings: { vmSize: { name: 'standard_h16r', source: 'test' } } });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/uverbs0 present \(Network Direct/);
    // Node prep reads the P_Keys on SR-IOV only; neither does this check read them here.
    expect(r.evidence).not.toHaveProperty('pkeys');
  });

  it('refuses a regular file or a directory where a device node belongs', async () => {
    const files = tempTree({ 'dev/infiniband/uverbs0': '', 'dev/infiniband/issm0': '' }, HBV3);
    const file = await runCheck(rdmaDevices, files, { ...ib, settings: hb });
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
    // A size without RDMA: the pool definition asks InfiniBand of a VM that cannot have it.
    expect(await runCheck(rdmaDevices, 'hosts/ib-none', { ...ib, settings: { vmSize: { name: 'standard_d4s_v5', source: 'test' } } })).toMatchObject({ status: 'fail', category: 'config' });
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
