// The GPUs, InfiniBand ports and temp disks each Azure VM size promises. Data only, each row from
// the size's page in the Azure documentation (MicrosoftDocs/azure-compute-docs
// articles/virtual-machines/sizes/*, published at https://learn.microsoft.com/azure/virtual-machines/sizes,
// as of 2025-2026): GPU count from the "Accelerators" tab, model from the series summary or host
// specifications, InfiniBand from the series summary or the "Backend Network" tab, temp disks from
// the "Local storage" tab and the host specifications. Only what those pages say is written here:
// `ib: 'unknown'` marks a size with InfiniBand whose ports the pages do not describe, and a temp
// disk or NVMe count the pages leave open is 'unknown'. A size not listed is unknown, and the
// checks say so.
//
// Cross-check: Azure/azurehpc-health-checks conf/<size>.conf (commit 0e0a1ac, 2026-05-01) agrees
// with every row it covers: `check_gpu_count` with the GPU count, `check_hw_ib <rate> mlx5_ibN:1`
// with the ports and rate, `check_nvme_count` with the NVMe count (test/requirements/vm-size-hardware.test.ts).

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
  generation: 'EDR' | 'HDR' | 'NDR';
}

/**
 * The local disks, in the terms Batch decides by ("Use temporary NVMe disks on Batch compute
 * nodes"): 'scsi', a temp (resource) disk, with or without NVMe disks beside it (Batch uses the
 * SCSI one and leaves NVMe alone); 'nvme', NVMe disks only (Batch formats and mounts them at
 * /mnt/resource); 'none', neither (the OS disk holds the node's files).
 */
export interface SizeTempDisk {
  kind: 'scsi' | 'nvme' | 'none' | 'unknown';
  /** NVMe disks the size has; 'unknown' where its page does not count them. */
  nvme: number | 'unknown';
}

export interface SizeHardware {
  series: string;
  /** Matched against the lower-cased size name. */
  pattern: RegExp;
  /** null: the size has no GPU. */
  gpus: SizeGpus | null;
  /** null: no InfiniBand. */
  ib: SizeInfiniBand | 'unknown' | null;
  tempDisk: SizeTempDisk;
  source: string;
}

const DOCS = 'https://learn.microsoft.com/azure/virtual-machines/sizes';
const nvidia = (model: string, count: number, fraction?: string): SizeGpus => ({ vendor: 'nvidia', model, count, ...(fraction ? { fraction } : {}) });
const amd = (model: string, count: number, fraction?: string): SizeGpus => ({ vendor: 'amd', model, count, ...(fraction ? { fraction } : {}) });
const exact = (name: string) => new RegExp(`^${name.toLowerCase()}$`);
const ib = (ports: number, rateGbps: number, generation: SizeInfiniBand['generation']): SizeInfiniBand => ({ ports, rateGbps, generation });
/** A temp disk, and NVMe disks as counted (or not) by the page. */
const scsi = (nvme: number | 'unknown'): SizeTempDisk => ({ kind: 'scsi', nvme });
/**
 * A temp disk whose page gives one "Temp Disk" and no NVMe column: Azure's pages call the SCSI
 * resource disk the temp disk and list NVMe disks apart, but some pages (NC A100 v4's table) leave
 * NVMe disks out that the host specifications name, so the NVMe count stays open.
 */
const tempOnly = scsi('unknown');
const UNKNOWN_DISK: SizeTempDisk = { kind: 'unknown', nvme: 'unknown' };

export const VM_SIZE_HARDWARE: readonly SizeHardware[] = [
  // "Each GPU within the VM is provided with its own dedicated, topology-agnostic 400 Gb/s NVIDIA Quantum-2 CX7 InfiniBand connection."
  // Local storage: 1 temp disk (1024 GiB) and 8 NVMe disks.
  { series: 'ND H100 v5', pattern: exact('Standard_ND96isr_H100_v5'), gpus: nvidia('H100 80GB', 8), ib: ib(8, 400, 'NDR'), tempDisk: scsi(8), source: `${DOCS}/gpu-accelerated/ndh100v5-series` },
  // Same words as ND H100 v5: "its own dedicated, topology-agnostic 400 Gbps NVIDIA Quantum-2 CX7
  // InfiniBand connection" per GPU; local storage: 1 temp disk (1024 GiB) and 8 NVMe disks (28 TiB).
  { series: 'ND H200 v5', pattern: exact('Standard_ND96isr_H200_v5'), gpus: nvidia('H200 141GB', 8), ib: ib(8, 400, 'NDR'), tempDisk: scsi(8), source: `${DOCS}/gpu-accelerated/nd-h200-v5-series` },
  // "four NVIDIA Blackwell GPUs ... 4× 400 Gb/s NVIDIA Quantum-2 CX7 InfiniBand connections per VM"; Grace (arm64) CPUs.
  // Local storage: "4 Disks, 16 TiB (NVMe)", no SCSI temp disk.
  { series: 'ND GB200 v6', pattern: exact('Standard_ND128isr_NDR_GB200_v6'), gpus: nvidia('GB200', 4), ib: ib(4, 400, 'NDR'), tempDisk: { kind: 'nvme', nvme: 4 }, source: `${DOCS}/gpu-accelerated/nd-gb200-v6-series` },
  // "eight NVIDIA Ampere A100 40GB ... its own dedicated, topology-agnostic 200 GB/s NVIDIA Mellanox HDR InfiniBand connection."
  { series: 'ND A100 v4', pattern: /^standard_nd96asr_(a100_)?v4$/, gpus: nvidia('A100 40GB', 8), ib: ib(8, 200, 'HDR'), tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/ndasra100v4-series` },
  { series: 'NDm A100 v4', pattern: exact('Standard_ND96amsr_A100_v4'), gpus: nvidia('A100 80GB', 8), ib: ib(8, 200, 'HDR'), tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/ndma100v4-series` },
  // AMD GPUs: never NVIDIA. "Infiniband: Supported, GPUDirect RDMA, 8x400 Gigabit NDR"; 1 temp disk and 8 NVMe disks.
  { series: 'ND MI300X v5', pattern: exact('Standard_ND96isr_MI300X_v5'), gpus: amd('MI300X', 8), ib: ib(8, 400, 'NDR'), tempDisk: scsi(8), source: `${DOCS}/gpu-accelerated/ndmi300xv5-series` },
  // "8 NVIDIA Tesla V100 NVLINK-connected GPUs, each with 32 GB ... 100-Gigabit InfiniBand EDR backend networking".
  { series: 'NDv2', pattern: exact('Standard_ND40rs_v2'), gpus: nvidia('V100 32GB', 8), ib: ib(1, 100, 'EDR'), tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/ndv2-series` },
  // Host specifications: "1 Temp Disk, 1 - 4 NVMe Disks (960 GiB)": one NVMe disk per GPU at the ends; the middle size's count is not given.
  { series: 'NC A100 v4', pattern: exact('Standard_NC24ads_A100_v4'), gpus: nvidia('A100 80GB PCIe', 1), ib: null, tempDisk: scsi(1), source: `${DOCS}/gpu-accelerated/nca100v4-series` },
  { series: 'NC A100 v4', pattern: exact('Standard_NC48ads_A100_v4'), gpus: nvidia('A100 80GB PCIe', 2), ib: null, tempDisk: scsi('unknown'), source: `${DOCS}/gpu-accelerated/nca100v4-series` },
  { series: 'NC A100 v4', pattern: exact('Standard_NC96ads_A100_v4'), gpus: nvidia('A100 80GB PCIe', 4), ib: null, tempDisk: scsi(4), source: `${DOCS}/gpu-accelerated/nca100v4-series` },
  { series: 'NCads H100 v5', pattern: exact('Standard_NC40ads_H100_v5'), gpus: nvidia('H100 NVL', 1), ib: null, tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/ncadsh100v5-series` },
  { series: 'NCads H100 v5', pattern: exact('Standard_NC80adis_H100_v5'), gpus: nvidia('H100 NVL', 2), ib: null, tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/ncadsh100v5-series` },
  // Confidential: "Nvidia H100 GPU (94GB)", one temp disk of 800 GiB, no InfiniBand.
  { series: 'NCCads H100 v5', pattern: exact('Standard_NCC40ads_H100_v5'), gpus: nvidia('H100 94GB', 1), ib: null, tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/nccadsh100v5-series` },
  { series: 'NCasT4 v3', pattern: /^standard_nc(4|8|16)as_t4_v3$/, gpus: nvidia('T4', 1), ib: null, tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/ncast4v3-series` },
  { series: 'NCasT4 v3', pattern: exact('Standard_NC64as_T4_v3'), gpus: nvidia('T4', 4), ib: null, tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/ncast4v3-series` },
  // Partitions of one A10: 1/6, 1/3 and 1/2 of a GPU.
  { series: 'NVads A10 v5', pattern: exact('Standard_NV6ads_A10_v5'), gpus: nvidia('A10', 1, '1/6'), ib: null, tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/nvadsa10v5-series` },
  { series: 'NVads A10 v5', pattern: exact('Standard_NV12ads_A10_v5'), gpus: nvidia('A10', 1, '1/3'), ib: null, tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/nvadsa10v5-series` },
  { series: 'NVads A10 v5', pattern: exact('Standard_NV18ads_A10_v5'), gpus: nvidia('A10', 1, '1/2'), ib: null, tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/nvadsa10v5-series` },
  { series: 'NVads A10 v5', pattern: /^standard_nv36adm?s_a10_v5$/, gpus: nvidia('A10', 1), ib: null, tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/nvadsa10v5-series` },
  { series: 'NVads A10 v5', pattern: exact('Standard_NV72ads_A10_v5'), gpus: nvidia('A10', 2), ib: null, tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/nvadsa10v5-series` },
  // AMD Radeon PRO V710 partitions (1/6 to 1). Its "Max Temp Storage Disks" (2 to 14, the remote
  // disk counts again) name no kind of disk: unknown.
  { series: 'NVads V710 v5', pattern: exact('Standard_NV4ads_V710_v5'), gpus: amd('Radeon PRO V710', 1, '1/6'), ib: null, tempDisk: UNKNOWN_DISK, source: `${DOCS}/gpu-accelerated/nvadsv710-v5-series` },
  { series: 'NVads V710 v5', pattern: exact('Standard_NV8ads_V710_v5'), gpus: amd('Radeon PRO V710', 1, '1/3'), ib: null, tempDisk: UNKNOWN_DISK, source: `${DOCS}/gpu-accelerated/nvadsv710-v5-series` },
  { series: 'NVads V710 v5', pattern: exact('Standard_NV12ads_V710_v5'), gpus: amd('Radeon PRO V710', 1, '1/2'), ib: null, tempDisk: UNKNOWN_DISK, source: `${DOCS}/gpu-accelerated/nvadsv710-v5-series` },
  { series: 'NVads V710 v5', pattern: /^standard_nv(24ads|28adms)_v710_v5$/, gpus: amd('Radeon PRO V710', 1), ib: null, tempDisk: UNKNOWN_DISK, source: `${DOCS}/gpu-accelerated/nvadsv710-v5-series` },
  // AMD Radeon PRO V620 partitions; one temp disk and 1, 2 or 4 NVMe disks.
  { series: 'NGads V620', pattern: exact('Standard_NG8ads_V620_v1'), gpus: amd('Radeon PRO V620', 1, '1/4'), ib: null, tempDisk: scsi(1), source: `${DOCS}/gpu-accelerated/ngadsv620-series` },
  { series: 'NGads V620', pattern: exact('Standard_NG16ads_V620_v1'), gpus: amd('Radeon PRO V620', 1, '1/2'), ib: null, tempDisk: scsi(2), source: `${DOCS}/gpu-accelerated/ngadsv620-series` },
  { series: 'NGads V620', pattern: /^standard_ng32adm?s_v620_v1$/, gpus: amd('Radeon PRO V620', 1), ib: null, tempDisk: scsi(4), source: `${DOCS}/gpu-accelerated/ngadsv620-series` },
  { series: 'NCv3', pattern: exact('Standard_NC6s_v3'), gpus: nvidia('V100', 1), ib: null, tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/ncv3-series` },
  { series: 'NCv3', pattern: exact('Standard_NC12s_v3'), gpus: nvidia('V100', 2), ib: null, tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/ncv3-series` },
  { series: 'NCv3', pattern: exact('Standard_NC24s_v3'), gpus: nvidia('V100', 4), ib: null, tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/ncv3-series` },
  // "a low latency, high-throughput network interface": the pages give no InfiniBand rate.
  { series: 'NCv3', pattern: exact('Standard_NC24rs_v3'), gpus: nvidia('V100', 4), ib: 'unknown', tempDisk: tempOnly, source: `${DOCS}/gpu-accelerated/ncv3-series` },
  // The HB pages' "Local Solid State Disks" are NVMe: the HBv2 overview ("960 GiB NVMe") and the
  // HBv5 host specifications ("8 NVMe Disks") name the same disks. Backend network: 1 NIC (HBv5: 4).
  { series: 'HBv2', pattern: /^standard_hb120(-\d+)?rs_v2$/, gpus: null, ib: ib(1, 200, 'HDR'), tempDisk: scsi(1), source: `${DOCS}/high-performance-compute/hbv2-series` },
  // "All HBv3-series VMs feature 200 Gb/sec HDR InfiniBand"; the constrained-core sizes (HB120-16rs_v3 ...) too.
  { series: 'HBv3', pattern: /^standard_hb120(-\d+)?rs_v3$/, gpus: null, ib: ib(1, 200, 'HDR'), tempDisk: scsi(2), source: `${DOCS}/high-performance-compute/hbv3-series` },
  // "All HBv4-series VMs feature 400 Gb/s NDR InfiniBand".
  { series: 'HBv4', pattern: /^standard_hb176(-\d+)?rs_v4$/, gpus: null, ib: ib(1, 400, 'NDR'), tempDisk: scsi(2), source: `${DOCS}/high-performance-compute/hbv4-series` },
  // "4 InfiniBand NICs, 800 Gb/s (4 x 200 Gb/s)", InfiniBand NDR; 1 temp disk and 8 NVMe disks. The
  // constrained sizes (HB368-336rs_v5 ... HB368-48rs_v5) have the same disks and network.
  { series: 'HBv5', pattern: /^standard_hb368(-\d+)?rs_v5$/, gpus: null, ib: ib(4, 200, 'NDR'), tempDisk: scsi(8), source: `${DOCS}/high-performance-compute/hbv5-series` },
  // "All HX-series VMs feature 400 Gb/s NDR InfiniBand".
  { series: 'HX', pattern: /^standard_hx176(-\d+)?rs$/, gpus: null, ib: ib(1, 400, 'NDR'), tempDisk: scsi(2), source: `${DOCS}/high-performance-compute/hx-series` },
  // Backend network: 1 NIC, 100 Gb/s, InfiniBand EDR; one 700 GiB temp disk.
  { series: 'HC', pattern: /^standard_hc44(-\d+)?rs$/, gpus: null, ib: ib(1, 100, 'EDR'), tempDisk: tempOnly, source: `${DOCS}/high-performance-compute/hc-series` },
];

/** What the table knows of a size, or null when the size is not in it. */
export function sizeHardware(vmSize: string): SizeHardware | null {
  const name = vmSize.trim().toLowerCase();
  return VM_SIZE_HARDWARE.find((r) => r.pattern.test(name)) ?? null;
}
