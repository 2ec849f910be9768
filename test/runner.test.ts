import { describe, expect, it } from 'vitest';
import { runChecks, type RunOptions } from '../src/engine/runner';
import type { Check, CheckResult, Feature } from '../src/types';
import { silentLogger } from '../src/log';
import { fixtureHost, tempTree } from './helpers/host';

const host = fixtureHost(tempTree({}));
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()));
  });

function check(id: string, run: Check['run'], extra: Partial<Check> = {}): Check {
  return { id, title: id, area: 'test', features: [], dependsOn: [], live: false, description: '', fix: '', run, ...extra };
}
const ok = (): CheckResult => ({ findings: [{ status: 'pass', message: 'ok' }] });

function opts(extra: Partial<RunOptions> = {}): RunOptions {
  return {
    concurrency: 8,
    timeoutMs: 2000,
    deadlineMs: 10_000,
    context: (signal) => ({ host, features: new Set<Feature>(['docker']), settings: { mode: 'image', nodeCommunication: 'classic', target: 'shipyard' }, signal, log: silentLogger }),
    ...extra,
  };
}
const sel = { features: new Set<Feature>(['docker']), mode: 'image' as const };

describe('runChecks', () => {
  it('runs checks concurrently up to the limit', async () => {
    let active = 0;
    let peak = 0;
    const c = (id: string) =>
      check(id, async () => {
        peak = Math.max(peak, ++active);
        await sleep(50);
        active--;
        return ok();
      });
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    await runChecks(ids.map(c), sel, opts({ concurrency: 3 }));
    expect(peak).toBe(3);
    peak = 0;
    await runChecks(ids.map(c), sel, opts({ concurrency: 1 }));
    expect(peak).toBe(1);
  });

  it('turns a timeout into error and aborts the check', async () => {
    let aborted = false;
    const slow = check('slow', async ({ signal }) => {
      await sleep(5000, signal);
      aborted = signal.aborted;
      return ok();
    }, { timeoutMs: 100 });
    const t0 = Date.now();
    const { outcomes } = await runChecks([slow, check('fast', async () => ok())], sel, opts());
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(outcomes[0]).toMatchObject({ id: 'slow', status: 'error' });
    expect(outcomes[0]!.message).toMatch(/timed out after 0.1 s/);
    // A check that did not answer in time may answer on the next try, even if it is no readiness check.
    expect(outcomes[0]!.retryable).toBe(true);
    expect(outcomes[1]!.status).toBe('pass');
    await sleep(10);
    expect(aborted).toBe(true);
  });

  it('ends the run at the deadline, reporting unfinished checks as errors', async () => {
    const hung = check('hung', () => new Promise<CheckResult>(() => {}), { timeoutMs: 60_000 });
    const t0 = Date.now();
    const { outcomes, deadlineHit } = await runChecks([hung, check('fine', async () => ok())], sel, opts({ deadlineMs: 200 }));
    expect(Date.now() - t0).toBeLessThan(700);
    expect(deadlineHit).toBe(true);
    expect(outcomes[0]).toMatchObject({ status: 'error' });
    expect(outcomes[0]!.message).toMatch(/deadline exceeded: the run's 0.2 s deadline passed/);
    expect(outcomes[1]!.status).toBe('pass');
  });

  it('stops when asked (SIGTERM): the check still running is an error that says so, its signal aborted, what finished stays', async () => {
    const stop = new AbortController();
    let seen: AbortSignal | undefined;
    const waiting = check('waiting', (ctx) => ((seen = ctx.signal), new Promise<CheckResult>(() => {})), { timeoutMs: 60_000 });
    setTimeout(() => stop.abort(), 100);
    const t0 = Date.now();
    const { outcomes, deadlineHit } = await runChecks([waiting, check('fine', async () => ok())], sel, opts({ signal: stop.signal }));
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(deadlineHit).toBe(false);
    expect(outcomes[0]).toMatchObject({ status: 'error', message: 'interrupted: the agent was asked to stop before this check finished', retryable: true });
    expect(seen?.aborted).toBe(true);
    expect(outcomes[1]!.status).toBe('pass');
  });

  it('a stop that came before the run (SIGTERM during start-up) runs nothing and says interrupted', async () => {
    let ran = false;
    const stop = new AbortController();
    stop.abort();
    const { outcomes } = await runChecks([check('any', async () => ((ran = true), ok()))], sel, opts({ signal: stop.signal }));
    expect(ran).toBe(false);
    expect(outcomes[0]).toMatchObject({ status: 'error', retryable: true });
    expect(outcomes[0]!.message).toMatch(/^interrupted/);
  });

  it('respects dependsOn: waits for the dependency and skips when it did not pass', async () => {
    const order: string[] = [];
    const base = check('base', async () => (order.push('base'), { findings: [{ status: 'fail', message: 'no' }] }));
    const after = check('after', async () => (order.push('after'), ok()), { dependsOn: ['base'] });
    const warned = check('warned', async () => (await sleep(30), order.push('warned'), { findings: [{ status: 'warn', message: 'meh' }] }));
    const onWarn = check('on-warn', async () => (order.push('on-warn'), ok()), { dependsOn: ['warned'] });
    const { outcomes } = await runChecks([after, base, onWarn, warned], sel, opts());
    expect(outcomes.map((o) => o.status)).toEqual(['skip', 'fail', 'pass', 'warn']);
    expect(outcomes[0]!.skipReason).toBe('depends on base, which did not pass (fail)');
    expect(order).toEqual(['base', 'warned', 'on-warn']);
  });

  it('a dependency that does not apply here (skipped before running) does not hold its dependents back', async () => {
    const gpuOnly = check('gpu-only', async () => ok(), { features: ['gpu'] });
    const after = check('after', async () => ok(), { dependsOn: ['gpu-only'] });
    const { outcomes } = await runChecks([gpuOnly, after], sel, opts());
    expect(outcomes.map((o) => o.status)).toEqual(['skip', 'pass']);
  });

  it('refuses a dependsOn on a check that is not in the run, instead of ignoring it', async () => {
    const orphan = check('orphan', async () => ok(), { dependsOn: ['no.such-check'] });
    await expect(runChecks([orphan], sel, opts())).rejects.toThrow('check orphan depends on no.such-check, which is not a known check');
  });

  it('makes a throwing check an error with its message, and the run goes on', async () => {
    const { outcomes } = await runChecks(
      [check('boom', async () => { throw new Error('kaboom'); }), check('bad', async () => ({ findings: [{ status: 'skip', message: 'x' }] }) as unknown as CheckResult), check('next', async () => ok())],
      sel,
      opts(),
    );
    expect(outcomes[0]).toMatchObject({ findings: [{ status: 'error', message: 'the check failed unexpectedly: kaboom' }] });
    expect(outcomes[1]!.status).toBe('error');
    expect(outcomes[2]!.status).toBe('pass');
  });

  it('skips by feature, --only, --skip and live-ness, always with a reason', async () => {
    const checks = [
      check('gpu', async () => ok(), { features: ['gpu'] }),
      check('live', async () => ok(), { live: true }),
      check('picked', async () => ok()),
      check('dropped', async () => ok()),
    ];
    const { outcomes } = await runChecks(checks, { ...sel, mode: 'offline', skip: ['dropped'] }, opts());
    expect(outcomes.map((o) => [o.status, o.skipReason])).toEqual([
      ['skip', 'applies only when gpu is required, and this host does not require it'],
      ['skip', 'offline root: this check needs the running host'],
      ['pass', undefined],
      ['skip', 'skipped by --skip'],
    ]);
    const only = await runChecks(checks, { ...sel, mode: 'container', only: ['live'] }, opts());
    expect(only.outcomes[1]!.skipReason).toMatch(/container mode/);
    expect(only.outcomes[2]!.skipReason).toBe('not selected by --only');
  });

  it('a check that finished in time is not aborted afterwards by its own stale timeout', async () => {
    let seen: AbortSignal | undefined;
    const quick = check('quick', async (ctx) => ((seen = ctx.signal), ok()), { timeoutMs: 50 });
    const { outcomes } = await runChecks([quick], sel, opts());
    expect(outcomes[0]!.status).toBe('pass');
    await sleep(120);
    expect(seen?.aborted).toBe(false);
  });

  it('a stop before the run reports a dependent check as interrupted too, not as skipped for its dependency', async () => {
    const stop = new AbortController();
    stop.abort();
    const base = check('base', async () => ok());
    const after = check('after', async () => ok(), { dependsOn: ['base'] });
    const { outcomes } = await runChecks([base, after], sel, opts({ signal: stop.signal }));
    expect(outcomes.map((o) => [o.id, o.status, o.message])).toEqual([
      ['base', 'error', 'interrupted: the agent was asked to stop before this check finished'],
      ['after', 'error', 'interrupted: the agent was asked to stop before this check finished'],
    ]);
  });
});
