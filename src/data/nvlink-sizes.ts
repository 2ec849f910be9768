// The Azure VM sizes whose NVLink links Azure's own health checks verify: those whose
// Azure/azurehpc-health-checks conf/<size>.conf (commit 0e0a1ac) runs check_nvlink_status
// (customTests/azure_gpu_nvlink.nhc: any link `<inactive>` fails the node, FaultCode NHC2016).
// One row per size, its conf file as source; `gpus` is that file's check_gpu_count.

export interface NvlinkSize {
  size: string;
  gpus: number;
  source: string;
}

const conf = (file: string) => `Azure/azurehpc-health-checks conf/${file}.conf (check_nvlink_status)`;

export const NVLINK_SIZES: readonly NvlinkSize[] = [
  { size: 'Standard_NC40ads_H100_v5', gpus: 1, source: conf('nc40ads_h100_v5') },
  { size: 'Standard_NC48ads_A100_v4', gpus: 2, source: conf('nc48ads_a100_v4') },
  { size: 'Standard_NC80adis_H100_v5', gpus: 2, source: conf('nc80adis_h100_v5') },
  { size: 'Standard_NC96ads_A100_v4', gpus: 4, source: conf('nc96ads_a100_v4') },
  { size: 'Standard_ND40rs_v2', gpus: 8, source: conf('nd40rs_v2') },
  { size: 'Standard_ND96amsr_A100_v4', gpus: 8, source: conf('nd96amsr_a100_v4') },
  { size: 'Standard_ND96asr_v4', gpus: 8, source: conf('nd96asr_v4') },
  { size: 'Standard_ND96is_H100_v5', gpus: 8, source: conf('nd96is_h100_v5') },
  { size: 'Standard_ND96is_H200_v5', gpus: 8, source: conf('nd96is_h200_v5') },
  { size: 'Standard_ND96isr_H100_v5', gpus: 8, source: conf('nd96isr_h100_v5') },
  { size: 'Standard_ND96isr_H200_v5', gpus: 8, source: conf('nd96isr_h200_v5') },
  { size: 'Standard_ND96isrf_H200_v5', gpus: 8, source: conf('nd96isrf_h200_v5') },
];

/** The row of a size (names compared without case, as Azure does), or undefined. */
export function nvlinkSize(vmSize: string): NvlinkSize | undefined {
  const name = vmSize.trim().toLowerCase();
  return NVLINK_SIZES.find((s) => s.size.toLowerCase() === name);
}
