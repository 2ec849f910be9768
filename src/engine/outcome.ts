// Turns what a check returned into the outcome the report shows: the worst finding decides the
// status, every finding is kept, and each non-pass finding gets its category and retryability.
import type { Check, CheckOutcome, CheckResult, Finding } from '../types';
import { CATEGORIES } from '../types';
import { worstFirst } from '../check-helpers';

const VALID_STATUS: ReadonlySet<string> = new Set(['pass', 'warn', 'fail', 'error']);
const VALID_CATEGORY: ReadonlySet<string> = new Set(CATEGORIES);

function validFinding(f: unknown): f is Finding {
  const x = f as Partial<Finding> | null;
  return !!x && typeof x === 'object' && VALID_STATUS.has(x.status as string) && typeof x.message === 'string';
}

/** Keeps only the contract's fields of a check's result; anything malformed becomes one `error`. */
export function sanitize(raw: unknown): CheckResult {
  const res = raw as Partial<CheckResult> | null;
  if (!res || typeof res !== 'object' || !Array.isArray(res.findings) || res.findings.length === 0 || !res.findings.every(validFinding)) {
    return { findings: [{ status: 'error', message: `the check returned an invalid result: ${JSON.stringify(raw)?.slice(0, 200)}` }] };
  }
  const findings = res.findings.map((f): Finding => {
    const out: Finding = { status: f.status, message: f.message };
    if (typeof f.remediation === 'string' && f.remediation) out.remediation = f.remediation;
    if (VALID_CATEGORY.has(f.category as string)) out.category = f.category;
    if (typeof f.retryable === 'boolean') out.retryable = f.retryable;
    return out;
  });
  return res.evidence && typeof res.evidence === 'object' ? { findings, evidence: res.evidence } : { findings };
}

/** A finding with its defaults filled in from the check: category and retryability. */
function withDefaults(check: Pick<Check, 'category' | 'readiness'>, f: Finding): Finding {
  if (f.status === 'pass') return f;
  return {
    ...f,
    category: f.category ?? (f.status === 'error' ? 'transient' : (check.category ?? 'image')),
    retryable: f.retryable ?? (f.status !== 'warn' && check.readiness === true),
  };
}

type Described = Pick<Check, 'id' | 'title' | 'area' | 'category' | 'readiness'>;

/** The report's view of one check's result. */
export function outcomeOf(check: Described, result: CheckResult, durationMs: number): CheckOutcome {
  const findings = worstFirst(result.findings).map((f) => withDefaults(check, f));
  const worst = findings[0]!;
  const problems = findings.filter((f) => f.status !== 'pass');
  const shown = problems.length > 0 ? problems : findings;
  const fixes = [...new Set(problems.map((f) => f.remediation).filter((r): r is string => !!r))];
  const out: Omit<CheckOutcome, 'durationMs'> & { durationMs?: number } = {
    id: check.id,
    title: check.title,
    area: check.area,
    status: worst.status,
    message: shown.map((f) => f.message).join('; '),
  };
  if (fixes.length > 0) out.remediation = fixes.join('\n');
  if (worst.status !== 'pass') {
    out.category = worst.category;
    // Retrying helps only when it can change every problem that fails the check.
    const blocking = problems.filter((f) => f.status === worst.status);
    out.retryable = blocking.every((f) => f.retryable === true);
  }
  out.findings = findings;
  if (result.evidence) out.evidence = result.evidence;
  // Key order is the JSON report's: verdict first, details after.
  out.durationMs = durationMs;
  return out as CheckOutcome;
}
