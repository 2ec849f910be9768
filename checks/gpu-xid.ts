// NVIDIA Xid events since boot that mean a GPU fault, with Azure's list of such codes
// (src/data/gpu-xid-codes.ts). Azure's check greps the syslog for the last 2 hours; at start time
// the node has just booted, so the kernel's own log since boot is the window, read without a shell.
import type { Check, Evidence, Finding } from '../src/types';
import { combine, error, finding } from '../src/check-helpers';
import { kernelLog, KMSG } from '../src/probes/kernel-log';
import { parseXidEvents, type XidEvent } from '../src/parsers/kernel-log-xid';
import { AZURE_FAULT_XIDS, AZURE_FAULT_XIDS_SOURCE } from '../src/data/gpu-xid-codes';

/** The Batch commands (https://learn.microsoft.com/cli/azure/batch/node); the start task sees AZ_BATCH_POOL_ID and AZ_BATCH_NODE_ID. */
const FIX =
  'Reboot the node (`az batch node reboot --pool-id <pool> --node-id <node>`) to reset the GPU; if the Xid comes back, remove the node ' +
  '(`az batch node delete --pool-id <pool> --node-list <node>`), resize the pool back so that Batch allocates another VM, and report the host to Azure support.';

/** One finding per GPU and code, with how often it was logged and the driver's words the first time. */
function faultFindings(events: readonly XidEvent[]): Finding[] {
  const groups = new Map<string, XidEvent[]>();
  for (const e of events) {
    const key = `${e.gpu} ${e.code}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups.values()].map((g) => {
    const first = g[0]!;
    const times = g.length > 1 ? ` (${g.length} times)` : '';
    const said = first.detail ? `: ${first.detail.slice(0, 200)}` : '';
    return finding.fail(`GPU ${first.gpu}: Xid ${first.code} since boot${times}${said}`, FIX);
  });
}

export const gpuXid: Check = {
  id: 'gpu.xid',
  title: 'No GPU fault (Xid) in the kernel log since boot',
  area: 'gpu',
  category: 'node',
  features: ['gpu'],
  dependsOn: [],
  live: true,
  needsPoolHardware: true,
  readiness: false,
  description:
    'Reads the kernel log since boot from /dev/kmsg (without blocking: the read ends at the last record) and looks for the NVIDIA driver\'s ' +
    '`NVRM: Xid (PCI:...): <code>,` lines. The codes that mean a GPU fault are those Azure\'s health checks for its GPU sizes fail a node on ' +
    `(${AZURE_FAULT_XIDS_SOURCE}: ${[...AZURE_FAULT_XIDS].join(', ')}), e.g. 48 (double-bit ECC), 63/64 (row remap or page retirement), 74 (NVLink), ` +
    '79 (GPU fallen off the bus); other codes are raised by applications and are listed in the evidence only. The window is what the ' +
    "kernel's ring buffer still holds. A log that cannot be read, or was cut short, is an error, never a pass.",
  consequence:
    'fail: a GPU faulted since boot (category node): tasks that use it fail or hang; the start task fails so that no task lands on the node until it is rebooted or replaced.',
  fix: 'Reboot the node to reset the GPU (`az batch node reboot`); if the Xid returns, remove the node (`az batch node delete`), resize the pool back, and report the host to Azure support.',
  async run({ host }) {
    const log = await kernelLog(host);
    if (!log.ok) return error(`could not read the kernel log (${KMSG}): ${log.reason}`);
    const events = parseXidEvents(log.text);
    const faults = events.filter((e) => AZURE_FAULT_XIDS.has(e.code));
    const others = events.filter((e) => !AZURE_FAULT_XIDS.has(e.code));
    const evidence: Evidence = {
      kernelLogBytes: log.text.length,
      xidEvents: events.map((e) => `${e.gpu} Xid ${e.code}${e.detail ? `: ${e.detail.slice(0, 120)}` : ''}`),
      faultCodes: `${AZURE_FAULT_XIDS_SOURCE}: ${[...AZURE_FAULT_XIDS].join(' ')}`,
    };
    const problems = faultFindings(faults);
    if (problems.length === 0 && (log.truncated || log.lost)) {
      const why = log.truncated ? 'it is larger than the agent reads' : 'records were overwritten while it was read';
      return error(`the kernel log (${KMSG}) was not read whole (${why}): GPU faults since boot cannot be ruled out`, evidence);
    }
    const otherNote = others.length > 0 ? `; ${others.length} Xid event(s) of codes that applications raise (${[...new Set(others.map((e) => e.code))].join(', ')}), not GPU faults` : '';
    return combine(problems, evidence, `no GPU fault Xid in the kernel log since boot${otherNote}`);
  },
};
