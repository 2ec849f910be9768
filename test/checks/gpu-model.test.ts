// gpu.model: the product names in the 8 x H100 host's `nvidia-smi -q -x` log against the size table
// (src/data/vm-size-hardware.ts: Standard_ND96isr_H100_v5 has 8 x H100 80GB, from its Azure size page).
import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gpuModel } from '../../checks/gpu-model';
import { FIXTURES, runCheck, tempTree } from '../helpers/host';

const LOG = 'usr/share/nvidia-smi-stub/q-x.xml';
const h100 = readFileSync(path.join(FIXTURES, 'hosts/gpu-h100x8-ok', LOG), 'utf8');
const on = (size: string) => ({ features: ['gpu' as const], settings: { mode: 'start-task' as const, vmSize: { name: size, source: '--vm-size' } } });
const withLog = (xml: string) => tempTree({ [LOG]: xml }, 'hosts/gpu-h100x8-ok');

describe('gpu.model', () => {
  it('passes with the H100s of an ND H100 v5', async () => {
    const r = await runCheck(gpuModel, 'hosts/gpu-h100x8-ok', on('Standard_ND96isr_H100_v5'));
    expect(r.status).toBe('pass');
    expect(r.message).toBe('8 GPU(s) NVIDIA H100 80GB HBM3, the H100 80GB of Standard_ND96isr_H100_v5');
  });

  it('warns (config) when the size has another model: A100 is not A10, nor H100 A100', async () => {
    const a100 = await runCheck(gpuModel, 'hosts/gpu-h100x8-ok', on('Standard_ND96asr_v4'));
    expect(a100.status).toBe('warn');
    expect(a100.category).toBe('config');
    expect(a100.message).toBe('nvidia-smi reports NVIDIA H100 80GB HBM3, but Standard_ND96asr_v4 (from --vm-size) has NVIDIA A100 40GB: is the VM size right?');
    const a10 = await runCheck(gpuModel, withLog(h100.replaceAll('NVIDIA H100 80GB HBM3', 'NVIDIA A100 80GB PCIe')), on('Standard_NV36ads_A10_v5'));
    expect(a10.status).toBe('warn');
    const vgpu = await runCheck(gpuModel, withLog(h100.replaceAll('NVIDIA H100 80GB HBM3', 'NVIDIA A10-24Q')), on('Standard_NV36ads_A10_v5'));
    expect(vgpu.status).toBe('pass');
    const sxm = await runCheck(gpuModel, withLog(h100.replaceAll('NVIDIA H100 80GB HBM3', 'NVIDIA A100-SXM4-40GB')), on('Standard_ND96asr_v4'));
    expect(sxm.status).toBe('pass');
  });

  it('passes on a size without an NVIDIA GPU, and warns on a size missing from the table', async () => {
    expect((await runCheck(gpuModel, 'hosts/gpu-h100x8-ok', on('Standard_HB120rs_v3'))).status).toBe('pass');
    expect((await runCheck(gpuModel, 'hosts/gpu-h100x8-ok', on('Standard_ND999_v9'))).status).toBe('warn');
  });

  it('is an error when nvidia-smi is missing (not installed), hangs or prints garbage', async () => {
    const root = tempTree({}, 'hosts/gpu-h100x8-ok');
    rmSync(path.join(root, 'usr/bin/nvidia-smi'));
    expect((await runCheck(gpuModel, root, on('Standard_ND96isr_H100_v5'))).message).toBe('nvidia-smi is not installed: the GPU model cannot be read');
    const hang = await runCheck(gpuModel, 'hosts/gpu-smi-hangs', { ...on('Standard_ND96isr_H100_v5'), commandTimeoutMs: 400 });
    expect(hang.status).toBe('error');
    const garbage = await runCheck(gpuModel, withLog('all good!'), on('Standard_ND96isr_H100_v5'));
    expect(garbage.status).toBe('error');
  });
});
