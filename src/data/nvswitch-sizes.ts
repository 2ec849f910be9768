// The Azure VM sizes whose GPUs are joined by NVSwitches, so that CUDA cannot use them until NVIDIA
// Fabric Manager has set the NVLink fabric up. Azure's HPC image build tells them apart with the
// pattern below (Azure/azhpc-images tests/test-definitions.sh `sku_has_nvswitch`, commit 8e9d055:
// "standard_nd96.*v4|standard_nd96is.*_h[12]00_v5", lower-cased size names) and fails the build
// when nvidia-fabricmanager is not active on them (verify_nvidia_fabricmanager_service). The names
// below are the sizes of each series on its Azure size page (the row's source).

export interface NvswitchSeries {
  series: string;
  /** Size names as Azure spells them. */
  sizes: readonly string[];
  source: string;
}

export const NVSWITCH_SERIES: readonly NvswitchSeries[] = [
  { series: 'ND A100 v4', sizes: ['Standard_ND96asr_v4'], source: 'https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/ndasra100v4-series' },
  { series: 'NDm A100 v4', sizes: ['Standard_ND96amsr_A100_v4'], source: 'https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/ndma100v4-series' },
  { series: 'ND H100 v5', sizes: ['Standard_ND96isr_H100_v5'], source: 'https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/ndh100v5-series' },
  { series: 'ND H200 v5', sizes: ['Standard_ND96isr_H200_v5'], source: 'https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nd-h200-v5-series' },
];

/** azhpc-images' own test, anchored as bash's `[[ =~ ^(...)$ ]]` anchors it. */
const AZHPC_NVSWITCH = /^(standard_nd96.*v4|standard_nd96is.*_h[12]00_v5)$/;

/** The series of an NVSwitch size (matched as azhpc-images matches it), or undefined. */
export function nvswitchSeries(vmSize: string): NvswitchSeries | undefined {
  const name = vmSize.trim().toLowerCase();
  if (!AZHPC_NVSWITCH.test(name)) return undefined;
  return NVSWITCH_SERIES.find((s) => s.sizes.some((z) => z.toLowerCase() === name)) ?? { series: 'ND96 A100/H100/H200 (NVSwitch)', sizes: [vmSize], source: 'Azure/azhpc-images tests/test-definitions.sh sku_has_nvswitch' };
}
