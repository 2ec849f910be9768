// The GPU model nvidia-smi reports against the pool's VM size (src/data/vm-size-hardware.ts, one
// row per size with its Azure page as source). hardware.gpus counts the GPUs on the PCI bus; this
// reads the model from the same `nvidia-smi -q -x` log gpu.health uses.
import type { Check } from '../src/types';
import { error, pass, warn } from '../src/check-helpers';
import { nvidiaSmiXml } from '../src/probes/nvidia-smi-xml';
import { lookUpVmSize } from '../src/vm-size-lookup';

/**
 * The family in a size's model ("H100" of "H100 80GB") as a word of the product name nvidia-smi
 * prints ("NVIDIA H100 80GB HBM3", "Tesla V100-SXM2-32GB", "NVIDIA A10-24Q" on a partition):
 * followed by no digit, so that A10 is not A100.
 */
function familyPattern(model: string): RegExp {
  const family = model.split(' ')[0]!.replace(/[^A-Za-z0-9]/g, '');
  return new RegExp(`(^|[^A-Za-z0-9])${family}(?![0-9])`, 'i');
}

export const gpuModel: Check = {
  id: 'gpu.model',
  title: 'GPU model is the one the VM size promises',
  area: 'gpu',
  category: 'config',
  features: ['gpu'],
  dependsOn: ['nvidia.driver'],
  live: true,
  needsVmSize: true,
  description:
    "Compares the product name of every GPU in `nvidia-smi -q -x` (read once per run, shared with gpu.health) with the GPU model of the pool's VM size " +
    '(src/data/vm-size-hardware.ts, from the Azure size pages): its family (H100, A100, A10, V100, T4, ...) must be in the name. Another model means ' +
    'the VM size the agent was given is not the one it runs on. Runs when the VM size is known on a pool node (start-task mode); a size missing from ' +
    'the table is a warning, never a pass.',
  consequence: 'warn: jobs sized for the pool\'s GPUs run on other ones; the size given (--vm-size, --pool, --batch-pool) is likely wrong.',
  fix: "Check the VM size given to batch-preflight against the pool's vmSize; on the right size, a GPU of another model needs the node removed and reported to Azure support.",
  async run({ host, settings }) {
    const sz = lookUpVmSize(settings, 'GPU model');
    if (!sz.ok) return sz.result;
    const { size, row, evidence } = sz;
    if (!row.gpus || row.gpus.vendor !== 'nvidia') return pass(`${size.name} (${row.series}) has no NVIDIA GPU: nothing to compare`, evidence);
    const probe = await nvidiaSmiXml(host);
    evidence.nvidiaSmi = probe.summary;
    if (probe.state === 'not-found') return error('nvidia-smi is not installed: the GPU model cannot be read', evidence);
    if (probe.state !== 'ok') return error(probe.reason, evidence);
    const names = probe.log.gpus.map((g) => g.name);
    evidence.gpus = names;
    if (names.length === 0) return error('nvidia-smi -q -x lists no GPU: the GPU model cannot be read', evidence);
    const want = familyPattern(row.gpus.model);
    const other = [...new Set(names.filter((n) => !want.test(n)))];
    if (other.length > 0) {
      return warn(
        `nvidia-smi reports ${other.join(', ')}, but ${size.name} (from ${size.source}) has NVIDIA ${row.gpus.model}: is the VM size right?`,
        `Check the size: ${row.source}`,
        evidence,
      );
    }
    return pass(`${names.length} GPU(s) ${[...new Set(names)].join(', ')}, the ${row.gpus.model} of ${size.name}`, evidence);
  },
};
