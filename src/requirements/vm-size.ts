// Which features an Azure VM size implies: NVIDIA GPUs and an InfiniBand (RDMA) fabric.
// The patterns are data: each row says what it matches and why, and the tests hold them against a
// table of real size names, old and current.

export interface SizeRule {
  pattern: RegExp;
  why: string;
}

/**
 * N-series with NVIDIA GPUs: NC (compute), ND (deep learning), NV (visualisation), NCC
 * (confidential H100). Matched on the lower-cased name.
 */
export const NVIDIA_GPU_SIZES: readonly SizeRule[] = [
  { pattern: /^standard_n(c|cc|d|v)\d+/, why: 'N-series size (NC, NCC, ND, NV) with NVIDIA GPUs' },
];

/** N-series sizes whose GPUs are AMD, not NVIDIA: the NVIDIA checks do not apply to them. */
export const AMD_GPU_SIZES: readonly SizeRule[] = [
  { pattern: /^standard_nv\d+(-\d+)?a[a-z]*_v4$/, why: 'NVv4 sizes carry AMD Radeon Instinct MI25 GPUs' },
  { pattern: /_mi\d+x?_/, why: 'ND MI300X sizes carry AMD Instinct GPUs' },
  { pattern: /^standard_ng\d+/, why: 'NG sizes carry AMD Radeon PRO GPUs' },
  { pattern: /^standard_nv\d+[a-z]*_v710_v5$/, why: 'NVads V710 v5 sizes carry AMD Radeon PRO V710 GPUs' },
];

/**
 * Sizes with an RDMA back-end network. Azure marks RDMA capability with an `r` among the feature
 * letters after the core count (H16r, HB120rs_v3, NC24rs_v3, ND96isr_H100_v5, HB176-96rs_v4);
 * the old A8/A9 had it without the letter. Only H- and N-series sizes use the letter that way.
 */
export const RDMA_SIZES: readonly SizeRule[] = [
  { pattern: /^standard_a(8|9)$/, why: 'A8/A9: the first RDMA sizes' },
  { pattern: /^standard_h[a-z]*\d+(-\d+)?[a-z]*r[a-z]*(_|$)/, why: "H-series size with an 'r' (RDMA) after the core count" },
  { pattern: /^standard_n[cd]\d+(-\d+)?[a-z]*r[a-z]*(_|$)/, why: "NC/ND size with an 'r' (RDMA) after the core count" },
];

export interface SizeFeatures {
  gpu: string | null;
  infiniband: string | null;
  /** Why a GPU size does not require the NVIDIA checks, when that is the case. */
  amdGpu: string | null;
}

const first = (rules: readonly SizeRule[], name: string) => rules.find((r) => r.pattern.test(name))?.why ?? null;

/** What the size implies: the reason for each feature, or null when it does not apply. */
export function vmSizeFeatures(vmSize: string): SizeFeatures {
  const name = vmSize.trim().toLowerCase();
  const amdGpu = first(AMD_GPU_SIZES, name);
  return {
    gpu: amdGpu ? null : first(NVIDIA_GPU_SIZES, name),
    infiniband: first(RDMA_SIZES, name),
    amdGpu,
  };
}
