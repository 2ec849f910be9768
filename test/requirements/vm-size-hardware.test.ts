// The VM size hardware table: real size names find their row, every row agrees with the feature
// patterns (a GPU row is a gpu size, an InfiniBand row an infiniband one, AMD never NVIDIA), every
// row names its Azure size page, the rows agree with Azure/azurehpc-health-checks' per-size
// configuration, and a size not in the table is unknown rather than guessed.
import { describe, expect, it } from 'vitest';
import { sizeHardware, VM_SIZE_HARDWARE, type SizeHardware } from '../../src/data/vm-size-hardware';
import { vmSizeFeatures } from '../../src/requirements/vm-size';

const ibText = (row: SizeHardware) => (row.ib === null || row.ib === 'unknown' ? row.ib : `${row.ib.ports}x${row.ib.rateGbps}`);
const diskText = (row: SizeHardware) => `${row.tempDisk.kind}+${row.tempDisk.nvme}nvme`;

// [size, series, GPUs, InfiniBand ports x rate, temp disk]: each from the size's "Sizes in series" tabs.
const SIZES: [string, string, number | null, string | null, string][] = [
  ['Standard_ND96isr_H100_v5', 'ND H100 v5', 8, '8x400', 'scsi+8nvme'],
  ['Standard_ND96isr_H200_v5', 'ND H200 v5', 8, '8x400', 'scsi+8nvme'],
  ['Standard_ND128isr_NDR_GB200_v6', 'ND GB200 v6', 4, '4x400', 'nvme+4nvme'],
  ['Standard_ND96asr_v4', 'ND A100 v4', 8, '8x200', 'scsi+unknownnvme'],
  ['Standard_ND96amsr_A100_v4', 'NDm A100 v4', 8, '8x200', 'scsi+unknownnvme'],
  ['Standard_ND96isr_MI300X_v5', 'ND MI300X v5', 8, '8x400', 'scsi+8nvme'],
  ['Standard_ND40rs_v2', 'NDv2', 8, '1x100', 'scsi+unknownnvme'],
  ['Standard_NC24ads_A100_v4', 'NC A100 v4', 1, null, 'scsi+1nvme'],
  ['Standard_NC48ads_A100_v4', 'NC A100 v4', 2, null, 'scsi+unknownnvme'],
  ['Standard_NC96ads_A100_v4', 'NC A100 v4', 4, null, 'scsi+4nvme'],
  ['Standard_NC40ads_H100_v5', 'NCads H100 v5', 1, null, 'scsi+unknownnvme'],
  ['Standard_NC80adis_H100_v5', 'NCads H100 v5', 2, null, 'scsi+unknownnvme'],
  ['Standard_NCC40ads_H100_v5', 'NCCads H100 v5', 1, null, 'scsi+unknownnvme'],
  ['Standard_NC8as_T4_v3', 'NCasT4 v3', 1, null, 'scsi+unknownnvme'],
  ['Standard_NC64as_T4_v3', 'NCasT4 v3', 4, null, 'scsi+unknownnvme'],
  ['Standard_NV6ads_A10_v5', 'NVads A10 v5', 1, null, 'scsi+unknownnvme'],
  ['Standard_NV36adms_A10_v5', 'NVads A10 v5', 1, null, 'scsi+unknownnvme'],
  ['Standard_NV72ads_A10_v5', 'NVads A10 v5', 2, null, 'scsi+unknownnvme'],
  ['Standard_NV4ads_V710_v5', 'NVads V710 v5', 1, null, 'unknown+unknownnvme'],
  ['Standard_NV28adms_V710_v5', 'NVads V710 v5', 1, null, 'unknown+unknownnvme'],
  ['Standard_NG8ads_V620_v1', 'NGads V620', 1, null, 'scsi+1nvme'],
  ['Standard_NG32adms_V620_v1', 'NGads V620', 1, null, 'scsi+4nvme'],
  ['Standard_NC24rs_v3', 'NCv3', 4, 'unknown', 'scsi+unknownnvme'],
  ['Standard_HB120rs_v2', 'HBv2', null, '1x200', 'scsi+1nvme'],
  ['Standard_HB120-16rs_v2', 'HBv2', null, '1x200', 'scsi+1nvme'],
  ['standard_hb120rs_v3', 'HBv3', null, '1x200', 'scsi+2nvme'],
  ['Standard_HB120-16rs_v3', 'HBv3', null, '1x200', 'scsi+2nvme'],
  ['Standard_HB176-24rs_v4', 'HBv4', null, '1x400', 'scsi+2nvme'],
  ['Standard_HB368rs_v5', 'HBv5', null, '4x200', 'scsi+8nvme'],
  ['Standard_HB368-336rs_v5', 'HBv5', null, '4x200', 'scsi+8nvme'],
  ['Standard_HB368-48rs_v5', 'HBv5', null, '4x200', 'scsi+8nvme'],
  ['Standard_HX176rs', 'HX', null, '1x400', 'scsi+2nvme'],
  ['Standard_HC44rs', 'HC', null, '1x100', 'scsi+unknownnvme'],
  ['Standard_HC44-16rs', 'HC', null, '1x100', 'scsi+unknownnvme'],
];

describe('sizeHardware', () => {
  it.each(SIZES)('%s is %s', (name, series, gpus, ib, disk) => {
    const row = sizeHardware(name)!;
    expect(row.series).toBe(series);
    expect(row.gpus?.count ?? null).toBe(gpus);
    expect(ibText(row)).toBe(ib);
    expect(diskText(row)).toBe(disk);
  });

  it('partial GPUs say which share', () => {
    expect(sizeHardware('Standard_NV12ads_A10_v5')!.gpus).toEqual({ vendor: 'nvidia', model: 'A10', count: 1, fraction: '1/3' });
    expect(sizeHardware('Standard_NV8ads_V710_v5')!.gpus).toEqual({ vendor: 'amd', model: 'Radeon PRO V710', count: 1, fraction: '1/3' });
    expect(sizeHardware('Standard_NG16ads_V620_v1')!.gpus).toEqual({ vendor: 'amd', model: 'Radeon PRO V620', count: 1, fraction: '1/2' });
  });

  it('ND H200 v5 has 8 x 400 Gb/s NDR InfiniBand, like ND H100 v5', () => {
    expect(sizeHardware('Standard_ND96isr_H200_v5')!.ib).toEqual({ ports: 8, rateGbps: 400, generation: 'NDR' });
  });

  it.each(['Standard_D4s_v5', 'Standard_HB120rs_v1', 'Standard_ND96is_H100_v5', 'Standard_NC96ads_A100_v4x', 'Standard_HB368rs_v4'])('%s is not in the table', (name) =>
    expect(sizeHardware(name)).toBeNull(),
  );
});

describe('the table agrees with the feature patterns', () => {
  it.each(SIZES)('%s', (name) => {
    const row = sizeHardware(name)!;
    const f = vmSizeFeatures(name);
    expect(f.gpu !== null).toBe(row.gpus?.vendor === 'nvidia');
    expect(f.amdGpu !== null).toBe(row.gpus?.vendor === 'amd');
    expect(f.infiniband !== null).toBe(row.ib !== null);
  });

  it('every row names its documentation page', () => {
    for (const row of VM_SIZE_HARDWARE) expect(row.source).toMatch(/^https:\/\/learn\.microsoft\.com\/azure\/virtual-machines\/sizes\/(gpu-accelerated|high-performance-compute)\/[a-z0-9-]+-series$/);
  });
});

// Azure/azurehpc-health-checks conf/<size>.conf at commit 0e0a1ac (2026-05-01), transcribed:
// `check_gpu_count N`, one `check_hw_ib <rate> mlx5_ibN:1` per InfiniBand port (the mlx5_an0
// Ethernet function some files also list is not InfiniBand), `check_nvme_count N` where present.
const HEALTH_CHECKS: [string, { gpus?: number; ib?: string; nvme?: number }][] = [
  ['Standard_ND96isr_H100_v5', { gpus: 8, ib: '8x400', nvme: 8 }],
  ['Standard_ND96isr_H200_v5', { gpus: 8, ib: '8x400', nvme: 8 }],
  ['Standard_ND96asr_v4', { gpus: 8, ib: '8x200' }],
  ['Standard_ND96amsr_A100_v4', { gpus: 8, ib: '8x200' }],
  ['Standard_ND96isr_MI300X_v5', { gpus: 8, ib: '8x400' }],
  ['Standard_ND40rs_v2', { gpus: 8, ib: '1x100' }],
  ['Standard_NC24ads_A100_v4', { gpus: 1 }],
  ['Standard_NC48ads_A100_v4', { gpus: 2 }],
  ['Standard_NC96ads_A100_v4', { gpus: 4 }],
  ['Standard_NC40ads_H100_v5', { gpus: 1 }],
  ['Standard_NC80adis_H100_v5', { gpus: 2 }],
  ['Standard_NC6s_v3', { gpus: 1 }],
  ['Standard_NC12s_v3', { gpus: 2 }],
  ['Standard_NC24s_v3', { gpus: 4 }],
  ['Standard_NC24rs_v3', { gpus: 4 }],
  ['Standard_HB120rs_v2', { ib: '1x200' }],
  ['Standard_HB120rs_v3', { ib: '1x200' }],
  ['Standard_HB120-16rs_v3', { ib: '1x200' }],
  ['Standard_HB176rs_v4', { ib: '1x400' }],
  ['Standard_HB176-24rs_v4', { ib: '1x400' }],
  ['Standard_HX176rs', { ib: '1x400' }],
  ['Standard_HC44rs', { ib: '1x100' }],
  ['Standard_HC44-32rs', { ib: '1x100' }],
];

describe('cross-check with Azure/azurehpc-health-checks conf/*.conf', () => {
  it.each(HEALTH_CHECKS)('%s', (name, conf) => {
    const row = sizeHardware(name)!;
    if (conf.gpus !== undefined) expect(row.gpus?.count).toBe(conf.gpus);
    if (conf.ib !== undefined) expect(ibText(row)).toBe(conf.ib);
    if (conf.nvme !== undefined) expect(row.tempDisk.nvme).toBe(conf.nvme);
  });
});
