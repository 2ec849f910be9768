// The hardware checks through the bundle in start-task mode, with a fixture node's sysfs mounted
// over /sys inside a sandbox: the size comes from the pool file (or instance metadata), the PCI
// bus and InfiniBand ports from "the kernel".
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';
import type { CheckOutcome as Outcome } from '../../src/types';

const NODE = 'mkdir -p /tmp/shared /tmp/wd && export AZ_BATCH_NODE_ID=tvm-1 AZ_BATCH_TASK_WORKING_DIR=/tmp/wd AZ_BATCH_NODE_SHARED_DIR=/tmp/shared';
const RUN = `${NODE}; node $BUNDLE --batch-pool $REPO/fixtures/batch/pool-rest.json --only hardware.gpus,hardware.infiniband,hardware.pcie-link --format json`;
/** Mounts a copy of the fixture node's /sys, changed by `edit` (paths relative to it). */
const sysOf = (edit = '') => `cp -a $REPO/fixtures/hosts/size-nd96isr-h100-v5/sys /tmp/sys && cd /tmp/sys && ${edit || 'true'} && cd / && mount --bind /tmp/sys /sys && ls /sys/bus/pci/devices | wc -l`;
const byId = (stdout: string) => Object.fromEntries((JSON.parse(stdout) as { checks: Outcome[] }).checks.map((c) => [c.id, c]));

describeLive('hardware checks on an ND H100 v5 node (fixture sysfs over /sys)', {}, () => {
  it('the node as built passes all three', () => {
    const r = runScenario({ setup: sysOf(), run: RUN });
    expect(r.setupOutput).toMatch(/^18\n/);
    const c = byId(r.stdout);
    expect(c['hardware.gpus']!.message).toBe('8 NVIDIA GPUs on the PCI bus, as Standard_ND96isr_H100_v5 has (8 NVIDIA H100 80GB GPUs)');
    expect(c['hardware.infiniband']!.status).toBe('pass');
    expect(c['hardware.pcie-link']!.status).toBe('pass');
    expect(r.status).toBe(0);
  });

  it('a GPU off the bus, a slow port and a narrow link: exit 1, each with who must act', () => {
    const edit = [
      'rm bus/pci/devices/0007:00:00.0',
      'echo "200 Gb/sec (4X HDR)" > devices/virtual/infiniband/mlx5_ib3/ports/1/rate',
      'echo 8 > devices/pci0002:00/0002:00:00.0/current_link_width',
    ].join(' && ');
    const r = runScenario({ setup: sysOf(edit), run: RUN });
    const c = byId(r.stdout);
    expect(c['hardware.gpus']!.status).toBe('fail');
    expect(c['hardware.gpus']!.message).toMatch(/^the PCI bus shows 7 NVIDIA GPUs/);
    expect(c['hardware.infiniband']!.message).toBe('mlx5_ib3 port 1 ACTIVE/LinkUp at 200 Gb/s: below the 400 Gb/s of Standard_ND96isr_H100_v5');
    expect(c['hardware.pcie-link']!.status).toBe('warn');
    for (const id of ['hardware.gpus', 'hardware.infiniband']) expect([c[id]!.category, c[id]!.retryable]).toEqual(['node', false]);
    expect(r.status).toBe(1);
  });
});
