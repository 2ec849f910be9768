// Runs the applicable checks concurrently, in dependency order, each under its timeout and all
// under the run's deadline. It never waits past the deadline for a check that does not finish.
// With a wait budget, checks whose outcome is retryable (whatever its severity) run again with backoff.
import type { Check, CheckContext, CheckOutcome, CheckResult, SkipKind, Status } from '../types';
import { error } from '../check-helpers';
import { outcomeOf, sanitize } from './outcome';
import { staticSkip, type Selection } from './select';
import { pause, retryDelayMs } from './backoff';
import { messageOf } from '../errors';

/** A check about to be tried again under --wait: for progress lines and logs. */
export interface RetryEvent {
  id: string;
  /** The attempt that just ended (1-based). */
  attempt: number;
  status: Status;
  message: string;
  delayMs: number;
  /** Milliseconds since the check's first attempt started. */
  elapsedMs: number;
  waitMs: number;
}

export interface RunOptions {
  concurrency: number;
  /** Default per-check timeout, for checks that do not set their own. */
  timeoutMs: number;
  deadlineMs: number;
  /**
   * Builds the context one check sees (its own abort signal inside); `attempt` > 1 is a readiness
   * retry, which must see the host's live state rather than facts gathered earlier in the run.
   */
  context: (signal: AbortSignal, attempt: number) => CheckContext;
  /** Aborted by the caller (e.g. on SIGTERM): finish now with what is done. */
  signal?: AbortSignal;
  /** How long readiness checks may keep retrying, from the start of the run (0: run once). */
  waitMs?: number;
  /** Told before each readiness retry. */
  onRetry?: (e: RetryEvent) => void;
  /** Jitter source for the backoff (tests fix it). */
  random?: () => number;
}

const PASSING: ReadonlySet<Status> = new Set(['pass', 'warn']);

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

/** The outcome without `durationMs`, so that fields added after it keep the report's key order. */
function withoutDuration(o: CheckOutcome): Omit<CheckOutcome, 'durationMs'> {
  const { durationMs: _, ...rest } = o;
  return rest;
}

function describe(check: Check) {
  return { id: check.id, title: check.title, area: check.area };
}

/** Runs one check under its timeout; a throw or a timeout becomes `error`. */
async function runOne(check: Check, opts: RunOptions, runSignal: AbortSignal, attempt: number): Promise<CheckResult> {
  const timeoutMs = check.timeoutMs ?? opts.timeoutMs;
  const ctl = new AbortController();
  const onRunAbort = () => ctl.abort();
  runSignal.addEventListener('abort', onRunAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => {
      ctl.abort();
      resolve(error(`timed out after ${timeoutMs / 1000} s without an answer`, undefined, { retryable: true }));
    }, timeoutMs);
  });
  try {
    const work = Promise.resolve()
      .then(() => check.run(opts.context(ctl.signal, attempt)))
      .then(sanitize, (err: unknown) => error(`the check failed unexpectedly: ${messageOf(err)}`));
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
  const waitMs = Math.max(0, opts.waitMs ?? 0);
  const runStart = performance.now();
  const runCtl = new AbortController();
  // Stopped before anything started (a SIGTERM during start-up): nothing runs.
  if (opts.signal?.aborted) runCtl.abort();
  const settled = new Map<string, Promise<void>>();

  const record = (outcome: CheckOutcome) => {
    if (!outcomes.has(outcome.id)) outcomes.set(outcome.id, outcome);
  };
  const skip = (check: Check, kind: SkipKind, why: string) => record({ ...describe(check), status: 'skip', message: why, skipReason: why, skipKind: kind, durationMs: 0 });

  /** One run of the check under the concurrency limit; undefined when the run was stopped first. */
  const attempt = async (check: Check, n: number, started: number): Promise<CheckOutcome | undefined> => {
    const release = await sem.acquire();
    try {
      if (runCtl.signal.aborted) return undefined;
      const res = await runOne(check, opts, runCtl.signal, n);
      return outcomeOf(check, res, Math.round(performance.now() - started));
    } finally {
      release();
    }
  };

  /**
   * Runs a check once, or, under a wait budget, until it passes, its outcome says retrying cannot
   * help, or another attempt could not start within the budget and finish within the deadline.
   * Any retryable outcome is waited on, whatever its severity and whether or not the check is a
   * readiness check (sshd enabled but not yet listening warns, retryable). Between attempts it
   * holds no concurrency slot.
   */
  const attempts = async (check: Check): Promise<CheckOutcome | undefined> => {
    const started = performance.now();
    for (let n = 1; ; n++) {
      const outcome = await attempt(check, n, started);
      if (!outcome || waitMs === 0) return outcome;
      const ready = outcome.status === 'pass';
      // Only readiness checks, and checks that were retried, report attempts; any other keeps its plain outcome.
      if (check.readiness !== true && n === 1 && (ready || !outcome.retryable)) return outcome;
      const now = performance.now();
      const delayMs = retryDelayMs(n, opts.random);
      const next = now + delayMs;
      const timeoutMs = check.timeoutMs ?? opts.timeoutMs;
      if (ready || !outcome.retryable || next > runStart + waitMs || next + timeoutMs > runStart + opts.deadlineMs || runCtl.signal.aborted) {
        return { ...withoutDuration(outcome), attempts: n, ...(ready ? { readyAfterMs: Math.round(now - started) } : {}), durationMs: outcome.durationMs };
      }
      opts.onRetry?.({ id: check.id, attempt: n, status: outcome.status, message: outcome.message, delayMs, elapsedMs: Math.round(now - started), waitMs });
      await pause(delayMs, runCtl.signal);
    }
  };

  const schedule = (check: Check): Promise<void> => {
    const existing = settled.get(check.id);
    if (existing) return existing;
    const p = (async () => {
      const notApplicable = staticSkip(check, sel);
      if (notApplicable) return skip(check, notApplicable.kind, notApplicable.reason);
      // Only dependencies that will run gate this check.
      const deps = check.dependsOn.map((d) => byId.get(d)!).filter((d) => staticSkip(d, sel) === null);
      await Promise.all(deps.map(schedule));
      const failed = deps.find((d) => !PASSING.has(outcomes.get(d.id)?.status ?? 'error'));
      if (failed) {
        const why = `depends on ${failed.id}, which did not pass (${outcomes.get(failed.id)?.status ?? 'unknown'})`;
        return skip(check, 'dependency', why);
      }
      const outcome = await attempts(check);
      if (outcome) record(outcome);
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
    // A stop that came before the run fires no event: look first.
    if (opts.signal?.aborted) resolve();
    else opts.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await Promise.race([Promise.all(checks.map(schedule)), stopped]);
  clearTimeout(deadlineTimer);
  const interrupted = deadlineHit || (opts.signal?.aborted ?? false);
  if (interrupted) runCtl.abort();
  const elapsed = Math.round(performance.now() - startedAt);
  const why = deadlineHit ? `deadline exceeded: the run's ${opts.deadlineMs / 1000} s deadline passed before this check finished` : 'interrupted: the agent was asked to stop before this check finished';
  for (const check of checks) record(outcomeOf(check, error(why, undefined, { retryable: true }), elapsed));
  return { outcomes: checks.map((c) => outcomes.get(c.id)!), deadlineHit };
}
