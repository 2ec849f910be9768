// The GPUs and InfiniBand ports each Azure VM size promises. Data only, each row from the size's
// page in the Azure documentation (the MicrosoftDocs/azure-docs sources of
// https://learn.microsoft.com/azure/virtual-machines/sizes/overview, as of 2024-2025): GPU count
// from the "Accelerators" tab, model from the series summary, InfiniBand rate from the series
// summary. Only what those pages say is written here; `ib: 'unknown'` marks a size with InfiniBand
// whose ports the pages do not describe. A size not listed is unknown, and the checks say so.

export type GpuVendor = 'nvidia' | 'amd';

export interface SizeGpus {
  vendor: GpuVendor;
  /** The model as the documentation names it. */
  model: string;
  /** Whole GPUs the VM has; 1 for a partition of one GPU. */
  count: number;
  /** For a partition of one GPU (NVads A10 v5): the share, e.g. '1/6'. */
  fraction?: string;
}

export interface SizeInfiniBand {
  /** One InfiniBand connection per port the VM sees. */
  ports: number;
  /** Data rate of each port in Gb/s, as /sys/class/infiniband/<dev>/ports/<n>/rate gives it. */
  rateGbps: number;
  generation: 'HDR' | 'NDR';
}

export interface SizeHardware {
  series: string;
  /** Matched against the lower-cased size name. */
  pattern: RegExp;
  /** null: the size has no GPU. */
  gpus: SizeGpus | null;
  /** null: no InfiniBand. */
  ib: SizeInfiniBand | 'unknown' | null;
  source: string;
}

const DOCS = 'https://learn.microsoft.com/azure/virtual-machines/sizes';
const nvidia = (model: string, count: number, fraction?: string): SizeGpus => ({ vendor: 'nvidia', model, count, ...(fraction ? { fraction } : {}) });
const exact = (name: string) => new RegExp(`^${name.toLowerCase()}$`);

export const VM_SIZE_HARDWARE: readonly SizeHardware[] = [
  // "Each GPU within the VM is provided with its own dedicated, topology-agnostic 400 Gb/s NVIDIA Quantum-2 CX7 InfiniBand connection."
  { series: 'ND H100 v5', pattern: exact('Standard_ND96isr_H100_v5'), gpus: nvidia('H100 80GB', 8), ib: { ports: 8, rateGbps: 400, generation: 'NDR' }, source: `${DOCS}/gpu-accelerated/ndh100v5-series` },
  // Eight H200 GPUs; the size pages found do not describe its InfiniBand ports.
  { series: 'ND H200 v5', pattern: exact('Standard_ND96isr_H200_v5'), gpus: nvidia('H200', 8), ib: 'unknown', source: `${DOCS}/gpu-accelerated/nd-h200-v5-series` },
  // "eight NVIDIA Ampere A100 40GB ... its own dedicated, topology-agnostic 200 GB/s NVIDIA Mellanox HDR InfiniBand connection."
  { series: 'ND A100 v4', pattern: /^standard_nd96asr_(a100_)?v4$/, gpus: nvidia('A100 40GB', 8), ib: { ports: 8, rateGbps: 200, generation: 'HDR' }, source: `${DOCS}/gpu-accelerated/ndasra100v4-series` },
  { series: 'NDm A100 v4', pattern: exact('Standard_ND96amsr_A100_v4'), gpus: nvidia('A100 80GB', 8), ib: { ports: 8, rateGbps: 200, generation: 'HDR' }, source: `${DOCS}/gpu-accelerated/ndma100v4-series` },
  // AMD GPUs: never NVIDIA. "Infiniband: Supported, GPUDirect RDMA, 8x400 Gigabit NDR".
  { series: 'ND MI300X v5', pattern: exact('Standard_ND96isr_MI300X_v5'), gpus: { vendor: 'amd', model: 'MI300X', count: 8 }, ib: { ports: 8, rateGbps: 400, generation: 'NDR' }, source: `${DOCS}/gpu-accelerated/ndmi300xv5-series` },
  { series: 'NC A100 v4', pattern: exact('Standard_NC24ads_A100_v4'), gpus: nvidia('A100 80GB PCIe', 1), ib: null, source: `${DOCS}/gpu-accelerated/nca100v4-series` },
  { series: 'NC A100 v4', pattern: exact('Standard_NC48ads_A100_v4'), gpus: nvidia('A100 80GB PCIe', 2), ib: null, source: `${DOCS}/gpu-accelerated/nca100v4-series` },
  { series: 'NC A100 v4', pattern: exact('Standard_NC96ads_A100_v4'), gpus: nvidia('A100 80GB PCIe', 4), ib: null, source: `${DOCS}/gpu-accelerated/nca100v4-series` },
  { series: 'NCads H100 v5', pattern: exact('Standard_NC40ads_H100_v5'), gpus: nvidia('H100 NVL', 1), ib: null, source: `${DOCS}/gpu-accelerated/ncadsh100v5-series` },
  { series: 'NCads H100 v5', pattern: exact('Standard_NC80adis_H100_v5'), gpus: nvidia('H100 NVL', 2), ib: null, source: `${DOCS}/gpu-accelerated/ncadsh100v5-series` },
  { series: 'NCasT4 v3', pattern: /^standard_nc(4|8|16)as_t4_v3$/, gpus: nvidia('T4', 1), ib: null, source: `${DOCS}/gpu-accelerated/ncast4v3-series` },
  { series: 'NCasT4 v3', pattern: exact('Standard_NC64as_T4_v3'), gpus: nvidia('T4', 4), ib: null, source: `${DOCS}/gpu-accelerated/ncast4v3-series` },
  // Partitions of one A10: 1/6, 1/3 and 1/2 of a GPU.
  { series: 'NVads A10 v5', pattern: exact('Standard_NV6ads_A10_v5'), gpus: nvidia('A10', 1, '1/6'), ib: null, source: `${DOCS}/gpu-accelerated/nvadsa10v5-series` },
  { series: 'NVads A10 v5', pattern: exact('Standard_NV12ads_A10_v5'), gpus: nvidia('A10', 1, '1/3'), ib: null, source: `${DOCS}/gpu-accelerated/nvadsa10v5-series` },
  { series: 'NVads A10 v5', pattern: exact('Standard_NV18ads_A10_v5'), gpus: nvidia('A10', 1, '1/2'), ib: null, source: `${DOCS}/gpu-accelerated/nvadsa10v5-series` },
  { series: 'NVads A10 v5', pattern: /^standard_nv36adm?s_a10_v5$/, gpus: nvidia('A10', 1), ib: null, source: `${DOCS}/gpu-accelerated/nvadsa10v5-series` },
  { series: 'NVads A10 v5', pattern: exact('Standard_NV72ads_A10_v5'), gpus: nvidia('A10', 2), ib: null, source: `${DOCS}/gpu-accelerated/nvadsa10v5-series` },
  { series: 'NCv3', pattern: exact('Standard_NC6s_v3'), gpus: nvidia('V100', 1), ib: null, source: `${DOCS}/gpu-accelerated/ncv3-series` },
  { series: 'NCv3', pattern: exact('Standard_NC12s_v3'), gpus: nvidia('V100', 2), ib: null, source: `${DOCS}/gpu-accelerated/ncv3-series` },
  { series: 'NCv3', pattern: exact('Standard_NC24s_v3'), gpus: nvidia('V100', 4), ib: null, source: `${DOCS}/gpu-accelerated/ncv3-series` },
  // "a low latency, high-throughput network interface": the pages give no InfiniBand rate.
  { series: 'NCv3', pattern: exact('Standard_NC24rs_v3'), gpus: nvidia('V100', 4), ib: 'unknown', source: `${DOCS}/gpu-accelerated/ncv3-series` },
  // "All HBv3-series VMs feature 200 Gb/sec HDR InfiniBand"; the constrained-core sizes (HB120-16rs_v3 ...) too.
  { series: 'HBv3', pattern: /^standard_hb120(-\d+)?rs_v3$/, gpus: null, ib: { ports: 1, rateGbps: 200, generation: 'HDR' }, source: `${DOCS}/high-performance-compute/hbv3-series` },
  // "All HBv4-series VMs feature 400 Gb/s NDR InfiniBand".
  { series: 'HBv4', pattern: /^standard_hb176(-\d+)?rs_v4$/, gpus: null, ib: { ports: 1, rateGbps: 400, generation: 'NDR' }, source: `${DOCS}/high-performance-compute/hbv4-series` },
  // "All HX-series VMs feature 400 Gb/s NDR InfiniBand".
  { series: 'HX', pattern: /^standard_hx176(-\d+)?rs$/, gpus: null, ib: { ports: 1, rateGbps: 400, generation: 'NDR' }, source: `${DOCS}/high-performance-compute/hx-series` },
];

/** What the table knows of a size, or null when the size is not in it. */
export function sizeHardware(vmSize: string): SizeHardware | null {
  const name = vmSize.trim().toLowerCase();
  return VM_SIZE_HARDWARE.find((r) => r.pattern.test(name)) ?? null;
}
