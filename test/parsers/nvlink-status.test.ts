// `nvidia-smi nvlink --status` as drivers print it: the H100 layout of stas00/ml-engineering
// compute/accelerator/nvidia/debug.md (18 links at 26.562 GB/s), `<inactive>` links, and NVML's
// message when every link of a GPU is down.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseNvlinkStatus } from '../../src/parsers/nvlink-status';
import { FIXTURES } from '../helpers/host';

const h100 = readFileSync(path.join(FIXTURES, 'hosts/gpu-h100x8-ok/usr/share/nvidia-smi-stub/nvlink-status.txt'), 'utf8');

describe('parseNvlinkStatus', () => {
  it('reads 8 GPUs of 18 active links each', () => {
    const gpus = parseNvlinkStatus(h100);
    expect(gpus).toHaveLength(8);
    expect(gpus[0]).toMatchObject({ index: 0, name: 'NVIDIA H100 80GB HBM3', allInactive: false });
    expect(gpus.every((g) => g.links.length === 18 && g.links.every((l) => l.active && l.gbps === 26.562))).toBe(true);
  });

  it('reads inactive links and the all-inactive message', () => {
    const gpus = parseNvlinkStatus('GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-abc)\n\t Link 0: 25 GB/s\n\t Link 1: <inactive>\nGPU 1: NVIDIA A100-SXM4-40GB (UUID: GPU-def)\n\t NVML: Unable to retrieve NVLink information as all links are inActive\n');
    expect(gpus[0]!.links).toEqual([
      { link: 0, active: true, gbps: 25 },
      { link: 1, active: false, gbps: null },
    ]);
    expect(gpus[1]).toMatchObject({ links: [], allInactive: true });
    expect(parseNvlinkStatus('')).toEqual([]);
  });

  it('rejects lines it does not know, never counting them as active links', () => {
    expect(() => parseNvlinkStatus('GPU 0: T (UUID: x)\n\t Link 1: some future status')).toThrow(/line 2: not a GPU line/);
    expect(() => parseNvlinkStatus('\t Link 0: 25 GB/s')).toThrow(/before any GPU line/);
  });
});
