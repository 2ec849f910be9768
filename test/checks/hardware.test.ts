// The hardware checks against fixture nodes of real VM sizes: each passes as built, and fails (or
// warns) when one GPU leaves the bus, one InfiniBand port degrades, or one GPU link trains narrow.
import { describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hardwareGpus } from '../../checks/hardware-gpus';
import { hardwareInfiniband } from '../../checks/hardware-infiniband';
import { hardwarePcieLink } from '../../checks/hardware-pcie-link';
import { runCheck, tempTree } from '../helpers/host';
import type { Check } from '../../src/types';

const SIZES = [
  { fixture: 'hosts/size-nd96isr-h100-v5', size: 'Standard_ND96isr_H100_v5', ib: '8 x 400 Gb/s NDR', rate: '400 Gb/sec (4X NDR)', slower: '200 Gb/sec (4X HDR)' },
  { fixture: 'hosts/size-nd96asr-v4', size: 'Standard_ND96asr_v4', ib: '8 x 200 Gb/s HDR', rate: '200 Gb/sec (4X HDR)', slower: '100 Gb/sec (2X HDR)' },
  { fixture: 'hosts/size-nd96amsr-a100-v4', size: 'Standard_ND96amsr_A100_v4', ib: '8 x 200 Gb/s HDR', rate: '200 Gb/sec (4X HDR)', slower: '100 Gb/sec (4X EDR)' },
] as const;

const run = (check: Check, root: string, size: string) =>
  runCheck(check, root, { features: ['gpu', 'infiniband'], settings: { mode: 'start-task', vmSize: { name: size, source: 'the --batch-pool file' } } });

const port = (root: string, dev: string) => path.join(root, 'sys/devices/virtual/infiniband', dev, 'ports/1');

describe.each(SIZES)('$size', ({ fixture, size, ib, slower }) => {
  it('hardware.gpus, hardware.infiniband and hardware.pcie-link pass as built: 8 GPUs, 8 InfiniBand ports at full rate, full-width links', async () => {
    const [gpus, fabric, link] = await Promise.all([run(hardwareGpus, fixture, size), run(hardwareInfiniband, fixture, size), run(hardwarePcieLink, fixture, size)]);
    expect(gpus.status, gpus.message).toBe('pass');
    expect(gpus.message).toMatch(new RegExp(`^8 NVIDIA GPUs on the PCI bus, as ${size} has \\(8 NVIDIA `));
    expect(fabric.status, fabric.message).toBe('pass');
    expect(fabric.message).toContain(`as ${size} has (${ib})`);
    expect(fabric.evidence?.ethernetPorts).toBe(1);
    expect(link.status, link.message).toBe('pass');
    expect(link.message).toMatch(/^8 GPU PCIe links at full width \(x16\)/);
    expect(link.evidence?.links).toHaveLength(8);
    expect(link.evidence).not.toHaveProperty('noLinkState');
  });

  it('hardware.gpus fails, not retryable, when a GPU has fallen off the bus', async () => {
    const root = tempTree({}, fixture);
    rmSync(path.join(root, 'sys/bus/pci/devices/0003:00:00.0'));
    const r = await run(hardwareGpus, root, size);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(new RegExp(`^the PCI bus shows 7 NVIDIA GPUs; ${size} has 8 NVIDIA .*: 1 missing from the bus$`));
    expect(r.remediation).toMatch(/reimage or delete the node/);
    expect([r.category, r.retryable]).toEqual(['node', false]);
  });

  it('hardware.infiniband fails when a port runs below the size\'s rate', async () => {
    const root = tempTree({}, fixture);
    writeFileSync(path.join(port(root, 'mlx5_ib5'), 'rate'), `${slower}\n`);
    const r = await run(hardwareInfiniband, root, size);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^mlx5_ib5 port 1 ACTIVE\/LinkUp at \d+ Gb\/s: below the \d+ Gb\/s of /);
    expect([r.category, r.retryable]).toEqual(['node', false]);
  });

  it('hardware.infiniband fails when a port is down, and when one is missing', async () => {
    const root = tempTree({}, fixture);
    writeFileSync(path.join(port(root, 'mlx5_ib2'), 'state'), '1: DOWN\n');
    writeFileSync(path.join(port(root, 'mlx5_ib2'), 'phys_state'), '3: Disabled\n');
    rmSync(path.join(root, 'sys/class/infiniband/mlx5_ib7'));
    const r = await run(hardwareInfiniband, root, size);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^1 of the 8 InfiniBand ports of .* is missing \(7 found\); mlx5_ib2 port 1 DOWN\/Disabled at \d+ Gb\/s: no link$/);
    expect(r.findings).toHaveLength(2);
    expect([r.category, r.retryable]).toEqual(['node', false]);
  });

  it('hardware.pcie-link warns when a GPU link trained narrower than x16', async () => {
    const root = tempTree({}, fixture);
    writeFileSync(path.join(root, 'sys/devices/pci0005:00/0005:00:00.0/current_link_width'), '8\n');
    const r = await run(hardwarePcieLink, root, size);
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^1 GPU PCIe link narrower than the GPU can run: 0005:00:00\.0 x8 of x16,/);
  });
});

describe('hardware.infiniband', () => {
  it('passes an HBv3 node: one 200 Gb/s HDR port; the Ethernet port is not counted', async () => {
    const r = await run(hardwareInfiniband, 'hosts/size-hb120rs-v3', 'Standard_HB120-32rs_v3');
    expect(r.status).toBe('pass');
    expect(r.message).toBe('1 InfiniBand port ACTIVE at 200 Gb/s or more, as Standard_HB120-32rs_v3 has (1 x 200 Gb/s HDR)');
  });

  it.each(['2: INIT', '3: ARMED'])('a port in %s is a failure worth retrying: the subnet manager has not configured it yet', async (state) => {
    const root = tempTree({ 'sys/devices/virtual/infiniband/mlx5_ib0/ports/1/state': `${state}\n` }, 'hosts/size-hb120rs-v3');
    const r = await run(hardwareInfiniband, root, 'Standard_HB120rs_v3');
    expect(r.status).toBe('fail');
    expect(r.message).toBe(`mlx5_ib0 port 1 ${state.slice(3)}/LinkUp at 200 Gb/s: not yet configured by the subnet manager`);
    expect([r.category, r.retryable]).toEqual(['transient', true]);
    expect(r.remediation).toMatch(/^Wait a few minutes and rerun/);
  });

  // phys_state LinkErrorRecovery: the link is retraining while the port may still read ACTIVE; ACTIVE_DEFER: the kernel's state of a port losing its link.
  it.each([
    ['4: ACTIVE', '6: LinkErrorRecovery'],
    ['5: ACTIVE_DEFER', '5: LinkUp'],
  ])('a port %s with phys_state %s has no usable link: a failure of the node', async (state, physState) => {
    const root = tempTree({ 'sys/devices/virtual/infiniband/mlx5_ib0/ports/1/state': `${state}\n`, 'sys/devices/virtual/infiniband/mlx5_ib0/ports/1/phys_state': `${physState}\n` }, 'hosts/size-hb120rs-v3');
    const r = await run(hardwareInfiniband, root, 'Standard_HB120rs_v3');
    expect(r.status).toBe('fail');
    expect(r.message).toBe(`mlx5_ib0 port 1 ${state.slice(3)}/${physState.slice(3)} at 200 Gb/s: no link`);
    expect([r.category, r.retryable]).toEqual(['node', false]);
  });

  it('a port in INIT beside a dead one: retrying cannot fix the node', async () => {
    const root = tempTree({}, 'hosts/size-nd96isr-h100-v5');
    writeFileSync(path.join(port(root, 'mlx5_ib0'), 'state'), '2: INIT\n');
    writeFileSync(path.join(port(root, 'mlx5_ib1'), 'rate'), '100 Gb/sec (4X EDR)\n');
    const r = await run(hardwareInfiniband, root, 'Standard_ND96isr_H100_v5');
    expect(r.status).toBe('fail');
    expect(r.findings?.map((f) => f.category)).toEqual(['node', 'transient']);
    expect(r.retryable).toBe(false);
  });

  it('an NDR size on an HDR fabric port fails', async () => {
    const r = await run(hardwareInfiniband, 'hosts/size-hb120rs-v3', 'Standard_HB176rs_v4');
    expect(r.status).toBe('fail');
    expect(r.message).toBe('mlx5_ib0 port 1 ACTIVE/LinkUp at 200 Gb/s: below the 400 Gb/s of Standard_HB176rs_v4');
  });

  it('is an error, not a pass, when a port attribute holds garbage', async () => {
    const root = tempTree({ 'sys/devices/virtual/infiniband/mlx5_ib0/ports/1/rate': 'fast\n' }, 'hosts/size-hb120rs-v3');
    const r = await run(hardwareInfiniband, root, 'Standard_HB120rs_v3');
    expect(r.status).toBe('error');
    expect(r.message).toBe('could not read an InfiniBand port: not an InfiniBand port rate: "fast"');
  });

  it.each(['state', 'phys_state', 'rate'])('is an error, not a pass, when a port has no %s file', async (attr) => {
    const root = tempTree({}, 'hosts/size-hb120rs-v3');
    rmSync(path.join(port(root, 'mlx5_ib0'), attr));
    const r = await run(hardwareInfiniband, root, 'Standard_HB120rs_v3');
    expect(r.status).toBe('error');
    expect(r.message).toBe('could not read an InfiniBand port: /sys/class/infiniband/mlx5_ib0/ports/1 lacks state, phys_state or rate');
  });

  it('is an error when /sys/class/infiniband cannot be listed', async () => {
    const root = tempTree({}, 'hosts/size-hb120rs-v3');
    rmSync(path.join(root, 'sys/class/infiniband'), { recursive: true });
    writeFileSync(path.join(root, 'sys/class/infiniband'), '');
    const r = await run(hardwareInfiniband, root, 'Standard_HB120rs_v3');
    expect(r.status).toBe('error');
    expect(r.message).toBe('could not read /sys/class/infiniband: /sys/class/infiniband: is not a directory');
  });

  it('counts a port without a link_layer file (kernels before link_layer existed had InfiniBand only)', async () => {
    const root = tempTree({}, 'hosts/size-hb120rs-v3');
    rmSync(path.join(port(root, 'mlx5_ib0'), 'link_layer'));
    const r = await run(hardwareInfiniband, root, 'Standard_HB120rs_v3');
    expect(r.status, r.message).toBe('pass');
    expect(r.evidence?.ethernetPorts).toBe(1);
  });

  it('a size missing from the table warns about the pool definition, never a silent pass', async () => {
    const r = await run(hardwareInfiniband, 'hosts/size-hb120rs-v3', 'Standard_HB999rs_v9');
    expect(r.status).toBe('warn');
    expect(r.message).toBe("Standard_HB999rs_v9 (from the --batch-pool file) is not in batch-preflight's VM size table, so its InfiniBand ports cannot be compared with the hardware");
    expect(r.category).toBe('config');
  });

  it('a size whose ports the table does not know warns, and a size without InfiniBand has nothing to compare', async () => {
    const unknownPorts = await run(hardwareInfiniband, 'hosts/size-nd96isr-h100-v5', 'Standard_NC24rs_v3');
    expect(unknownPorts.status).toBe('warn');
    expect(unknownPorts.message).toMatch(/does not know its ports and rate/);
    // ND H200 v5 has the same 8 x 400 Gb/s NDR ports as ND H100 v5 (its size page; azurehpc-health-checks conf/nd96isr_h200_v5.conf).
    expect((await run(hardwareInfiniband, 'hosts/size-nd96isr-h100-v5', 'Standard_ND96isr_H200_v5')).status).toBe('pass');
    const none = await run(hardwareInfiniband, 'hosts/size-nd96isr-h100-v5', 'Standard_NC24ads_A100_v4');
    expect(none.status).toBe('pass');
    expect(none.message).toBe('Standard_NC24ads_A100_v4 (NC A100 v4) has no InfiniBand: nothing to compare');
  });
});

describe('hardware.gpus', () => {
  it('a size missing from the table warns and says so, never a silent pass', async () => {
    const r = await run(hardwareGpus, 'hosts/size-nd96isr-h100-v5', 'Standard_NC999zz_v9');
    expect(r.status).toBe('warn');
    expect(r.message).toBe("Standard_NC999zz_v9 (from the --batch-pool file) is not in batch-preflight's VM size table, so its GPU count cannot be compared with the hardware");
    expect(r.category).toBe('config');
  });

  it('AMD sizes have no NVIDIA GPU to count', async () => {
    const r = await run(hardwareGpus, 'hosts/size-hb120rs-v3', 'Standard_ND96isr_MI300X_v5');
    expect(r.status).toBe('pass');
    expect(r.message).toBe('Standard_ND96isr_MI300X_v5 (ND MI300X v5) has no NVIDIA GPU (its GPUs are AMD MI300X): nothing to compare');
  });

  it('a partial GPU size needs one device', async () => {
    const missing = await run(hardwareGpus, 'hosts/size-hb120rs-v3', 'Standard_NV6ads_A10_v5');
    expect(missing.status).toBe('fail');
    expect(missing.message).toBe('the PCI bus shows 0 NVIDIA GPUs; Standard_NV6ads_A10_v5 has 1/6 of an NVIDIA A10 (one device): 1 missing from the bus');
  });

  it('is an error, never a pass, when a PCI device file holds garbage', async () => {
    const root = tempTree({ 'sys/devices/pci0003:00/0003:00:00.0/class': 'VGA\n' }, 'hosts/size-nd96isr-h100-v5');
    const r = await run(hardwareGpus, root, 'Standard_ND96isr_H100_v5');
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read the PCI devices: .*class holds "vga"/);
  });

  it('more GPUs than the size has is a warning about the size', async () => {
    const r = await run(hardwareGpus, 'hosts/size-nd96isr-h100-v5', 'Standard_NC96ads_A100_v4');
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^the PCI bus shows 8 NVIDIA GPUs, more than the 4 NVIDIA A100 80GB PCIe GPUs of Standard_NC96ads_A100_v4/);
    // The pool definition and the image's host disagree: the size, not the node, is what to look at.
    expect(r).toMatchObject({ category: 'config', retryable: false });
  });
});

describe('hardware.pcie-link', () => {
  it('an idle GPU at a lower speed is reported, not warned about', async () => {
    const r = await run(hardwarePcieLink, 'hosts/size-nd96asr-v4', 'Standard_ND96asr_v4');
    expect(r.status).toBe('pass');
    expect(r.message).toBe('8 GPU PCIe links at full width (x16); 1 at a lower speed than their maximum (0004:00:00.0 2.5 GT/s of 16 GT/s), which idle NVIDIA GPUs do to save power');
  });

  it('is an error when the link width is missing from sysfs, and when it holds garbage', async () => {
    const root = tempTree({}, 'hosts/size-nd96isr-h100-v5');
    rmSync(path.join(root, 'sys/devices/pci0002:00/0002:00:00.0/current_link_width'));
    const r = await run(hardwarePcieLink, root, 'Standard_ND96isr_H100_v5');
    expect(r.status).toBe('error');
    expect(r.message).toBe('the kernel reports no PCIe link width for GPU 0002:00:00.0, so its link cannot be judged');
    const garbage = tempTree({ 'sys/devices/pci0002:00/0002:00:00.0/max_link_speed': 'fast\n' }, 'hosts/size-nd96isr-h100-v5');
    const g = await run(hardwarePcieLink, garbage, 'Standard_ND96isr_H100_v5');
    expect(g.status).toBe('error');
    expect(g.message).toBe('could not read a GPU\'s PCIe link: not a PCIe link speed: "fast"');
  });

  it('is an error, not a crash, when two GPUs have no width: one without max_link_width, one without current_link_width', async () => {
    const root = tempTree({}, 'hosts/size-nd96isr-h100-v5');
    rmSync(path.join(root, 'sys/devices/pci0002:00/0002:00:00.0/max_link_width'));
    rmSync(path.join(root, 'sys/devices/pci0006:00/0006:00:00.0/current_link_width'));
    const r = await run(hardwarePcieLink, root, 'Standard_ND96isr_H100_v5');
    expect(r.status).toBe('error');
    expect(r.message).toBe('the kernel reports no PCIe link width for GPUs 0002:00:00.0, 0006:00:00.0, so their links cannot be judged');
    expect(r.evidence?.noLinkState).toEqual(['0002:00:00.0', '0006:00:00.0']);
    expect(r.evidence?.links).toHaveLength(6);
  });

  // The kernel writes 0 when no link trained: there is no width to compare, which is not a full-width link (pass) nor a narrow one (warn).
  it.each(['current_link_width', 'max_link_width'])('is an error, neither pass nor warn, when %s is 0', async (file) => {
    const root = tempTree({ [`sys/devices/pci0004:00/0004:00:00.0/${file}`]: '0\n' }, 'hosts/size-nd96isr-h100-v5');
    const r = await run(hardwarePcieLink, root, 'Standard_ND96isr_H100_v5');
    expect(r.status).toBe('error');
    expect(r.message).toBe('the kernel reports no PCIe link width for GPU 0004:00:00.0, so its link cannot be judged');
  });

  it('judges the width when the kernel gives no link speed, and does not call an unknown speed lower', async () => {
    const root = tempTree({}, 'hosts/size-nd96isr-h100-v5');
    rmSync(path.join(root, 'sys/devices/pci0003:00/0003:00:00.0/current_link_speed'));
    rmSync(path.join(root, 'sys/devices/pci0007:00/0007:00:00.0/max_link_speed'));
    const r = await run(hardwarePcieLink, root, 'Standard_ND96isr_H100_v5');
    expect(r.status).toBe('pass');
    expect(r.message).toBe('8 GPU PCIe links at full width (x16)');
    expect(r.evidence?.links).toEqual(expect.arrayContaining(['0003:00:00.0 x16 of x16, unknown speed of 32 GT/s', '0007:00:00.0 x16 of x16, 32 GT/s of unknown speed']));
  });

  it('is an error, not a crash, when a PCI device cannot be read', async () => {
    const root = tempTree({ 'sys/devices/pci0003:00/0003:00:00.0/class': 'VGA\n' }, 'hosts/size-nd96isr-h100-v5');
    const r = await run(hardwarePcieLink, root, 'Standard_ND96isr_H100_v5');
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read the PCI devices: .*class holds "vga"/);
  });

  it('passes with nothing to judge on a host without an NVIDIA GPU', async () => {
    const r = await run(hardwarePcieLink, 'hosts/size-hb120rs-v3', 'Standard_HB120rs_v3');
    expect(r.status).toBe('pass');
    expect(r.message).toBe('no NVIDIA GPU on the PCI bus, so no link to judge (hardware.gpus and nvidia.driver judge the GPUs themselves)');
  });

  it('counts one link in the singular and several narrow ones in the plural', async () => {
    const one = tempTree({}, 'hosts/size-nd96isr-h100-v5');
    for (const n of [2, 3, 4, 5, 6, 7, 8]) rmSync(path.join(one, `sys/bus/pci/devices/000${n}:00:00.0`));
    const single = await run(hardwarePcieLink, one, 'Standard_NC40ads_H100_v5');
    expect(single.status).toBe('pass');
    expect(single.message).toBe('1 GPU PCIe link at full width (x16)');
    const two = tempTree({ 'sys/devices/pci0001:00/0001:00:00.0/current_link_width': '8\n', 'sys/devices/pci0008:00/0008:00:00.0/current_link_width': '4\n' }, 'hosts/size-nd96isr-h100-v5');
    const narrow = await run(hardwarePcieLink, two, 'Standard_ND96isr_H100_v5');
    expect(narrow.status).toBe('warn');
    expect(narrow.message).toMatch(/^2 GPU PCIe links narrower than the GPU can run: 0001:00:00\.0 x8 of x16, .*; 0008:00:00\.0 x4 of x16,/);
  });
});
