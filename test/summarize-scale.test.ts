// 10,000 small reports through the bundle: catches pathological behaviour (reading one file at a
// time, quadratic folding, unbounded open files). Speed itself is the benchmark's business.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE, runCli } from './helpers/cli';
import { fakeReport } from './helpers/reports';

const N = 10_000;
let dir: string;

beforeAll(() => {
  expect(existsSync(BUNDLE), 'run `npm run build` first').toBe(true);
  dir = mkdtempSync(path.join(os.tmpdir(), 'bp-fleet-10k-'));
  for (let i = 0; i < N; i++) {
    const sub = path.join(dir, `batch-${Math.floor(i / 500)}`, `tvm-${i}`);
    mkdirSync(sub, { recursive: true });
    const report = fakeReport({
      nodeId: `tvm-${i}`,
      hostname: `h${i}`,
      checks: [
        { id: 'docker.socket', status: i % 100 === 0 ? 'fail' : 'pass', message: i % 100 === 0 ? 'Docker socket /var/run/docker.sock does not exist' : undefined },
        { id: 'sshd', status: 'pass' },
        { id: 'selinux.mode', status: 'pass' },
      ],
    });
    writeFileSync(path.join(sub, 'report.json'), JSON.stringify(report));
  }
}, 120_000);

// Removing 10,000 files can take a while on a loaded machine.
afterAll(() => rmSync(dir, { recursive: true, force: true }), 120_000);

describe('summarize at fleet scale', () => {
  it(`summarises ${N} reports in seconds`, () => {
    const r = runCli(['summarize', dir, '--format', 'json'], { timeoutMs: 60_000 });
    console.log(`summarize: ${N} reports in ${r.ms} ms`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(s.reports).toBe(N);
    expect(s.failedNodes).toHaveLength(N / 100);
    expect(s.checks.find((c: { id: string }) => c.id === 'sshd').counts.pass).toBe(N);
    expect(r.ms).toBeLessThan(20_000);
  }, 60_000);
});
