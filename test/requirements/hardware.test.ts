import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { detectHardware } from '../../src/requirements/hardware';
import { pciScan } from '../../src/probes/pci';
import { ibPorts } from '../../src/probes/ib-ports';
import { fixtureHost, FIXTURES, tempTree } from '../helpers/host';

const pci = (addr: string, vendor: string, cls: string) => ({
  [`sys/bus/pci/devices/${addr}/vendor`]: `${vendor}\n`,
  [`sys/bus/pci/devices/${addr}/device`]: '0x1234\n',
  [`sys/bus/pci/devices/${addr}/class`]: `${cls}\n`,
});
const ib = (name: string, linkLayer?: string) => (linkLayer ? { [`sys/class/infiniband/${name}/ports/1/link_layer`]: `${linkLayer}\n` } : { [`sys/class/infiniband/${name}/node_type`]: '1: CA\n' });

async function detect(files: Record<string, string>) {
  return detectHardware(fixtureHost(tempTree(files)));
}
const featuresOf = (r: { requirements: { feature: string }[] }) => r.requirements.map((x) => x.feature);

describe('hardware detection from sysfs', () => {
  it.each([
    ['no PCI devices at all', {}, []],
    ['Hyper-V synthetic video only', pci('0000:00:08.0', '0x1414', '0x030000'), []],
    ['NVIDIA VGA controller', pci('0001:00:00.0', '0x10de', '0x030000'), ['gpu']],
    ['NVIDIA 3D controller', pci('0001:00:00.0', '0x10de', '0x030200'), ['gpu']],
    ['NVIDIA audio function is not a GPU', pci('0001:00:00.1', '0x10de', '0x040300'), []],
    ['NVIDIA NVSwitch bridge is not a GPU', pci('0005:00:00.0', '0x10de', '0x068000'), []],
    ['AMD GPU is not an NVIDIA GPU', pci('0001:00:00.0', '0x1002', '0x038000'), []],
    ['Mellanox InfiniBand controller', pci('0101:00:00.0', '0x15b3', '0x020700'), ['infiniband']],
    ['Mellanox Ethernet (accelerated networking)', pci('6c2a:00:02.0', '0x15b3', '0x020000'), []],
    ['InfiniBand port in /sys/class/infiniband', ib('mlx5_ib0', 'InfiniBand'), ['infiniband']],
    ['Ethernet RDMA port in /sys/class/infiniband', ib('mlx5_0', 'Ethernet'), []],
    ['RDMA device whose link layer is unknown', ib('mlx4_0'), ['infiniband']],
    ['upper-case hex in sysfs', pci('0001:00:00.0', '0x10DE', '0x0302AB'), ['gpu']],
    ['both', { ...pci('0001:00:00.0', '0x10de', '0x030200'), ...ib('mlx5_ib0', 'InfiniBand') }, ['gpu', 'infiniband']],
  ])('%s', async (_name, files, want) => {
    expect(featuresOf(await detect(files as Record<string, string>))).toEqual(want);
  });

  it('names the devices in the source', async () => {
    const r = await detect({ ...pci('0001:00:00.0', '0x10de', '0x030200'), ...pci('0002:00:00.0', '0x10de', '0x030200') });
    expect(r.requirements[0]!.source).toBe('hardware: NVIDIA PCI display controllers 0001:00:00.0 class 0x030200, 0002:00:00.0 class 0x030200');
    expect(r.gpus.map((g) => g.address)).toEqual(['0001:00:00.0', '0002:00:00.0']);
  });

  it('an ND H100 v5-like tree (symlinked sysfs): gpu and infiniband', async () => {
    const r = await detectHardware(fixtureHost(path.join(FIXTURES, 'hosts/hw-nd-h100')));
    expect(r.requirements).toEqual([
      { feature: 'gpu', source: 'hardware: NVIDIA PCI display controllers 0001:00:00.0 class 0x030200, 0002:00:00.0 class 0x030200' },
      { feature: 'infiniband', source: 'hardware: /sys/class/infiniband has mlx5_ib0' },
    ]);
    expect(r.notes).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it('a D-series VM with accelerated networking: nothing, and a note on why the Mellanox device does not count', async () => {
    const r = await detectHardware(fixtureHost(path.join(FIXTURES, 'hosts/hw-accelnet')));
    expect(r.requirements).toEqual([]);
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toMatch(/6c2a:00:02\.0.*mlx5_0.*Ethernet.*not InfiniBand/);
  });

  it('a PCI directory that cannot be listed is a note, not a detection', async () => {
    const r = await detect({ 'sys/bus/pci/devices': 'not a directory\n' });
    expect(r.requirements).toEqual([]);
    expect(r.warnings[0]).toMatch(/could not list \/sys\/bus\/pci\/devices/);
  });

  it('a device that cannot be read is a warning; the others are still detected', async () => {
    const r = await detect({ 'sys/bus/pci/devices/0001:00:00.0/vendor': '0x10de\n', ...pci('0002:00:00.0', '0x10de', '0x030200') });
    expect(featuresOf(r)).toEqual(['gpu']);
    expect(r.warnings).toEqual([expect.stringMatching(/^hardware detection could not read PCI device 0001:00:00\.0: .*device/)]);
  });

  it('reads the bus once: detection and the checks share the PCI and InfiniBand probes', async () => {
    const host = fixtureHost(tempTree({ ...pci('0001:00:00.0', '0x10de', '0x030200'), ...ib('mlx5_ib0', 'InfiniBand') }));
    await detectHardware(host);
    const scan = await pciScan(host);
    const ports = await ibPorts(host);
    expect(await pciScan(host)).toBe(scan);
    expect(await ibPorts(host)).toBe(ports);
    expect(featuresOf(await detectHardware(host))).toEqual(['gpu', 'infiniband']);
  });
});
