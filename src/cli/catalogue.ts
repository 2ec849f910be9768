// `list` and `explain`: the registry described for people and for machines.
import type { Check } from '../types';

export function listJson(checks: readonly Check[]): string {
  const rows = checks.map((c) => ({ id: c.id, title: c.title, area: c.area, features: [...c.features], dependsOn: [...c.dependsOn], live: c.live, timeoutMs: c.timeoutMs ?? null }));
  return JSON.stringify(rows, null, 2) + '\n';
}

export function listHuman(checks: readonly Check[]): string {
  const w = Math.max(...checks.map((c) => c.id.length), 2);
  const lines = checks.map((c) => `${c.id.padEnd(w)}  ${c.title}${c.features.length ? `  [${c.features.join(', ')}]` : ''}${c.live ? '  (live)' : ''}`);
  return lines.join('\n') + '\n';
}

export function explain(check: Check): string {
  const applies = check.features.length === 0 ? 'always' : `when any of these features is required: ${check.features.join(', ')}`;
  return [
    `${check.id}: ${check.title}`,
    '',
    check.description,
    '',
    `Area:        ${check.area}`,
    `Applies:     ${applies}`,
    `Live:        ${check.live ? 'yes: needs the running host; skipped offline (--root) and in container mode' : 'no: also answers for an offline image root'}`,
    `Depends on:  ${check.dependsOn.length ? check.dependsOn.join(', ') : 'nothing'}`,
    `Timeout:     ${check.timeoutMs ? `${check.timeoutMs / 1000} s` : 'the run default (--timeout)'}`,
    '',
    'How to fix:',
    ...check.fix.split('\n').map((l) => `  ${l}`),
    `  (a run prints the fix for this host's distribution: batch-preflight --only ${check.id})`,
    `Skip it:     --skip ${check.id}`,
    '',
  ].join('\n');
}
