// The VM size hardware table: real size names find their row, every row agrees with the feature
// patterns (a GPU row is a gpu size, an InfiniBand row an infiniband one, AMD never NVIDIA), and
// a size not in the table is unknown rather than guessed.
import { describe, expect, it } from 'vitest';
import { sizeHardware, VM_SIZE_HARDWARE } from '../../src/data/vm-size-hardware';
import { vmSizeFeatures } from '../../src/requirements/vm-size';

const SIZES: [string, string, number | null, string | null][] = [
  ['Standard_ND96isr_H100_v5', 'ND H100 v5', 8, '8x400'],
  ['Standard_ND96isr_H200_v5', 'ND H200 v5', 8, 'unknown'],
  ['Standard_ND96asr_v4', 'ND A100 v4', 8, '8x200'],
  ['Standard_ND96amsr_A100_v4', 'NDm A100 v4', 8, '8x200'],
  ['Standard_ND96isr_MI300X_v5', 'ND MI300X v5', 8, '8x400'],
  ['Standard_NC24ads_A100_v4', 'NC A100 v4', 1, null],
  ['Standard_NC96ads_A100_v4', 'NC A100 v4', 4, null],
  ['Standard_NC40ads_H100_v5', 'NCads H100 v5', 1, null],
  ['Standard_NC80adis_H100_v5', 'NCads H100 v5', 2, null],
  ['Standard_NC8as_T4_v3', 'NCasT4 v3', 1, null],
  ['Standard_NC64as_T4_v3', 'NCasT4 v3', 4, null],
  ['Standard_NV6ads_A10_v5', 'NVads A10 v5', 1, null],
  ['Standard_NV36adms_A10_v5', 'NVads A10 v5', 1, null],
  ['Standard_NV72ads_A10_v5', 'NVads A10 v5', 2, null],
  ['Standard_NC24rs_v3', 'NCv3', 4, 'unknown'],
  ['standard_hb120rs_v3', 'HBv3', null, '1x200'],
  ['Standard_HB120-16rs_v3', 'HBv3', null, '1x200'],
  ['Standard_HB176-24rs_v4', 'HBv4', null, '1x400'],
  ['Standard_HX176rs', 'HX', null, '1x400'],
];

describe('sizeHardware', () => {
  it.each(SIZES)('%s is %s', (name, series, gpus, ib) => {
    const row = sizeHardware(name)!;
    expect(row.series).toBe(series);
    expect(row.gpus?.count ?? null).toBe(gpus);
    expect(row.ib === null || row.ib === 'unknown' ? row.ib : `${row.ib.ports}x${row.ib.rateGbps}`).toBe(ib);
  });

  it('partial GPUs say which share', () => {
    expect(sizeHardware('Standard_NV12ads_A10_v5')!.gpus).toEqual({ vendor: 'nvidia', model: 'A10', count: 1, fraction: '1/3' });
  });

  it.each(['Standard_D4s_v5', 'Standard_HB120rs_v2', 'Standard_ND96is_H100_v5', 'Standard_NC96ads_A100_v4x'])('%s is not in the table', (name) => expect(sizeHardware(name)).toBeNull());
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
    for (const row of VM_SIZE_HARDWARE) expect(row.source).toMatch(/^https:\/\/learn\.microsoft\.com\/azure\/virtual-machines\/sizes\//);
  });
});
