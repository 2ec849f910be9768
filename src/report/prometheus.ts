// Prometheus textfile-collector format: a gauge per check and status, the problems by who must act
// (category), time to ready of the readiness checks (--wait), run duration, last run time.
import { CATEGORIES, STATUSES } from '../types';
import type { Report } from './report';

const label = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function renderPrometheus(report: Report): string {
  const out = [
    '# HELP batch_preflight_check_status 1 for the status the check ended in, 0 for the others.',
    '# TYPE batch_preflight_check_status gauge',
  ];
  for (const c of report.checks) {
    for (const s of STATUSES) out.push(`batch_preflight_check_status{id="${label(c.id)}",area="${label(c.area)}",status="${s}"} ${c.status === s ? 1 : 0}`);
  }
  out.push(
    '# HELP batch_preflight_problems Checks that did not pass (warn, fail, error) by who must act: image, node, transient, config.',
    '# TYPE batch_preflight_problems gauge',
    ...CATEGORIES.map((cat) => `batch_preflight_problems{category="${cat}"} ${report.checks.filter((c) => c.category === cat).length}`),
  );
  const ready = report.checks.filter((c) => c.readyAfterMs !== undefined);
  if (ready.length > 0) {
    out.push('# HELP batch_preflight_check_ready_seconds With --wait: how long a readiness check took to pass.', '# TYPE batch_preflight_check_ready_seconds gauge');
    for (const c of ready) out.push(`batch_preflight_check_ready_seconds{id="${label(c.id)}"} ${(c.readyAfterMs! / 1000).toFixed(3)}`);
  }
  out.push(
    '# HELP batch_preflight_run_duration_seconds Wall time of the last run.',
    '# TYPE batch_preflight_run_duration_seconds gauge',
    `batch_preflight_run_duration_seconds ${(report.durationMs / 1000).toFixed(3)}`,
    '# HELP batch_preflight_last_run_timestamp_seconds When the last run started (Unix time).',
    '# TYPE batch_preflight_last_run_timestamp_seconds gauge',
    `batch_preflight_last_run_timestamp_seconds ${Math.floor(Date.parse(report.startedAt) / 1000)}`,
    '# HELP batch_preflight_ok 1 when the last run found the host ready.',
    '# TYPE batch_preflight_ok gauge',
    `batch_preflight_ok ${report.summary.ok ? 1 : 0}`,
  );
  return out.join('\n') + '\n';
}
