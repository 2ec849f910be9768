// gpu.nvlink on the 8 x H100 host, whose nvidia-smi stub prints `nvlink --status`
// (usr/share/nvidia-smi-stub/nvlink-status.txt), changed per test. The sizes and the rule are Azure's
// (Azure/azurehpc-health-checks conf/*.conf with check_nvlink_status; customTests/azure_gpu_nvlink.nhc).
import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gpuNvlink } from '../../checks/gpu-nvlink';
import { NVLINK_SIZES } from '../../src/data/nvlink-sizes';
import { sizeHardware } from '../../src/data/vm-size-hardware';
import { FIXTURES, runCheck, tempTree } from '../helpers/host';

const STATUS = 'usr/share/nvidia-smi-stub/nvlink-status.txt';
const links = readFileSync(path.join(FIXTURES, 'hosts/gpu-h100x8-ok', STATUS), 'utf8');
const on = (size: string, extra = {}) => ({ features: ['gpu' as const], settings: { mode: 'start-task' as const, vmSize: { name: size, source: '--vm-size' } }, ...extra });
const ND = 'Standard_ND96isr_H100_v5';
const withStatus = (text: string) => tempTree({ [STATUS]: text }, 'hosts/gpu-h100x8-ok');
const smiStub = (body: string) => ({ 'usr/bin/nvidia-smi': `#!/bin/sh\n${body}\n` });

describe('gpu.nvlink', () => {
  it('passes with 18 active links on each of 8 H100s', async () => {
    const r = await runCheck(gpuNvlink, 'hosts/gpu-h100x8-ok', on(ND));
    expect(r.status).toBe('pass');
    expect(r.message).toBe('8 GPU(s), all 144 NVLink links active');
    expect(r.evidence?.table).toBe('Azure/azurehpc-health-checks conf/nd96isr_h100_v5.conf (check_nvlink_status)');
  });

  it('fails (node) on an inactive link, and on a GPU whose links are all inactive', async () => {
    const one = await runCheck(gpuNvlink, withStatus(links.replace(/(GPU 3:[^\n]*\n(?:.*\n){5})\t Link 5: 26.562 GB\/s/, '$1\t Link 5: <inactive>')), on(ND));
    expect(one.status).toBe('fail');
    expect(one.category).toBe('node');
    expect(one.message).toBe('GPU 3 (NVIDIA H100 80GB HBM3): NVLink link(s) 5 inactive of 18');
    expect(one.remediation).toMatch(/az batch node delete --pool-id <pool> --node-list <node>/);
    const all = await runCheck(gpuNvlink, withStatus(`${links}`.replace(/(GPU 7:[^\n]*\n)[\s\S]*$/, '$1\t NVML: Unable to retrieve NVLink information as all links are inActive\n')), on(ND));
    expect(all.status).toBe('fail');
    expect(all.message).toBe('GPU 7 (NVIDIA H100 80GB HBM3): all NVLink links are inactive');
  });

  it('warns when nvidia-smi reports no NVLink on a size that has it', async () => {
    const r = await runCheck(gpuNvlink, withStatus(''), on(ND));
    expect(r.status).toBe('warn');
    expect(r.message).toBe("nvidia-smi reports no NVLink on Standard_ND96isr_H100_v5, whose GPUs Azure's health checks expect to be linked");
  });

  it('passes without running nvidia-smi on sizes Azure does not check, and on one-GPU sizes', async () => {
    const none = await runCheck(gpuNvlink, tempTree(smiStub('exit 99'), 'hosts/gpu-h100x8-ok'), on('Standard_NC64as_T4_v3'));
    expect(none.status).toBe('pass');
    expect(none.message).toMatch(/is not among the sizes whose NVLink Azure's health checks verify/);
    const single = await runCheck(gpuNvlink, tempTree(smiStub('exit 99'), 'hosts/gpu-h100x8-ok'), on('Standard_NC40ads_H100_v5'));
    expect(single.message).toBe('Standard_NC40ads_H100_v5 has one GPU: no NVLink peer to check');
  });

  it('is an error when nvidia-smi is missing (not installed), hangs, crashes, fails or prints garbage', async () => {
    const root = tempTree({}, 'hosts/gpu-h100x8-ok');
    rmSync(path.join(root, 'usr/bin/nvidia-smi'));
    expect((await runCheck(gpuNvlink, root, on(ND))).message).toBe('nvidia-smi is not installed: NVLink cannot be read');
    const hang = await runCheck(gpuNvlink, 'hosts/gpu-smi-hangs', on(ND, { commandTimeoutMs: 400 }));
    expect(hang.message).toMatch(/^driver or GPU not responding: nvidia-smi did not finish within 400 ms/);
    expect((await runCheck(gpuNvlink, tempTree(smiStub('kill -SEGV $$'), 'hosts/gpu-h100x8-ok'), on(ND))).message).toBe('nvidia-smi did not finish normally: nvidia-smi was killed by SIGSEGV');
    expect((await runCheck(gpuNvlink, tempTree(smiStub('echo "Failed to initialize NVML: Driver/library version mismatch"; exit 18'), 'hosts/gpu-h100x8-ok'), on(ND))).message).toBe(
      'nvidia-smi nvlink --status failed (exit 18): Failed to initialize NVML: Driver/library version mismatch',
    );
    const garbage = await runCheck(gpuNvlink, withStatus('GPU 0: H100 (UUID: x)\n\t Link 0: fine\n'), on(ND));
    expect(garbage.status).toBe('error');
    expect(garbage.message).toMatch(/^nvidia-smi nvlink --status printed something else: line 2/);
  });

  it('has a table whose sizes are in the size table with the same GPU count', () => {
    for (const row of NVLINK_SIZES) {
      const hw = sizeHardware(row.size);
      if (hw) expect(hw.gpus?.count, row.size).toBe(row.gpus);
    }
    expect(NVLINK_SIZES.map((r) => r.source).every((s) => /^Azure\/azurehpc-health-checks conf\/[a-z0-9_]+\.conf/.test(s))).toBe(true);
  });
});
