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
    expect(outcomes[0]!.message).toMatch(/deadline exceeded/);
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
});
