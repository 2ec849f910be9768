// NVLink links down on the sizes whose NVLink Azure's own health checks verify
// (src/data/nvlink-sizes.ts, from Azure/azurehpc-health-checks conf/*.conf and
// customTests/azure_gpu_nvlink.nhc, which fails a node on any `<inactive>` link).
import type { Check, Evidence, Finding } from '../src/types';
import { combine, error, finding, pass, warn } from '../src/check-helpers';
import { nvlinkSize } from '../src/data/nvlink-sizes';
import { parseNvlinkStatus } from '../src/parsers/nvlink-status';
import { ParseError } from '../src/parsers/parse-error';

export const NVLINK_ARGS = ['nvlink', '--status'] as const;

const REPLACE =
  'Reboot the node (`az batch node reboot --pool-id <pool> --node-id <node>`); if a link stays inactive, remove the node (`az batch node delete --pool-id <pool> --node-list <node>`), ' +
  'resize the pool back so that Batch allocates another VM, and report the host to Azure support.';

export const gpuNvlink: Check = {
  id: 'gpu.nvlink',
  title: 'NVLink links are up on sizes that have them',
  area: 'gpu',
  category: 'node',
  features: ['gpu'],
  dependsOn: ['nvidia.driver'],
  live: true,
  needsVmSize: true,
  timeoutMs: 30_000,
  description:
    "On the VM sizes whose NVLink Azure's health checks verify (src/data/nvlink-sizes.ts: a row per size from Azure/azurehpc-health-checks " +
    'conf/<size>.conf, e.g. ND H100 v5, ND A100 v4, NC A100 v4 with 2 or 4 GPUs), runs `nvidia-smi nvlink --status` and fails when a GPU ' +
    'lists a link `<inactive>` or NVML says all its links are inactive (azure_gpu_nvlink.nhc). No NVLink reported at all on such a size ' +
    'warns (Azure passes it as "NVLink not enabled"). One-GPU sizes have no peer to link to and are not checked. Runs on a pool node ' +
    '(start-task mode) with a known VM size; a hung or garbled nvidia-smi is an error, never a pass.',
  consequence:
    'fail: collective operations (NCCL) between the GPUs fall back to PCIe or fail (category node); the start task fails so that no task lands on the node.',
  fix: 'Reboot the node; if a link stays inactive, remove the node (`az batch node delete`), resize the pool back, and report the host to Azure support.',
  async run({ host, settings }) {
    const size = settings.vmSize!;
    const row = nvlinkSize(size.name);
    const evidence: Evidence = { vmSize: size.name, vmSizeSource: size.source };
    if (!row) return pass(`${size.name} is not among the sizes whose NVLink Azure's health checks verify: nothing to check`, evidence);
    evidence.table = row.source;
    if (row.gpus < 2) return pass(`${size.name} has one GPU: no NVLink peer to check`, evidence);
    const r = await host.exec('nvidia-smi', NVLINK_ARGS);
    evidence.nvidiaSmi = r.summary;
    if (r.outcome === 'not-found') return error('nvidia-smi is not installed: NVLink cannot be read', evidence);
    if (r.outcome === 'timeout') return error(`driver or GPU not responding: ${r.summary}`, evidence);
    if (r.outcome === 'crashed') return error(`nvidia-smi did not finish normally: ${r.summary}`, evidence);
    if (r.exitCode !== 0) return error(`nvidia-smi nvlink --status failed (exit ${r.exitCode}): ${`${r.stdout}\n${r.stderr}`.trim().split('\n')[0]?.slice(0, 200) ?? ''}`, evidence);
    let gpus;
    try {
      gpus = parseNvlinkStatus(r.stdout);
    } catch (err) {
      if (err instanceof ParseError) return error(`nvidia-smi nvlink --status printed something else: ${err.message}`, { ...evidence, output: r.stdout.slice(0, 500) });
      throw err;
    }
    evidence.gpus = gpus.map((g) => `GPU ${g.index} ${g.name}: ${g.allInactive ? 'all links inactive' : `${g.links.filter((l) => l.active).length} of ${g.links.length} links active`}`);
    const listed = gpus.filter((g) => g.links.length > 0 || g.allInactive);
    if (listed.length === 0) {
      return warn(`nvidia-smi reports no NVLink on ${size.name}, whose GPUs Azure's health checks expect to be linked`, REPLACE, evidence);
    }
    const problems: Finding[] = gpus.flatMap((g) => {
      if (g.allInactive) return [finding.fail(`GPU ${g.index} (${g.name}): all NVLink links are inactive`, REPLACE)];
      const down = g.links.filter((l) => !l.active).map((l) => l.link);
      return down.length > 0 ? [finding.fail(`GPU ${g.index} (${g.name}): NVLink link(s) ${down.join(', ')} inactive of ${g.links.length}`, REPLACE)] : [];
    });
    const links = listed.reduce((n, g) => n + g.links.length, 0);
    return combine(problems, evidence, `${listed.length} GPU(s), all ${links} NVLink links active`);
  },
};
