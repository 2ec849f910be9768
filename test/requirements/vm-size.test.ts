import { describe, expect, it } from 'vitest';
import { vmSizeFeatures } from '../../src/requirements/vm-size';

// Real Azure size names, old and current, with what each has: NVIDIA GPUs, an RDMA/InfiniBand
// back-end network, AMD GPUs.
const SIZES: [string, { gpu: boolean; ib: boolean; amd?: boolean }][] = [
  // the examples, in the case Batch Shipyard configs use them
  ['STANDARD_NC24RS_V3', { gpu: true, ib: true }],
  ['Standard_ND96isr_H100_v5', { gpu: true, ib: true }],
  ['Standard_HB120rs_v3', { gpu: false, ib: true }],
  ['STANDARD_D4S_V3', { gpu: false, ib: false }],
  // retired and older sizes
  ['Standard_NC6', { gpu: true, ib: false }],
  ['Standard_NC24r', { gpu: true, ib: true }],
  ['Standard_NC24rs_v2', { gpu: true, ib: true }],
  ['Standard_ND6s', { gpu: true, ib: false }],
  ['Standard_ND24rs', { gpu: true, ib: true }],
  ['Standard_H16', { gpu: false, ib: false }],
  ['Standard_H8m', { gpu: false, ib: false }],
  ['Standard_H16r', { gpu: false, ib: true }],
  ['Standard_H16mr', { gpu: false, ib: true }],
  ['Standard_A8', { gpu: false, ib: true }],
  ['Standard_A9', { gpu: false, ib: true }],
  ['Standard_A10', { gpu: false, ib: false }],
  ['STANDARD_A9', { gpu: false, ib: true }],
  // current HPC
  ['Standard_HC44rs', { gpu: false, ib: true }],
  ['Standard_HC44-16rs', { gpu: false, ib: true }],
  ['Standard_HB60rs', { gpu: false, ib: true }],
  ['Standard_HB176-96rs_v4', { gpu: false, ib: true }],
  ['Standard_HX176rs', { gpu: false, ib: true }],
  // current GPU
  ['Standard_NV12s_v3', { gpu: true, ib: false }],
  ['Standard_NV36ads_A10_v5', { gpu: true, ib: false }],
  ['Standard_NC4as_T4_v3', { gpu: true, ib: false }],
  ['Standard_NC24s_v3', { gpu: true, ib: false }],
  ['Standard_NC24ads_A100_v4', { gpu: true, ib: false }],
  ['Standard_NC40ads_H100_v5', { gpu: true, ib: false }],
  ['Standard_NCC40ads_H100_v5', { gpu: true, ib: false }],
  ['Standard_ND40rs_v2', { gpu: true, ib: true }],
  ['Standard_ND96asr_v4', { gpu: true, ib: true }],
  ['Standard_ND96amsr_A100_v4', { gpu: true, ib: true }],
  ['Standard_ND128isr_NDR_GB200_v6', { gpu: true, ib: true }],
  // AMD GPUs: not the NVIDIA checks
  ['Standard_NV4as_v4', { gpu: false, ib: false, amd: true }],
  ['Standard_NV32as_v4', { gpu: false, ib: false, amd: true }],
  ['Standard_ND96isr_MI300X_v5', { gpu: false, ib: true, amd: true }],
  ['Standard_NG8ads_V620_v1', { gpu: false, ib: false, amd: true }],
  ['Standard_NG32adms_V620_v1', { gpu: false, ib: false, amd: true }],
  ['Standard_NV4ads_V710_v5', { gpu: false, ib: false, amd: true }],
  ['Standard_NV28adms_V710_v5', { gpu: false, ib: false, amd: true }],
  ['Standard_NV16as_v4', { gpu: false, ib: false, amd: true }],
  // general purpose, memory, compute, confidential
  ['Standard_F2s_v2', { gpu: false, ib: false }],
  ['Standard_D2_v2', { gpu: false, ib: false }],
  ['Standard_E64-32ds_v4', { gpu: false, ib: false }],
  ['Standard_M128ms', { gpu: false, ib: false }],
  ['Standard_DC4ads_cc_v5', { gpu: false, ib: false }],
  ['Standard_D96ds_v5', { gpu: false, ib: false }],
];

describe('vmSizeFeatures', () => {
  it.each(SIZES)('%s', (size, want) => {
    const f = vmSizeFeatures(size);
    expect({ gpu: f.gpu !== null, ib: f.infiniband !== null, amd: f.amdGpu !== null }).toEqual({ gpu: want.gpu, ib: want.ib, amd: want.amd ?? false });
  });

  it('says why a size matched', () => {
    expect(vmSizeFeatures('Standard_H16r').infiniband).toMatch(/RDMA/);
    expect(vmSizeFeatures('Standard_NC6').gpu).toMatch(/NVIDIA/);
    expect(vmSizeFeatures('Standard_NV4as_v4').amdGpu).toMatch(/AMD/);
  });

  it('ignores surrounding blanks', () => {
    expect(vmSizeFeatures('  standard_nc6  ').gpu).not.toBeNull();
  });
});
