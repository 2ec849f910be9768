// `list` and `explain`: the registry described for people and for machines.
import type { Check, Target, TargetText } from '../types';
import { TARGET_NAMES } from '../engine/select';

/** The text of a check for one target: its own where it differs, else the common text. */
export function textFor(check: Check, target: Target): Required<TargetText> {
  const own = check.byTarget?.[target] ?? {};
  return { description: own.description ?? check.description, consequence: own.consequence ?? check.consequence ?? '', fix: own.fix ?? check.fix };
}

/** The targets whose rule differs from the common text (the common text is Batch Shipyard's). */
const differing = (check: Check): Target[] => Object.keys(check.byTarget ?? {}) as Target[];

/** What else than its features limits where a check applies, in words; '' when nothing. */
function limits(c: Check): string {
  const parts: string[] = [];
  if (c.targets) parts.push(`target ${c.targets.join(' or ')} only`);
  if (c.needsVmSize) parts.push('with a known VM size, on a pool node (start-task mode)');
  if (c.needsBaseline) parts.push('only with --baseline FILE');
  if (c.modes) parts.push(`runs only in ${c.modes.join(' or ')} mode`);
  return parts.join('; ');
}

export function listJson(checks: readonly Check[]): string {
  const rows = checks.map((c) => ({
    id: c.id,
    title: c.title,
    area: c.area,
    features: [...c.features],
    targets: c.targets ? [...c.targets] : null,
    needsVmSize: c.needsVmSize === true,
    needsBaseline: c.needsBaseline === true,
    modes: c.modes ? [...c.modes] : null,
    dependsOn: [...c.dependsOn],
    live: c.live,
    readiness: c.readiness === true,
    timeoutMs: c.timeoutMs ?? null,
    consequence: c.consequence ?? null,
    byTarget: c.byTarget ?? null,
  }));
  return JSON.stringify(rows, null, 2) + '\n';
}

export function listHuman(checks: readonly Check[]): string {
  const w = Math.max(...checks.map((c) => c.id.length), 2);
  const lines = checks.map((c) => `${c.id.padEnd(w)}  ${c.title}${c.features.length ? `  [${c.features.join(', ')}]` : ''}${c.live ? '  (live)' : ''}`);
  return lines.join('\n') + '\n';
}

/**
 * `explain <id>`: with a target, that target's rule alone; without one, the common (Batch Shipyard)
 * text, then each other target's rule where it differs, each labelled with its target.
 */
export function explain(check: Check, target?: Target): string {
  const applies = (check.features.length === 0 ? 'always' : `when any of these features is required: ${check.features.join(', ')}`) + (limits(check) ? `; ${limits(check)}` : '');
  const text = target ? textFor(check, target) : textFor(check, 'shipyard');
  const others = target ? [] : differing(check).filter((t) => t !== 'shipyard');
  const label = (t: Target) => `--target ${t} (${TARGET_NAMES[t]})`;
  const heading = (what: string) => (target || others.length > 0 ? `${what}, ${label(target ?? 'shipyard')}:` : `${what}:`);
  const block = (lines: string) => lines.split('\n').map((l) => `  ${l}`);
  return [
    `${check.id}: ${check.title}`,
    ...(target ? [`Target:      ${label(target)}${check.targets && !check.targets.includes(target) ? `: does not apply (only ${check.targets.map(label).join(', ')})` : ''}`] : []),
    '',
    text.description,
    ...others.flatMap((t) => (check.byTarget?.[t]?.description ? ['', `Under ${label(t)}:`, ...block(check.byTarget[t].description)] : [])),
    '',
    `Area:        ${check.area}`,
    `Applies:     ${applies}`,
    `Live:        ${check.live ? 'yes: needs the running host; skipped offline (--root) and in container mode' : 'no: also answers for an offline image root'}`,
    ...(check.modes ? [`Modes:       only ${check.modes.join(', ')} (skipped in the others)`] : []),
    `Depends on:  ${check.dependsOn.length ? check.dependsOn.join(', ') : 'nothing'}`,
    `At boot:     ${check.readiness ? 'a readiness check: with --wait it is retried until it passes, while waiting can change its answer' : 'with --wait it runs again only while a finding says waiting can clear it'}`,
    `Timeout:     ${check.timeoutMs ? `${check.timeoutMs / 1000} s` : 'the run default (--timeout)'}`,
    '',
    ...(text.consequence ? [heading('What a failure does on the node'), `  ${text.consequence}`, ''] : []),
    ...others.flatMap((t) => (check.byTarget?.[t]?.consequence ? [`What a failure does on the node, ${label(t)}:`, `  ${check.byTarget[t].consequence}`, ''] : [])),
    heading('How to fix'),
    ...block(text.fix),
    ...others.flatMap((t) => (check.byTarget?.[t]?.fix ? [`How to fix, ${label(t)}:`, ...block(check.byTarget[t].fix)] : [])),
    `  (a run prints the fix for this host's distribution: batch-preflight --only ${check.id})`,
    ...(others.length > 0 ? [`Per target:  batch-preflight explain ${check.id} --target ${others[0]}`] : []),
    `Skip it:     --skip ${check.id}`,
    '',
  ].join('\n');
}

/** docs/checks.md: generated from the registry (`batch-preflight list --format markdown`). */
export function listMarkdown(checks: readonly Check[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const out = [
    '# Checks',
    '',
    '<!-- Generated by `batch-preflight list --format markdown`; do not edit by hand. -->',
    '',
    'Each check is judged by the rules of the run\'s target (see the README, "Targets"). Where a rule differs, both are given: the common text is ' +
      "Batch Shipyard's (`--target shipyard`: node prep's real lines), the lines marked `--target batch` are plain Azure Batch's. " +
      '`batch-preflight explain <id> --target batch` shows one target\'s rule alone.',
    '',
    '| id | title | applies when | live |',
    '| --- | --- | --- | --- |',
    ...checks.map((c) => `| [\`${c.id}\`](#${c.id.replace(/\./g, '')}) | ${cell(c.title)} | ${c.features.length ? c.features.join(', ') : 'always'}${limits(c) ? `; ${limits(c)}` : ''} | ${c.live ? 'yes' : 'no'} |`),
  ];
  for (const c of checks) {
    out.push('', `## ${c.id}`, '', `**${cell(c.title)}** (area: ${c.area}; applies ${c.features.length ? `when ${c.features.join(' or ')} is required` : 'always'}${limits(c) ? `; ${limits(c)}` : ''}${c.dependsOn.length ? `; depends on ${c.dependsOn.join(', ')}` : ''}${c.live ? '; live: skipped offline and in containers' : ''}${c.readiness ? '; readiness: retried with --wait' : ''})`, '', c.description);
    for (const t of differing(c)) if (c.byTarget?.[t]?.description) out.push('', `Under \`--target ${t}\`: ${c.byTarget[t].description}`);
    if (c.consequence) out.push('', `Consequence${differing(c).length ? ' (`--target shipyard`)' : ''}: ${c.consequence}`);
    for (const t of differing(c)) if (c.byTarget?.[t]?.consequence) out.push('', `Consequence (\`--target ${t}\`): ${c.byTarget[t].consequence}`);
    out.push('', `Fix: ${c.fix}`);
    for (const t of differing(c)) if (c.byTarget?.[t]?.fix) out.push('', `Fix (\`--target ${t}\`): ${c.byTarget[t].fix}`);
  }
  return out.join('\n') + '\n';
}
