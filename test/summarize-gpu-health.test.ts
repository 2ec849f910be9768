// summarize puts the GPU health findings (gpu.health, gpu.xid) of a few nodes in the `node` group,
// apart from the fleet: the outcomes are those the checks give on fixture hosts.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { digestReport } from '../src/summarize/digest';
import { aggregate } from '../src/summarize/aggregate';
import { gpuHealth } from '../checks/gpu-health';
import { gpuXid } from '../checks/gpu-xid';
import { FIXTURES, runCheck, tempTree } from './helpers/host';
import { fakeReport, type FakeCheck } from './helpers/reports';

const gpu = { features: ['gpu' as const] };
const LOG = 'usr/share/nvidia-smi-stub/q-x.xml';
const h100 = readFileSync(path.join(FIXTURES, 'hosts/gpu-h100x8-ok', LOG), 'utf8');
const kmsg = readFileSync(path.join(FIXTURES, 'hosts/gpu-h100x8-ok/dev/kmsg'), 'utf8');

const asFake = (o: Awaited<ReturnType<typeof runCheck>>): FakeCheck => ({ id: o.id, status: o.status, message: o.message, ...(o.category ? { category: o.category } : {}) });

describe('summarize with GPU health findings', () => {
  it('groups a failed row remap and an Xid 79 as faults of those VMs, with the reboot-or-replace action', async () => {
    const healthy = [asFake(await runCheck(gpuHealth, 'hosts/gpu-h100x8-ok', gpu)), asFake(await runCheck(gpuXid, 'hosts/gpu-h100x8-ok', gpu))];
    const remap = asFake(await runCheck(gpuHealth, tempTree({ [LOG]: h100.replace('<remapped_row_failure>No', '<remapped_row_failure>Yes') }, 'hosts/gpu-h100x8-ok'), gpu));
    const xid = asFake(await runCheck(gpuXid, tempTree({ 'dev/kmsg': `${kmsg}4,9,9,-;NVRM: Xid (PCI:0000:18:00): 79, pid=1, GPU has fallen off the bus.\n` }, 'hosts/gpu-h100x8-ok'), gpu));
    expect([remap.category, xid.category]).toEqual(['node', 'node']);
    const fleet = Array.from({ length: 6 }, (_, i) => {
      const checks = i === 1 ? [remap, healthy[1]!] : i === 4 ? [healthy[0]!, xid] : healthy;
      return digestReport(`tvm-${i + 1}.json`, fakeReport({ nodeId: `tvm-${i + 1}`, hostname: '', checks }));
    });
    const s = aggregate(fleet);
    expect(s.categories).toEqual([
      {
        category: 'node',
        nodes: ['tvm-2', 'tvm-5'],
        checks: [
          { id: 'gpu.health', nodes: 1 },
          { id: 'gpu.xid', nodes: 1 },
        ],
        action: 'reboot, reimage or redeploy these nodes (or remove them from the pool)',
      },
    ]);
  });
});
