// gpu.health against the 8 x H100 host whose nvidia-smi stub prints its `-q -x` log
// (fixtures/hosts/gpu-h100x8-ok/usr/share/nvidia-smi-stub/q-x.xml), changed per test. The rules
// are Azure's (Azure/azurehpc-health-checks customTests/azure_gpu_ecc.nhc: row remap pending or
// failed, uncorrectable errors end the node; azure_gpu_clock_throttling.nhc: reasons other than
// idle and SW power cap are reported, as warnings).
import { describe, expect, it } from 'vitest';
import { staticSkip } from '../../src/engine/select';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gpuHealth } from '../../checks/gpu-health';
import { FIXTURES, runCheck, tempTree } from '../helpers/host';

const gpu = { features: ['gpu' as const] };
const LOG = 'usr/share/nvidia-smi-stub/q-x.xml';
const h100 = readFileSync(path.join(FIXTURES, 'hosts/gpu-h100x8-ok', LOG), 'utf8');
const v100 = readFileSync(path.join(FIXTURES, 'outputs/nvidia-smi/q-x-v100-dbe.xml'), 'utf8');

/** The 8 x H100 host with nvidia-smi -q -x printing `xml`. */
const withLog = (xml: string) => tempTree({ [LOG]: xml }, 'hosts/gpu-h100x8-ok');
/** The H100 log with GPU `n`'s (0-based) first element `tag` set to `value`. */
function onGpu(n: number, tag: string, value: string): string {
  const start = h100.split('<gpu id=').slice(0, n + 1).join('<gpu id=').length;
  const rest = h100.slice(start).replace(new RegExp(`<${tag}>[^<]*</${tag}>`), `<${tag}>${value}</${tag}>`);
  return h100.slice(0, start) + rest;
}
const smiStub = (body: string) => `#!/bin/sh\n${body}\n`;

describe('gpu.health', () => {
  it('passes on 8 healthy H100s (idle is not a slowdown), reading nvidia-smi once', async () => {
    const r = await runCheck(gpuHealth, 'hosts/gpu-h100x8-ok', gpu);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('8 GPU(s): no uncorrectable ECC error, no pending or failed row remap or page retirement, no hardware clock slowdown');
    expect(r.evidence?.nvidiaSmi).toMatch(/nvidia-smi/);
    expect((r.evidence?.gpus as string[])[0]).toMatch(/^GPU 0 \(00000000:18:00\.0\) NVIDIA H100 80GB HBM3: volatile uncorrectable ECC 0/);
  });

  it('fails (node) on a failed row remap: the GPU must be replaced, not rebooted', async () => {
    const r = await runCheck(gpuHealth, withLog(onGpu(3, 'remapped_row_failure', 'Yes')), gpu);
    expect(r.status).toBe('fail');
    expect(r.category).toBe('node');
    expect(r.retryable).toBe(false);
    expect(r.message).toBe('GPU 3 (00000000:5D:00.0): a row remap failed (remapped_row_failure Yes): the GPU has run out of spare memory rows');
    expect(r.remediation).toMatch(/az batch node delete --pool-id <pool> --node-list <node>/);
  });

  it('fails on a pending row remap, fixed by a reboot', async () => {
    const r = await runCheck(gpuHealth, withLog(onGpu(0, 'remapped_row_pending', 'Yes')), gpu);
    expect(r.status).toBe('fail');
    expect(r.category).toBe('node');
    expect(r.message).toMatch(/^GPU 0 \(00000000:18:00\.0\): a memory row remap is pending/);
    expect(r.remediation).toMatch(/az batch node reboot --pool-id <pool> --node-id <node>/);
  });

  it('fails on volatile uncorrectable ECC errors, DRAM or SRAM', async () => {
    const dram = await runCheck(gpuHealth, withLog(onGpu(7, 'dram_uncorrectable', '2')), gpu);
    expect(dram.status).toBe('fail');
    expect(dram.message).toBe('GPU 7 (00000000:DB:00.0): 2 uncorrectable ECC error(s) since the driver loaded');
    const sram = await runCheck(gpuHealth, withLog(onGpu(1, 'sram_uncorrectable', '1')), gpu);
    expect(sram.status).toBe('fail');
    expect(sram.message).toMatch(/^GPU 1 .*: 1 uncorrectable ECC error/);
  });

  it('fails on a pre-Ampere GPU with double-bit errors and a page retirement pending, naming both', async () => {
    const r = await runCheck(gpuHealth, withLog(v100), gpu);
    expect(r.status).toBe('fail');
    expect(r.findings?.map((f) => f.message)).toEqual([
      'GPU 0 (00000001:00:00.0): 2 uncorrectable ECC error(s) since the driver loaded',
      'GPU 0 (00000001:00:00.0): memory pages wait to be retired (pending retirement Yes): the faulty pages stay in use until the driver reloads',
    ]);
  });

  it('warns on a hardware or thermal slowdown; SW power cap and application clocks are not faults', async () => {
    for (const reason of ['hw_slowdown', 'hw_thermal_slowdown', 'hw_power_brake_slowdown', 'sw_thermal_slowdown']) {
      const r = await runCheck(gpuHealth, withLog(onGpu(2, `clocks_event_reason_${reason}`, 'Active')), gpu);
      expect(r.status, reason).toBe('warn');
      expect(r.message).toMatch(/^GPU 2 \(00000000:3A:00\.0\): clocks held down by (HW|SW) /);
    }
    for (const reason of ['sw_power_cap', 'applications_clocks_setting', 'sync_boost']) {
      const r = await runCheck(gpuHealth, withLog(onGpu(2, `clocks_event_reason_${reason}`, 'Active')), gpu);
      expect(r.status, reason).toBe('pass');
    }
    // The older element names (drivers before 535) are read the same way.
    const old = await runCheck(gpuHealth, withLog(v100.replace('<clocks_throttle_reason_hw_slowdown>Not Active', '<clocks_throttle_reason_hw_slowdown>Active')), gpu);
    expect(old.findings?.map((f) => f.message)).toContain('GPU 0 (00000001:00:00.0): clocks held down by HW Slowdown: the GPU runs slower than its size promises');
  });

  it('passes with ECC off, saying which GPUs report no ECC counters', async () => {
    const off = h100.replace(/<volatile>[\s\S]*?<\/volatile>/, '<volatile><dram_uncorrectable>N/A</dram_uncorrectable><sram_uncorrectable>N/A</sram_uncorrectable></volatile>');
    const r = await runCheck(gpuHealth, withLog(off), gpu);
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/; ECC counters not reported by GPU 0 \(00000000:18:00\.0\) \(ECC off or not supported\)$/);
  });

  it('is an error, never a pass, when nvidia-smi is missing (not installed)', async () => {
    const root = tempTree({}, 'hosts/gpu-h100x8-ok');
    rmSync(path.join(root, 'usr/bin/nvidia-smi'));
    const r = await runCheck(gpuHealth, root, gpu);
    expect(r.status).toBe('error');
    expect(r.message).toBe('nvidia-smi is not installed: GPU health cannot be read');
  });

  it('is an error when nvidia-smi hangs, killing it within the command timeout', async () => {
    const started = Date.now();
    const r = await runCheck(gpuHealth, 'hosts/gpu-smi-hangs', { ...gpu, commandTimeoutMs: 400 });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^driver or GPU not responding: nvidia-smi did not finish within 400 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('is an error when nvidia-smi crashes or prints garbage', async () => {
    const crash = await runCheck(gpuHealth, tempTree({ 'usr/bin/nvidia-smi': smiStub('kill -SEGV $$') }, 'hosts/gpu-h100x8-ok'), gpu);
    expect(crash.status).toBe('error');
    expect(crash.message).toBe('nvidia-smi did not finish normally: nvidia-smi was killed by SIGSEGV');
    const garbage = await runCheck(gpuHealth, withLog('all good!'), gpu);
    expect(garbage.status).toBe('error');
    expect(garbage.message).toMatch(/^nvidia-smi -q -x printed output that is not its XML log/);
    // A log cut short after its first GPU is not read as a healthy one-GPU node.
    const cut = await runCheck(gpuHealth, withLog(h100.slice(0, h100.indexOf('</gpu>') + 6) + '\n</nvidia_smi_log>\n'), gpu);
    expect(cut.status).toBe('error');
    expect(cut.message).toMatch(/attached_gpus says 8 but 1/);
  });

  it("is an error when the driver cannot be reached (nvidia.driver's finding), or lists no GPU", async () => {
    const unreachable = tempTree({ 'usr/bin/nvidia-smi': smiStub(`echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."; exit 9`) }, 'hosts/gpu-h100x8-ok');
    const r = await runCheck(gpuHealth, unreachable, gpu);
    expect(r.status).toBe('error');
    expect(r.message).toBe("nvidia-smi couldn't communicate with the NVIDIA driver");
    const none = await runCheck(gpuHealth, withLog('<?xml version="1.0" ?>\n<nvidia_smi_log><attached_gpus>0</attached_gpus></nvidia_smi_log>\n'), gpu);
    expect(none.status).toBe('error');
    expect(none.message).toBe('nvidia-smi -q -x lists no GPU: GPU health cannot be read');
  });

  it('is a node check on the node itself: skipped in image mode (a build VM need not have the pool\'s hardware), offline and in containers', () => {
    expect(gpuHealth).toMatchObject({ area: 'gpu', category: 'node', features: ['gpu'], live: true, readiness: false, dependsOn: ['nvidia.driver'] });
    const features = new Set(gpuHealth.features);
    expect(staticSkip(gpuHealth, { features, mode: 'image' })?.kind).toBe('image-mode');
    expect(staticSkip(gpuHealth, { features, mode: 'offline' })?.kind).toBe('needs-host');
    expect(staticSkip(gpuHealth, { features, mode: 'start-task' })).toBeNull();
  });
});
