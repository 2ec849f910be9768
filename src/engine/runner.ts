// Runs the applicable checks concurrently, in dependency order, each under its timeout and all
// under the run's deadline. It never waits past the deadline for a check that does not finish.
import type { Check, CheckContext, CheckOutcome, CheckResult, Status } from '../types';
import { staticSkipReason, type Selection } from './select';

export interface RunOptions {
  concurrency: number;
  /** Default per-check timeout, for checks that do not set their own. */
  timeoutMs: number;
  deadlineMs: number;
  /** Builds the context one check sees (its own abort signal inside). */
  context: (signal: AbortSignal) => CheckContext;
  /** Aborted by the caller (e.g. on SIGTERM): finish now with what is done. */
  signal?: AbortSignal;
}

const PASSING: ReadonlySet<Status> = new Set(['pass', 'warn']);
const VALID: ReadonlySet<string> = new Set(['pass', 'warn', 'fail', 'error']);

class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async acquire(): Promise<() => void> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    return () => {
      this.active--;
      this.waiting.shift()?.();
    };
  }
}

function sanitize(r: unknown): CheckResult {
  const res = r as Partial<CheckResult> | null;
  if (!res || typeof res !== 'object' || !VALID.has(res.status as string) || typeof res.message !== 'string') {
    return { status: 'error', message: `the check returned an invalid result: ${JSON.stringify(r)?.slice(0, 200)}` };
  }
  const out: CheckResult = { status: res.status!, message: res.message };
  if (res.evidence && typeof res.evidence === 'object') out.evidence = res.evidence;
  if (typeof res.remediation === 'string' && res.remediation) out.remediation = res.remediation;
  return out;
}

function describe(check: Check) {
  return { id: check.id, title: check.title, area: check.area };
}

/** Runs one check under its timeout; a throw or a timeout becomes `error`. */
async function runOne(check: Check, opts: RunOptions, runSignal: AbortSignal): Promise<CheckResult> {
  const timeoutMs = check.timeoutMs ?? opts.timeoutMs;
  const ctl = new AbortController();
  const onRunAbort = () => ctl.abort();
  runSignal.addEventListener('abort', onRunAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => {
      ctl.abort();
      resolve({ status: 'error', message: `timed out after ${timeoutMs / 1000} s without an answer` });
    }, timeoutMs);
  });
  try {
    const work = Promise.resolve()
      .then(() => check.run(opts.context(ctl.signal)))
      .then(sanitize, (err: unknown) => ({
        status: 'error' as const,
        message: `the check failed unexpectedly: ${err instanceof Error ? err.message : String(err)}`,
      }));
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
    runSignal.removeEventListener('abort', onRunAbort);
  }
}

/** A dependency on an id that is not in the run is a mistake in the check set, never ignored. */
function assertDependenciesKnown(checks: readonly Check[], byId: ReadonlyMap<string, Check>): void {
  for (const c of checks) {
    const unknown = c.dependsOn.find((d) => !byId.has(d));
    if (unknown !== undefined) throw new Error(`check ${c.id} depends on ${unknown}, which is not a known check`);
  }
}

export async function runChecks(checks: readonly Check[], sel: Selection, opts: RunOptions): Promise<{ outcomes: CheckOutcome[]; deadlineHit: boolean }> {
  const outcomes = new Map<string, CheckOutcome>();
  const byId = new Map(checks.map((c) => [c.id, c]));
  assertDependenciesKnown(checks, byId);
  const sem = new Semaphore(Math.max(1, opts.concurrency));
  const runCtl = new AbortController();
  const settled = new Map<string, Promise<void>>();

  const record = (check: Check, status: Status, rest: Partial<CheckOutcome>) => {
    if (!outcomes.has(check.id)) outcomes.set(check.id, { ...describe(check), message: '', durationMs: 0, ...rest, status } as CheckOutcome);
  };

  const schedule = (check: Check): Promise<void> => {
    const existing = settled.get(check.id);
    if (existing) return existing;
    const p = (async () => {
      const reason = staticSkipReason(check, sel);
      if (reason) return record(check, 'skip', { message: reason, skipReason: reason });
      // Only dependencies that will run gate this check.
      const deps = check.dependsOn.map((d) => byId.get(d)!).filter((d) => staticSkipReason(d, sel) === null);
      await Promise.all(deps.map(schedule));
      const failed = deps.find((d) => !PASSING.has(outcomes.get(d.id)?.status ?? 'error'));
      if (failed) {
        const why = `depends on ${failed.id}, which did not pass (${outcomes.get(failed.id)?.status ?? 'unknown'})`;
        return record(check, 'skip', { message: why, skipReason: why });
      }
      const release = await sem.acquire();
      if (runCtl.signal.aborted) return release();
      const started = performance.now();
      try {
        const res = await runOne(check, opts, runCtl.signal);
        record(check, res.status, { ...res, durationMs: Math.round(performance.now() - started) });
      } finally {
        release();
      }
    })();
    settled.set(check.id, p);
    return p;
  };

  const startedAt = performance.now();
  let deadlineTimer: NodeJS.Timeout | undefined;
  let deadlineHit = false;
  const stopped = new Promise<void>((resolve) => {
    deadlineTimer = setTimeout(() => {
      deadlineHit = true;
      resolve();
    }, opts.deadlineMs);
    opts.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await Promise.race([Promise.all(checks.map(schedule)), stopped]);
  clearTimeout(deadlineTimer);
  const interrupted = deadlineHit || (opts.signal?.aborted ?? false);
  if (interrupted) runCtl.abort();
  const elapsed = Math.round(performance.now() - startedAt);
  const why = deadlineHit ? `deadline exceeded: the run's ${opts.deadlineMs / 1000} s deadline passed before this check finished` : 'interrupted: the agent was asked to stop before this check finished';
  for (const check of checks) record(check, 'error', { message: why, durationMs: elapsed });
  return { outcomes: checks.map((c) => outcomes.get(c.id)!), deadlineHit };
}
