import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from '../../src/host/exec';
import { killEscapedDescendants } from '../../src/host/escapees';

const BOUNDS = { until: Infinity, maxEnvironReads: 100_000 };

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('killEscapedDescendants', () => {
  it('kills what a command left running after setsid (and its children), and nothing else', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-escape-'));
    const tool = path.join(dir, 'tool');
    // The grandchild leaves the process group, then clears its environment: found through its marked parent.
    writeFileSync(tool, `#!/bin/sh\nsetsid sh -c 'echo $$ > ${dir}/leader; env -i sleep 1001 & echo $! > ${dir}/child; wait' >/dev/null 2>&1 </dev/null &\nsleep 0.3\n`, { mode: 0o755 });
    const bystander = spawn('sleep', ['1002'], { stdio: 'ignore' });
    let left: number[] = [];
    try {
      const r = await runCommand(tool, [], { timeoutMs: 5000 });
      expect(r.outcome).toBe('exited');
      left = ['leader', 'child'].map((f) => Number(readFileSync(path.join(dir, f), 'utf8')));
      expect(left.map(alive)).toEqual([true, true]);
      expect((await killEscapedDescendants(BOUNDS)).killed).toBeGreaterThanOrEqual(2);
      await new Promise((r) => setTimeout(r, 100));
      expect(left.map(alive)).toEqual([false, false]);
      expect(alive(bystander.pid!)).toBe(true);
    } finally {
      // A failing run must not leave its sleeps behind.
      for (const pid of [...left, bystander.pid!]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone.
        }
      }
    }
  });

  it('stops at once when stopped (SIGTERM) or out of time, and says it did not finish', async () => {
    const stopped = new AbortController();
    stopped.abort();
    expect(await killEscapedDescendants({ ...BOUNDS, signal: stopped.signal })).toEqual({ killed: 0, complete: false });
    expect(await killEscapedDescendants({ ...BOUNDS, until: performance.now() - 1 })).toEqual({ killed: 0, complete: false });
  });

  it('reads no more environments than its bound', async () => {
    // This test's own vitest workers are younger processes of the same user: at least one environment to read.
    const child = spawn('sleep', ['1003'], { stdio: 'ignore' });
    try {
      expect(await killEscapedDescendants({ ...BOUNDS, maxEnvironReads: 0 })).toEqual({ killed: 0, complete: false });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
