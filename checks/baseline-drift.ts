import type { Check, Finding } from '../src/types';
import { combine, error, finding } from '../src/check-helpers';
import { gatherFacts } from '../src/baseline/facts';
import { compareFacts, DEFAULT_FAIL, type Drift } from '../src/baseline/drift';

const FIX_DRIFT =
  'If the change is wanted, capture a new baseline from a host that works (batch-preflight baseline capture > golden.json); ' +
  'else rebuild the image (or reimage the node) from the pinned versions of the baseline.';

/** Facts that cannot be read now, one error per reason (a broken package database makes many). */
function unreadableFindings(drifts: readonly Drift[]): Finding[] {
  const byReason = new Map<string, Drift[]>();
  for (const d of drifts) byReason.set(d.now, [...(byReason.get(d.now) ?? []), d]);
  return [...byReason].map(([now, ds]) =>
    finding.error(`${ds.map((d) => `${d.fact} (${d.was} in the baseline)`).join(', ')} cannot be read now, so ${ds.length > 1 ? 'they' : 'it'} cannot be compared: ${now}`),
  );
}

function driftFinding(d: Drift, file: string): Finding {
  const message = `${d.fact}: ${d.was} in the baseline, ${d.now} now`;
  const as = d.was === 'absent' ? `without ${d.fact}` : `with ${d.fact} at ${d.was}`;
  const fix = `Not wanted: rebuild the image (or reimage the node) ${as}. Wanted: capture the baseline again on a host that works (batch-preflight baseline capture > ${file}).`;
  return d.kind === 'fail' ? finding.fail(message, fix, { retryable: false }) : finding.warn(message, fix, { retryable: false });
}

const reading = (live: boolean) => (live ? 'the running system' : 'files only');

/** A baseline of the running system and a run over files (or the reverse) read kernel and driver differently. */
function readDifferently(captured: { mode: string; live: boolean }, live: boolean, mode: string): Finding[] {
  if (captured.live === live) return [];
  return [
    finding.warn(
      `the baseline read ${reading(captured.live)} (${captured.mode} mode) and this run reads ${reading(live)} (${mode} mode): kernel and nvidia.driver are read differently (running or loaded, against installed), so they may differ without a change`,
      'Capture the baseline as the hosts are checked: both on the running system, or both with --root.',
      { retryable: false, category: 'config' },
    ),
  ];
}

export const baselineDrift: Check = {
  id: 'baseline.drift',
  title: 'Same as the golden-image baseline',
  area: 'os',
  features: [],
  dependsOn: [],
  live: false,
  needsBaseline: true,
  description:
    'Compares this host with a golden-image baseline (--baseline FILE, written by `batch-preflight baseline capture` on a host that works): ' +
    'the kernel (live: /proc/sys/kernel/osrelease; offline: the newest /lib/modules folder), the NVIDIA driver (live: the loaded module, ' +
    '/sys/module/nvidia/version or /proc/driver/nvidia/version; offline: the nvidia-driver-<branch> package), CUDA (/usr/local/cuda/version.json), ' +
    'the Fabric Manager packages, MOFED (ofed_info -s, live only) and the versions of a fixed list of packages (container toolkit, Docker, ' +
    'containerd, rdma-core, Open MPI, MPICH, NFS and CIFS clients, sshd; from dpkg status, or rpm -q on the running system). Each difference ' +
    'is a finding naming the fact, its old and its new value. A fact the baseline has but that cannot be read now is an error; one the baseline ' +
    'could not read is not compared.',
  consequence:
    `fail for a changed ${DEFAULT_FAIL.join(', ')} (what GPU jobs were tested against), warn for the others; a "severity" section in the baseline ` +
    'file overrides either ({"nvidia.driver": "warn", "package:docker-ce": "fail"}).',
  fix: FIX_DRIFT,
  async run({ host, settings }) {
    // The engine runs this check only with --baseline (needsBaseline); without one there is nothing to compare.
    if (!settings.baseline) return error('no baseline to compare with (--baseline FILE)');
    const { file, doc } = settings.baseline;
    const now = await gatherFacts(host);
    const result = compareFacts(doc, now);
    const evidence = {
      baseline: file,
      capturedAt: doc.capturedAt,
      capturedOn: doc.host.hostname,
      same: result.same,
      ...(result.drifts.length ? { drift: result.drifts } : {}),
      ...(result.unknownInBaseline.length ? { unknownInBaseline: result.unknownInBaseline } : {}),
      ...(result.notInBaseline.length ? { notInBaseline: result.notInBaseline } : {}),
    };
    const passText = `the ${result.same.length} facts of the baseline (${file}, captured ${doc.capturedAt} on ${doc.host.hostname}) are the same here` +
      (result.unknownInBaseline.length ? `; not compared, the baseline could not read them: ${result.unknownInBaseline.join(', ')}` : '');
    const changed = result.drifts.filter((d) => d.kind !== 'unknown').map((d) => driftFinding(d, file));
    return combine([...changed, ...unreadableFindings(result.drifts.filter((d) => d.kind === 'unknown')), ...readDifferently(doc.host, host.live, settings.mode)], evidence, passText);
  },
};
