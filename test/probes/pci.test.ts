import { describe, expect, it } from 'vitest';
import { fixtureHost, tempTree } from '../helpers/host';
import { FIXTURES } from '../helpers/host';
import path from 'node:path';
import { isMellanoxInfiniband, isNvidiaGpu, pciDevices, pciScan } from '../../src/probes/pci';

describe('pciDevices', () => {
  it('lists devices with vendor, device, class and driver', async () => {
    const r = await pciDevices(fixtureHost(path.join(FIXTURES, 'hosts/gpu-h100x8-ok')));
    if (!r.ok) throw new Error(r.reason);
    expect(r.devices).toHaveLength(10);
    expect(r.devices.find((d) => d.address === '0000:18:00.0')).toEqual({ address: '0000:18:00.0', vendor: '0x10de', device: '0x2330', class: '0x030200', driver: 'nvidia' });
    // The NVSwitch is NVIDIA but not a display/3D controller; the Mellanox NIC is neither.
    expect(r.devices.filter(isNvidiaGpu)).toHaveLength(8);
    expect(r.devices.find((d) => d.vendor === '0x15b3')!.driver).toBe('mlx5_core');
  });

  it('treats an absent bus as empty, and garbage in a class file as a failure', async () => {
    expect(await pciDevices(fixtureHost(tempTree({})))).toEqual({ ok: true, devices: [] });
    const bad = tempTree({ 'sys/bus/pci/devices/0000:00:01.0/vendor': '0x10de\n', 'sys/bus/pci/devices/0000:00:01.0/device': '0x1\n', 'sys/bus/pci/devices/0000:00:01.0/class': 'VGA\n' });
    const r = await pciDevices(fixtureHost(bad));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/class holds "vga"/);
  });

  it('one reading serves both: the scan keeps what it could read, the all-or-nothing view fails', async () => {
    const tree = tempTree({
      'sys/bus/pci/devices/0000:00:01.0/vendor': '0x10de\n',
      'sys/bus/pci/devices/0000:00:01.0/device': '0x2330\n',
      'sys/bus/pci/devices/0000:00:01.0/class': '0x030200\n',
      'sys/bus/pci/devices/0000:00:02.0/vendor': '0x15b3\n',
    });
    const host = fixtureHost(tree);
    const scan = await pciScan(host);
    if (!scan.ok) throw new Error(scan.reason);
    expect(scan.devices.map((d) => d.address)).toEqual(['0000:00:01.0']);
    expect(scan.unreadable).toEqual([{ address: '0000:00:02.0', reason: expect.stringMatching(/0000:00:02\.0\/device/) }]);
    const all = await pciDevices(host);
    expect(all.ok).toBe(false);
    if (!all.ok) expect(all.reason).toMatch(/0000:00:02\.0\/device/);
  });

  it('tells Mellanox InfiniBand controllers from accelerated networking', () => {
    expect(isMellanoxInfiniband({ vendor: '0x15b3', class: '0x020700' })).toBe(true);
    expect(isMellanoxInfiniband({ vendor: '0x15b3', class: '0x020000' })).toBe(false);
    expect(isMellanoxInfiniband({ vendor: '0x8086', class: '0x020700' })).toBe(false);
  });

  it('reads this machine’s real sysfs', async () => {
    const r = await pciDevices(fixtureHost('/'));
    expect(r.ok).toBe(true);
    if (r.ok) for (const d of r.devices) expect(d.vendor).toMatch(/^0x[0-9a-f]{4}$/);
  });
});
