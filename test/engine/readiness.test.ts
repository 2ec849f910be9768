// --wait: checks retried with backoff while their outcome is retryable (readiness checks' fail and
// error findings are by default), within the wait budget and the deadline; every other check runs once.
import { describe, expect, it } from 'vitest';
import { runChecks, type RetryEvent, type RunOptions } from '../../src/engine/runner';
import { retryDelayMs } from '../../src/engine/backoff';
import type { Check, CheckResult, Feature } from '../../src/types';
import { silentLogger } from '../../src/log';
import { fixtureHost, tempTree } from '../helpers/host';

const host = fixtureHost(tempTree({}));
const sel = { features: new Set<Feature>(), mode: 'image' as const };

function check(id: string, run: Check['run'], extra: Partial<Check> = {}): Check {
  return { id, title: id, area: 'test', features: [], dependsOn: [], live: false, description: '', fix: '', run, ...extra };
}
const pass = (): CheckResult => ({ findings: [{ status: 'pass', message: 'up' }] });
const down = (retryable?: boolean): CheckResult => ({ findings: [{ status: 'fail', message: 'not up yet', remediation: 'start it', ...(retryable === undefined ? {} : { retryable }) }] });

function opts(extra: Partial<RunOptions> = {}): RunOptions {
  return {
    concurrency: 8,
    timeoutMs: 1000,
    deadlineMs: 10_000,
    // The shortest backoff (half the nominal delay): 125, 250, 500 ms...
    random: () => 0,
    context: (signal) => ({ host, features: new Set<Feature>(), settings: { mode: 'image', nodeCommunication: 'classic', target: 'shipyard' }, signal, log: silentLogger }),
    ...extra,
  };
}

/** A readiness check that fails until `readyAt` ms after its first run, recording the attempts it saw. */
function startingUp(readyAt: number, seen: number[] = []): Check {
  let first: number | undefined;
  return check(
    'daemon',
    async () => {
      first ??= performance.now();
      seen.push(performance.now() - first);
      return performance.now() - first >= readyAt ? pass() : down();
    },
    { readiness: true },
  );
}

describe('readiness retries (--wait)', () => {
  it('retries a readiness check until it passes, and records attempts and time to ready', async () => {
    const events: RetryEvent[] = [];
    const attemptsSeen: number[] = [];
    const t0 = performance.now();
    const { outcomes } = await runChecks([startingUp(300)], sel, opts({ waitMs: 5000, onRetry: (e) => events.push(e), context: (signal, attempt) => (attemptsSeen.push(attempt), opts().context(signal, attempt)) }));
    const o = outcomes[0]!;
    expect(o.status).toBe('pass');
    // 0, 125, 375 (fail: 375 >= 300 passes): three attempts.
    expect(o.attempts).toBe(3);
    expect(o.readyAfterMs).toBeGreaterThanOrEqual(300);
    expect(o.readyAfterMs).toBeLessThan(1500);
    expect(attemptsSeen).toEqual([1, 2, 3]);
    expect(events.map((e) => [e.attempt, e.delayMs, e.status])).toEqual([[1, 125, 'fail'], [2, 250, 'fail']]);
    expect(Object.keys(o).slice(-3)).toEqual(['attempts', 'readyAfterMs', 'durationMs']);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('does not retry a finding that says retrying cannot help', async () => {
    let runs = 0;
    const absent = check('device', async () => (runs++, down(false)), { readiness: true });
    const t0 = performance.now();
    const { outcomes } = await runChecks([absent], sel, opts({ waitMs: 5000 }));
    expect(runs).toBe(1);
    expect(outcomes[0]).toMatchObject({ status: 'fail', retryable: false, attempts: 1 });
    expect(outcomes[0]!.readyAfterMs).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('waits on a warning that says waiting can change it, but not on one that does not', async () => {
    let runs = 0;
    const port = check('port', async () => (++runs < 3 ? { findings: [{ status: 'warn', message: 'port INIT', remediation: 'wait', retryable: true }] } : pass()), { readiness: true });
    const { outcomes } = await runChecks([port], sel, opts({ waitMs: 5000 }));
    expect(outcomes[0]).toMatchObject({ status: 'pass', attempts: 3 });
    let warnRuns = 0;
    const settled = check('settled', async () => (warnRuns++, { findings: [{ status: 'warn', message: 'permissive', remediation: 'enforce' }] }), { readiness: true });
    const r = await runChecks([settled], sel, opts({ waitMs: 5000 }));
    expect(warnRuns).toBe(1);
    expect(r.outcomes[0]).toMatchObject({ status: 'warn', retryable: false, attempts: 1 });
  });

  // Issue 18 section 4: a finding that waiting can clear is retried whatever its severity (sshd enabled, not yet listening).
  it('retries a check that is not a readiness check when its outcome is retryable, a warning too; otherwise runs it once', async () => {
    let runs = 0;
    const sshd = check('sshd', async () => (++runs < 3 ? { findings: [{ status: 'warn', message: 'enabled, not yet listening on 22', remediation: 'wait', retryable: true }] } : pass()));
    const { outcomes } = await runChecks([sshd], sel, opts({ waitMs: 5000 }));
    expect(runs).toBe(3);
    expect(outcomes[0]).toMatchObject({ status: 'pass', attempts: 3 });
    let otherRuns = 0;
    const other = check('other', async () => (otherRuns++, down()));
    const r = await runChecks([other], sel, opts({ waitMs: 5000 }));
    expect(otherRuns).toBe(1);
    expect(r.outcomes[0]!.retryable).toBe(false);
    expect(r.outcomes[0]!.attempts).toBeUndefined();
  });

  it('runs a readiness check once without a wait budget, and records no attempts', async () => {
    let runs = 0;
    const { outcomes } = await runChecks([check('daemon', async () => (runs++, down()), { readiness: true })], sel, opts());
    expect(runs).toBe(1);
    expect(outcomes[0]).toMatchObject({ status: 'fail', retryable: true });
    expect(outcomes[0]!.attempts).toBeUndefined();
  });

  it('gives up when the wait budget ends, keeping the last answer', async () => {
    const t0 = performance.now();
    const { outcomes } = await runChecks([startingUp(60_000)], sel, opts({ waitMs: 1000 }));
    const elapsed = performance.now() - t0;
    const o = outcomes[0]!;
    expect(o).toMatchObject({ status: 'fail', message: 'not up yet', retryable: true });
    // 0, 125, 375, 875 ms; the next (1875) would start after the budget.
    expect(o.attempts).toBe(4);
    expect(elapsed).toBeGreaterThan(800);
    expect(elapsed).toBeLessThan(1500);
  });

  it('stops retrying when another attempt could not finish before the deadline', async () => {
    const { outcomes, deadlineHit } = await runChecks([startingUp(60_000)], sel, opts({ waitMs: 30_000, deadlineMs: 1500, timeoutMs: 500 }));
    expect(deadlineHit).toBe(false);
    // The check's own answer, not the deadline's error.
    expect(outcomes[0]).toMatchObject({ status: 'fail', message: 'not up yet' });
    expect(outcomes[0]!.attempts).toBeGreaterThan(1);
  });

  it('holds no concurrency slot between attempts', async () => {
    let otherRanAt: number | undefined;
    const t0 = performance.now();
    const other = check('other', async () => ((otherRanAt = performance.now() - t0), pass()));
    const { outcomes } = await runChecks([startingUp(600), other], sel, opts({ concurrency: 1, waitMs: 5000 }));
    expect(outcomes.map((o) => o.status)).toEqual(['pass', 'pass']);
    expect(otherRanAt).toBeLessThan(400);
  });

  it('lets dependents of a readiness check wait for its final answer', async () => {
    const dependent = check('dependent', async () => pass(), { dependsOn: ['daemon'] });
    const { outcomes } = await runChecks([startingUp(200), dependent], sel, opts({ waitMs: 5000 }));
    expect(outcomes.map((o) => o.status)).toEqual(['pass', 'pass']);
  });
});

describe('retry backoff', () => {
  it('doubles from 250 ms to a 2 s cap, jittered between half and all of it', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => retryDelayMs(n, () => 0))).toEqual([125, 250, 500, 1000, 1000, 1000]);
    expect([1, 2, 3, 4, 5, 9].map((n) => retryDelayMs(n, () => 0.999999))).toEqual([250, 500, 1000, 2000, 2000, 2000]);
  });
});

describe('Host.freshView', () => {
  it('gathers facts again, while the run keeps its cached answer', async () => {
    let n = 0;
    const gather = async () => ++n;
    expect(await host.probe('fresh-view-test', gather)).toBe(1);
    expect(await host.probe('fresh-view-test', gather)).toBe(1);
    const fresh = host.freshView();
    expect(await fresh.probe('fresh-view-test', gather)).toBe(2);
    expect(await host.probe('fresh-view-test', gather)).toBe(1);
    expect(fresh.root).toBe(host.root);
  });
});
