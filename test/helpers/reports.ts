// Builds realistic JSON reports, as nodes of a pool would write them, for the summarize tests.
import type { Category, Status } from '../../src/types';

export interface FakeCheck {
  id: string;
  status: Status;
  message?: string;
  category?: Category;
}

export interface FakeNode {
  /** Batch node id (start-task reports carry one); omitted for image/offline runs. */
  nodeId?: string;
  /** Host name; an empty string makes the report say nothing about the host name. */
  hostname: string;
  checks: FakeCheck[];
  /** Overrides summary.ok (e.g. a --strict run whose warnings failed it). */
  ok?: boolean;
}

const TITLES: Record<string, string> = {
  'docker.socket': 'Docker socket',
  'docker.version': 'Docker version',
  sshd: 'SSH server',
  'selinux.mode': 'SELinux mode',
  'waagent.resource-disk': 'Resource disk mount point',
  'gpu.driver': 'NVIDIA driver',
};

export function fakeReport(n: FakeNode): Record<string, unknown> {
  const count = (s: Status) => n.checks.filter((c) => c.status === s).length;
  const summary = { pass: count('pass'), warn: count('warn'), fail: count('fail'), skip: count('skip'), error: count('error') };
  const report: Record<string, unknown> = {
    schemaVersion: 3,
    tool: { name: 'batch-preflight', version: '0.1.0' },
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 231,
    host: {
      ...(n.hostname ? { hostname: n.hostname } : {}),
      os: { id: 'ubuntu', versionId: '22.04', prettyName: 'Ubuntu 22.04.4 LTS' },
      kernel: '6.5.0-1025-azure',
      arch: 'x64',
      mode: n.nodeId ? 'start-task' : 'image',
      modeReason: 'test',
      root: '/',
    },
    requirements: [{ feature: 'docker', source: 'default' }, { feature: 'ssh', source: 'default' }],
    deadlineExceeded: false,
    summary: { ...summary, strict: false, ok: n.ok ?? (summary.fail === 0 && summary.error === 0) },
    checks: n.checks.map((c) => ({
      id: c.id,
      title: TITLES[c.id] ?? c.id,
      area: c.id.split('.')[0],
      status: c.status,
      ...(c.status === 'skip' ? { skipReason: 'feature gpu not required', skipKind: 'not-required' } : { message: c.message ?? `${TITLES[c.id] ?? c.id} is fine` }),
      ...(c.category ? { category: c.category, retryable: c.category === 'transient' } : {}),
      evidence: { sample: true },
      durationMs: 3,
    })),
  };
  if (n.nodeId) report.batch = { poolId: 'gpu-pool', nodeId: n.nodeId };
  return report;
}
