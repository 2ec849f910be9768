// GPU hardware health at start time, from one `nvidia-smi -q -x` read. What counts as a fault and
// what it means for the node follow Azure's own health checks for its GPU sizes
// (Azure/azurehpc-health-checks, commit 0e0a1ac, customTests/azure_gpu_ecc.nhc: row remap pending
// or failed and uncorrectable SRAM errors end the node, FaultCode NHC2007/NHC2019;
// azure_gpu_clock_throttling.nhc: any active reason but idle and SW power cap is reported as a warning).
import type { Check, Evidence, Finding } from '../src/types';
import { combine, error, finding } from '../src/check-helpers';
import { nvidiaSmiXml } from '../src/probes/nvidia-smi-xml';
import type { XmlGpu } from '../src/parsers/nvidia-smi-xml';

/**
 * The Batch commands an operator runs on a faulty node (https://learn.microsoft.com/cli/azure/batch/node:
 * reboot, delete = remove from the pool); the start task sees the ids as AZ_BATCH_POOL_ID and AZ_BATCH_NODE_ID.
 */
const REBOOT = 'Reboot the node (`az batch node reboot --pool-id <pool> --node-id <node>`): the GPU reset at boot applies it.';
const REPLACE =
  'The GPU is failing: remove the node from the pool (`az batch node delete --pool-id <pool> --node-list <node>`) and resize the pool back so that Batch allocates another VM (a reimage keeps the same hardware), and report the host to Azure support.';

/**
 * Clock event reasons that mean the hardware is slowing the GPU down (NVML's
 * nvmlClocksEventReasons: HW slowdown, HW thermal, HW power brake, SW thermal). Idle, application
 * clocks, SW power cap, sync boost and display clocks are settings or load, not faults.
 */
const SLOWDOWN_REASONS: Record<string, string> = {
  hw_slowdown: 'HW Slowdown',
  hw_thermal_slowdown: 'HW Thermal Slowdown',
  hw_power_brake_slowdown: 'HW Power Brake Slowdown',
  sw_thermal_slowdown: 'SW Thermal Slowdown',
};

const label = (g: XmlGpu, i: number) => `GPU ${i} (${g.busId})`;

function gpuFindings(g: XmlGpu, i: number): Finding[] {
  const out: Finding[] = [];
  const who = label(g, i);
  if (g.remapFailure) out.push(finding.fail(`${who}: a row remap failed (remapped_row_failure Yes): the GPU has run out of spare memory rows`, REPLACE));
  if (g.volatileUncorrectable !== null && g.volatileUncorrectable > 0) {
    out.push(finding.fail(`${who}: ${g.volatileUncorrectable} uncorrectable ECC error(s) since the driver loaded`, `${REBOOT} If they come back after the reboot: ${REPLACE}`));
  }
  if (g.remapPending) out.push(finding.fail(`${who}: a memory row remap is pending (remapped_row_pending Yes): the faulty row stays in use until the GPU is reset`, REBOOT));
  if (g.retirementPending) out.push(finding.fail(`${who}: memory pages wait to be retired (pending retirement Yes): the faulty pages stay in use until the driver reloads`, REBOOT));
  const slow = g.activeClockReasons.filter((r) => r in SLOWDOWN_REASONS).map((r) => SLOWDOWN_REASONS[r]!);
  if (slow.length > 0) {
    out.push(
      finding.warn(
        `${who}: clocks held down by ${slow.join(', ')}: the GPU runs slower than its size promises`,
        'Look at `nvidia-smi -q -d PERFORMANCE,TEMPERATURE,POWER` on the node; if it persists while the GPU is idle, remove the node and report the host to Azure support.',
        { retryable: true },
      ),
    );
  }
  return out;
}

export const gpuHealth: Check = {
  id: 'gpu.health',
  title: 'GPU memory errors and clock slowdowns',
  area: 'gpu',
  category: 'node',
  features: ['gpu'],
  // A driver that is not loaded or not answering is nvidia.driver's finding, not a health fault.
  dependsOn: ['nvidia.driver'],
  live: true,
  needsPoolHardware: true,
  readiness: false,
  // Longer than the command timeout, so that a hung nvidia-smi is reported as such.
  timeoutMs: 30_000,
  description:
    'Runs `nvidia-smi -q -x` once and reads, for every GPU: uncorrectable ECC errors since the driver loaded (volatile DRAM and SRAM counters, ' +
    'or double-bit totals on older GPUs), memory pages pending retirement, row remapping pending or failed (A100 and later), and the clock ' +
    "event reasons that mean a hardware slowdown (HW Slowdown, HW Thermal, HW Power Brake, SW Thermal; idle, application clocks and SW power cap are not faults). " +
    "The rules follow Azure's health checks for its GPU sizes (Azure/azurehpc-health-checks azure_gpu_ecc.nhc and azure_gpu_clock_throttling.nhc). " +
    'A pending remap or retirement is cleared by a reboot (the GPU reset applies it); a failed remap means the GPU must be replaced. A hung, ' +
    'crashing or garbled nvidia-smi is an error, never a pass. Persistence mode is nvidia.driver\'s to report. Runs on the node itself (start-task mode): an image-build VM need not have the pool\'s GPUs.',
  consequence:
    'fail: the node is faulty hardware (category node): tasks on it hit uncorrectable memory errors or crash; the start task fails so that no task lands on it. warn: a GPU held down by a hardware slowdown runs jobs slowly.',
  fix: 'Reboot the node for a pending remap or retirement (`az batch node reboot`); for a failed remap or errors that return after a reboot remove the node (`az batch node delete`), resize the pool back, and report the host to Azure support.',
  async run({ host }) {
    if (!host.canExec) return error('nvidia-smi cannot be run here: GPU health not checked');
    const probe = await nvidiaSmiXml(host);
    const evidence: Evidence = { nvidiaSmi: probe.summary };
    if (probe.state === 'not-found') return error('nvidia-smi is not installed: GPU health cannot be read', evidence);
    if (probe.state !== 'ok') return error(probe.reason, evidence);
    const gpus = probe.log.gpus;
    evidence.gpus = gpus.map(
      (g, i) =>
        `${label(g, i)} ${g.name}: volatile uncorrectable ECC ${g.volatileUncorrectable ?? 'n/a'}, retirement pending ${g.retirementPending ?? 'n/a'}, ` +
        `remap pending ${g.remapPending ?? 'n/a'}, remap failure ${g.remapFailure ?? 'n/a'}, clock reasons active: ${g.activeClockReasons.join(', ') || 'none'}`,
    );
    if (gpus.length === 0) return error('nvidia-smi -q -x lists no GPU: GPU health cannot be read', evidence);
    const unreported = gpus.flatMap((g, i) => (g.volatileUncorrectable === null ? [label(g, i)] : []));
    const note = unreported.length > 0 ? `; ECC counters not reported by ${unreported.join(', ')} (ECC off or not supported)` : '';
    return combine(
      gpus.flatMap(gpuFindings),
      evidence,
      `${gpus.length} GPU(s): no uncorrectable ECC error, no pending or failed row remap or page retirement, no hardware clock slowdown${note}`,
    );
  },
};
