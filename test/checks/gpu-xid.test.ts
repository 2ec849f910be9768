// gpu.xid against the 8 x H100 host's kernel log (fixtures/hosts/gpu-h100x8-ok/dev/kmsg, /dev/kmsg
// records), with Xid lines added. Fault codes: Azure/azurehpc-health-checks customTests/azure_gpu_xid.nhc
// (XID_EC); the Xid texts are those of public kernel logs (test/parsers/kernel-log-xid.test.ts).
import { describe, expect, it } from 'vitest';
import { staticSkip } from '../../src/engine/select';
import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { gpuXid } from '../../checks/gpu-xid';
import { AZURE_FAULT_XIDS } from '../../src/data/gpu-xid-codes';
import { FIXTURES, runCheck, tempTree } from '../helpers/host';

const gpu = { features: ['gpu' as const] };
const boot = readFileSync(path.join(FIXTURES, 'hosts/gpu-h100x8-ok/dev/kmsg'), 'utf8');
const withLog = (extra: string) => tempTree({ 'dev/kmsg': boot + extra }, 'hosts/gpu-h100x8-ok');
const FELL_OFF = "4,2300,90000000,-;NVRM: Xid (PCI:0000:db:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.\n";
const REMAP = '4,2210,86400123,-;NVRM: Xid (PCI:0000:18:00): 63, pid=1896, Row Remapper: New row marked for remapping, reset gpu to activate.\n';
const APP = '4,2100,80000000,-;NVRM: Xid (PCI:0000:2a:00): 13, pid=4242, name=python3, Graphics SM Warp Exception on (GPC 0, TPC 1, SM 0)\n';

describe('gpu.xid', () => {
  it('passes on a boot log without Xid lines', async () => {
    const r = await runCheck(gpuXid, 'hosts/gpu-h100x8-ok', gpu);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('no GPU fault Xid in the kernel log since boot');
  });

  it('passes on Xids that applications raise, listing them', async () => {
    const r = await runCheck(gpuXid, withLog(APP), gpu);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('no GPU fault Xid in the kernel log since boot; 1 Xid event(s) of codes that applications raise (13), not GPU faults');
    expect(r.evidence?.xidEvents).toEqual(['0000:2a:00 Xid 13: pid=4242, name=python3, Graphics SM Warp Exception on (GPC 0, TPC 1, SM 0)']);
  });

  it('fails (node) on a GPU fallen off the bus and on a row remap, one finding per GPU and code', async () => {
    const r = await runCheck(gpuXid, withLog(REMAP + FELL_OFF + FELL_OFF + APP), gpu);
    expect(r.status).toBe('fail');
    expect(r.category).toBe('node');
    expect(r.retryable).toBe(false);
    expect(r.findings?.map((f) => f.message)).toEqual([
      'GPU 0000:18:00: Xid 63 since boot: pid=1896, Row Remapper: New row marked for remapping, reset gpu to activate.',
      "GPU 0000:db:00: Xid 79 since boot (2 times): pid='<unknown>', name=<unknown>, GPU has fallen off the bus.",
    ]);
    expect(r.remediation).toMatch(/az batch node reboot --pool-id <pool> --node-id <node>/);
    expect(r.remediation).toMatch(/az batch node delete --pool-id <pool> --node-list <node>/);
  });

  it("fails on every code of Azure's list, and only on those", async () => {
    for (const code of [48, 56, 57, 58, 62, 63, 64, 65, 68, 69, 73, 74, 79, 80, 81, 92, 119, 120]) {
      expect(AZURE_FAULT_XIDS.has(code), String(code)).toBe(true);
      const r = await runCheck(gpuXid, withLog(`4,9,9,-;NVRM: Xid (PCI:0000:18:00): ${code}, pid=1\n`), gpu);
      expect(r.status, String(code)).toBe('fail');
    }
    expect(AZURE_FAULT_XIDS.size).toBe(18);
    for (const code of [13, 31, 43, 45]) expect((await runCheck(gpuXid, withLog(`4,9,9,-;NVRM: Xid (PCI:0000:18:00): ${code}, pid=1\n`), gpu)).status, String(code)).toBe('pass');
  });

  it('is an error when the kernel log is missing (no /dev/kmsg) or cannot be read', async () => {
    const root = tempTree({}, 'hosts/gpu-h100x8-ok');
    rmSync(path.join(root, 'dev/kmsg'));
    const missing = await runCheck(gpuXid, root, gpu);
    expect(missing.status).toBe('error');
    expect(missing.message).toMatch(/^could not read the kernel log \(\/dev\/kmsg\): .*does not exist/);
    symlinkSync('kmsg', path.join(root, 'dev/kmsg'));
    const loop = await runCheck(gpuXid, root, gpu);
    expect(loop.status).toBe('error');
    expect(loop.message).toMatch(/^could not read the kernel log/);
  });

  it('reads the real /dev/kmsg to its end without blocking (it never ends with EOF)', async () => {
    const started = Date.now();
    const r = await runCheck(gpuXid, '/', gpu);
    // Whatever this machine logged, the read came back, and quickly.
    expect(['pass', 'fail']).toContain(r.status);
    expect(r.evidence?.kernelLogBytes).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('is a node check on the node itself: skipped in image mode (a build VM need not have the pool\'s hardware), offline and in containers', () => {
    expect(gpuXid).toMatchObject({ area: 'gpu', category: 'node', features: ['gpu'], live: true, readiness: false });
    const features = new Set(gpuXid.features);
    expect(staticSkip(gpuXid, { features, mode: 'image' })?.kind).toBe('image-mode');
    expect(staticSkip(gpuXid, { features, mode: 'offline' })?.kind).toBe('needs-host');
    expect(staticSkip(gpuXid, { features, mode: 'start-task' })).toBeNull();
  });
});

describe('RootFs.readRecords (the read gpu.xid uses)', () => {
  it('says truncated when the log is larger than it reads, so that gpu.xid cannot pass on half a log', async () => {
    const { RootFs } = await import('../../src/host/rootfs');
    const root = withLog(FELL_OFF);
    const all = await new RootFs(root).readRecords('/dev/kmsg', 1024 * 1024);
    expect(all).toMatchObject({ truncated: false, lost: false });
    expect(all.text).toContain('Xid (PCI:0000:db:00): 79');
    const part = await new RootFs(root).readRecords('/dev/kmsg', 100);
    expect(part).toMatchObject({ truncated: true });
    expect(part.text).toHaveLength(100);
  });
});
