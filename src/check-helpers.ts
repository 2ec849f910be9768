// Small helpers shared by check modules, so each check reads as its decision alone.
import type { Category, CheckResult, CheckStatus, Evidence, Finding } from './types';
import { FsError } from './host/rootfs';
import { messageOf } from './errors';

/** Overrides of a finding's defaults (the check's category; retryable when the check is a readiness check). */
export interface FindingOptions {
  category?: Category;
  retryable?: boolean;
}

function make(status: CheckStatus, message: string, remediation?: string, opts?: FindingOptions): Finding {
  const f: Finding = { status, message };
  if (remediation) f.remediation = remediation;
  if (opts?.category) f.category = opts.category;
  if (opts?.retryable !== undefined) f.retryable = opts.retryable;
  return f;
}

/** One finding, for checks that reach several conclusions and `combine` them. */
export const finding = {
  pass: (message: string): Finding => make('pass', message),
  warn: (message: string, remediation: string, opts?: FindingOptions): Finding => make('warn', message, remediation, opts),
  fail: (message: string, remediation: string, opts?: FindingOptions): Finding => make('fail', message, remediation, opts),
  error: (message: string, opts?: FindingOptions): Finding => make('error', message, undefined, opts),
};

const one = (f: Finding, evidence?: Evidence): CheckResult => (evidence ? { findings: [f], evidence } : { findings: [f] });

export const pass = (message: string, evidence?: Evidence): CheckResult => one(finding.pass(message), evidence);
export const warn = (message: string, remediation: string, evidence?: Evidence, opts?: FindingOptions): CheckResult =>
  one(finding.warn(message, remediation, opts), evidence);
export const fail = (message: string, remediation: string, evidence?: Evidence, opts?: FindingOptions): CheckResult =>
  one(finding.fail(message, remediation, opts), evidence);
export const error = (message: string, evidence?: Evidence, opts?: FindingOptions): CheckResult => one(finding.error(message, opts), evidence);

/** The problems a check found, or a pass with `passMessage` when there are none. */
export function combine(problems: readonly Finding[], evidence: Evidence | undefined, passMessage: string): CheckResult {
  return problems.length > 0 ? { findings: [...problems], evidence } : pass(passMessage, evidence);
}

// A definite failure outranks a question the check could not answer.
const RANK: Record<CheckStatus, number> = { pass: 0, warn: 1, error: 2, fail: 3 };

/** Worst first: fail, error, warn, pass (stable within a status). */
export function worstFirst(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => RANK[b.status] - RANK[a.status]);
}

/** The status a result stands for: its worst finding's. */
export function statusOf(result: CheckResult): CheckStatus {
  return worstFirst(result.findings)[0]?.status ?? 'error';
}

/** `error` result for a file that exists but could not be read (denied, loop, escape, timeout). */
export function unreadable(err: unknown): CheckResult {
  if (err instanceof FsError) return error(`could not read ${err.message}`, { path: err.path, reason: err.reason });
  return error(`could not read: ${messageOf(err)}`);
}

/** Several partial results as one: every finding, and the evidence of all. */
export function merge(results: readonly CheckResult[]): CheckResult {
  return { findings: results.flatMap((r) => r.findings), evidence: Object.assign({}, ...results.map((r) => r.evidence ?? {})) };
}
