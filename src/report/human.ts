// The human report. By default: the problems first (fail, error, warn), each with its fix and who
// must act, then one line per area for what passed and one line summing up the skips by reason;
// the verdict last. --verbose shows every check by area. Checks left out by --only are not shown.
import type { CheckOutcome, Finding, SkipKind, Status, Target } from '../types';
import { nothingChecked, type Report } from './report';
import { painter, PLAIN, type HumanStyle, type Painter } from './human-style';
import { terminalSafe } from './terminal-text';

const LABEL: Record<Status, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', error: 'ERROR', skip: 'SKIP' };
const SEVERITY: Record<Status, number> = { fail: 0, error: 1, warn: 2, pass: 3, skip: 4 };
/** Where a problem's line starts after the symbol and label ("✖ ERROR "). */
const INDENT = 8;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What --wait did for this check, when it applied; undefined otherwise. */
function waitNote(c: CheckOutcome): string | undefined {
  if (c.attempts === undefined) return undefined;
  if (c.readyAfterMs !== undefined) return c.attempts > 1 ? `ready after ${seconds(c.readyAfterMs)} (${plural(c.attempts, 'attempt')})` : undefined;
  if (c.retryable === false) return 'not retried: waiting cannot change this';
  return `still ${c.status === 'error' ? 'failing' : 'not ready'} after ${plural(c.attempts, 'attempt')} over ${seconds(c.durationMs)}`;
}

/** Skip kinds in a few words, so that skips are counted by kind. */
const SKIP_WORDS: Readonly<Record<SkipKind, string>> = {
  'not-selected': 'not selected by --only',
  'skip-flag': 'by --skip',
  'not-required': 'not required here',
  mode: 'not for this mode',
  target: 'for another target',
  'vm-size-unknown': 'without a known VM size',
  'image-mode': "need the pool's size or hardware: checked in start-task mode",
  'needs-host': 'need the running host',
  'no-baseline': 'without --baseline',
  dependency: 'after a check they depend on did not pass',
};

/** One problem check: its findings that are not passes, each with its fix. */
function problemLines(c: CheckOutcome, p: Painter): string[] {
  const out: string[] = [];
  const findings: Finding[] = c.findings?.filter((f) => f.status !== 'pass') ?? [{ status: c.status as Finding['status'], message: c.message }];
  const who = c.category ? ` [${c.category}]` : '';
  findings.forEach((f, i) => {
    const head = i === 0 ? `${p.symbol(c.status)} ${p.status(c.status, LABEL[c.status].padEnd(INDENT - 3))} ${p.bold(c.id)}${who}: ` : `${' '.repeat(INDENT)}${p.symbol(f.status)} `;
    out.push(...p.wrap(head, f.message, INDENT + (i === 0 ? 0 : 2)));
    if (f.remediation) out.push(...p.wrap(`${' '.repeat(INDENT + (i === 0 ? 0 : 2))}fix: `, f.remediation, INDENT + (i === 0 ? 5 : 7)));
  });
  const note = waitNote(c);
  if (note) out.push(...p.wrap(' '.repeat(INDENT), p.dim(note), INDENT));
  return out;
}

/** Every check of an area, one line each (problems with their findings and fixes): --verbose. */
function verboseLines(checks: readonly CheckOutcome[], p: Painter): string[] {
  const out: string[] = [];
  for (const area of [...new Set(checks.map((c) => c.area))]) {
    out.push('', p.bold(area));
    for (const c of checks.filter((x) => x.area === area)) {
      if (c.status === 'pass' || c.status === 'skip') {
        const note = c.status === 'pass' ? waitNote(c) : undefined;
        const text = (c.status === 'skip' ? (c.skipReason ?? c.message) : c.message) + (note ? ` (${note})` : '');
        out.push(...p.wrap(`${p.symbol(c.status)} ${p.status(c.status, LABEL[c.status].padEnd(INDENT - 3))} ${c.id}: `, text, INDENT));
      } else out.push(...problemLines(c, p));
    }
  }
  return out;
}

/** The short view: problems worst first, a line per area that passed, a line of skips by reason. */
function briefLines(checks: readonly CheckOutcome[], p: Painter): string[] {
  const out: string[] = [];
  const problems = checks.filter((c) => c.status !== 'pass' && c.status !== 'skip').sort((a, b) => SEVERITY[a.status] - SEVERITY[b.status]);
  if (problems.length > 0) out.push('', ...problems.flatMap((c) => problemLines(c, p)));
  const passed = checks.filter((c) => c.status === 'pass');
  const skipped = checks.filter((c) => c.status === 'skip');
  if (passed.length + skipped.length > 0) out.push('');
  for (const area of [...new Set(passed.map((c) => c.area))]) {
    const ids = passed.filter((c) => c.area === area).map((c) => c.id);
    out.push(...p.wrap(`${p.symbol('pass')} ${p.bold(area)}: `, `${ids.length} passed (${ids.join(', ')})`, 4));
  }
  if (skipped.length > 0) {
    const kinds = new Map<string, number>();
    for (const c of skipped) {
      const words = c.skipKind ? SKIP_WORDS[c.skipKind] : (c.skipReason ?? c.message);
      kinds.set(words, (kinds.get(words) ?? 0) + 1);
    }
    const parts = [...kinds].map(([kind, n]) => `${n} ${kind}`);
    out.push(...p.wrap(`${p.symbol('skip')} `, `${skipped.length} skipped: ${parts.join(', ')} (--verbose lists them)`, 2));
  }
  return out;
}

const RULES: Record<Target, string> = { batch: "plain Azure Batch's rules", shipyard: "Batch Shipyard node prep's rules" };
const VERDICT_OF: Record<Target, string> = { batch: 'a plain Batch pool', shipyard: 'a Batch Shipyard pool' };

/** Which target judged the node and why, with how to get the other target's verdict: one line. */
function targetLine(target: NonNullable<Report['target']>): string {
  const other: Target = target.name === 'batch' ? 'shipyard' : 'batch';
  return `Target ${target.name} (${target.reason}): ${RULES[target.name]}; for ${VERDICT_OF[other]}'s verdict: --target ${other}`;
}

/** Fixes are the only text that may span lines. */
const MULTILINE = new Set(['remediation']);

export function renderHuman(hostReport: Report, style: HumanStyle = PLAIN): string {
  // Host text is escaped once, here, before any of it reaches a line of the report.
  const report = terminalSafe(hostReport, MULTILINE);
  const p = painter(style);
  const out: string[] = [];
  const os = report.host.os.prettyName ?? report.host.os.id ?? 'unknown OS';
  out.push(...p.wrap(p.bold(`batch-preflight ${report.tool.version}`) + ' ', `on ${report.host.hostname} (${os}, ${report.host.arch}), mode ${report.host.mode}: ${report.host.modeReason}`, 2));
  if (report.target) out.push(...p.wrap('', targetLine(report.target), 2));
  if (report.host.root !== '/') out.push(`Inspecting root ${report.host.root}`);
  out.push(...p.wrap('Requirements: ', report.requirements.map((r) => `${r.feature} (${r.source})`).join(', ') || 'none', 2));
  for (const n of report.notes ?? []) out.push(...p.wrap('Note: ', n, 2));
  // --only: the report lists every check; the reader asked about the selected ones.
  const shown = report.checks.filter((c) => c.skipKind !== 'not-selected');
  out.push(...(style.verbose ? verboseLines(shown, p) : briefLines(shown, p)));

  out.push('');
  if (report.deadlineExceeded) out.push(p.status('error', 'The run deadline passed: unfinished checks are reported as errors.'));
  const count = (s: Status) => shown.filter((c) => c.status === s).length;
  const verdictWord = report.summary.ok ? 'READY' : nothingChecked(report.checks) ? 'NOT READY: nothing was checked' : 'NOT READY';
  const verdict = `${p.symbol(report.summary.ok ? 'pass' : 'fail')} ${p.status(report.summary.ok ? 'pass' : 'fail', verdictWord)}`;
  const notSelected = report.checks.length - shown.length;
  const counts = `${count('pass')} passed, ${plural(count('warn'), 'warning')}, ${count('fail')} failed, ${plural(count('error'), 'error')}, ${count('skip')} skipped`;
  out.push(`${verdict}: ${counts}${notSelected > 0 ? ` (${notSelected} not selected by --only)` : ''} in ${report.durationMs} ms`);
  return out.join('\n') + '\n';
}
