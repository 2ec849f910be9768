import { describe, expect, it } from 'vitest';
import { matchWithin } from '../../src/custom/bounded-match';

const EVIL = /(a+)+$/m;
// Long enough to take the worker past any limit here; short enough (about 2^26 steps) that the same
// match on this thread would end in seconds, so a broken bound fails the test instead of hanging it.
const LONG = `${'a'.repeat(26)}b`;
const never = () => new AbortController().signal;

describe('site regex under a time limit', () => {
  it('gives the first match, or null', async () => {
    expect(await matchWithin(/tool (\d+)\.\d+/m, 'x\ntool 4.2 ok\n', never())).toEqual({ done: true, match: 'tool 4.2' });
    expect(await matchWithin(/^FEATURE solver$/m, 'FEATURE other\n', never())).toEqual({ done: true, match: null });
  });

  it('stops a catastrophic-backtracking pattern at the limit, and this thread keeps running meanwhile', async () => {
    let ticks = 0;
    const tick = setInterval(() => ticks++, 20);
    const t0 = performance.now();
    const r = await matchWithin(EVIL, LONG, never(), 300);
    clearInterval(tick);
    expect(r).toEqual({ done: false, why: 'the pattern /(a+)+$/ did not finish matching within 0.3 s (catastrophic backtracking?); simplify it' });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(ticks).toBeGreaterThan(5);
  });

  it('stops when the check is aborted (its timeout or the run deadline)', async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 200);
    const t0 = performance.now();
    expect(await matchWithin(EVIL, LONG, ctl.signal, 60_000)).toEqual({ done: false, why: "matching /(a+)+$/ was stopped: the check's time ran out" });
    expect(performance.now() - t0).toBeLessThan(3000);
    const aborted = new AbortController();
    aborted.abort();
    expect((await matchWithin(/a/, 'a', aborted.signal)).done).toBe(false);
  });
});
