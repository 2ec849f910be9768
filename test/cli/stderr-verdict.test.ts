// Start-task mode: the first line on stderr is the verdict (READY, or NOT READY with the checks in
// the way) and where the report is; Batch shows it for a failed start task.
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { executeRun, type RunArgs } from '../../src/cli/run';
import type { Check, CheckStatus } from '../../src/types';
import { runCli } from '../helpers/cli';

const stub = (id: string, status: CheckStatus): Check => ({
  id, title: id, area: 'test', features: [], dependsOn: [], live: false, description: 'a stub', fix: 'none',
  run: async () => ({ findings: [{ status, message: `stub says ${status}`, remediation: 'fix it' }] }),
});

const ARGS: RunArgs = {
  root: '/', require: [], without: [], only: [], skip: [], format: 'human', timeout: 5, deadline: 10, concurrency: 2,
  strict: false, logLevel: 'silent', color: false, mode: 'auto', nodeCommunication: 'classic', detect: false, imds: false, allowRemoteImdsUrl: false, inventory: false,
};

function batchEnv() {
  const shared = mkdtempSync(path.join(os.tmpdir(), 'bp-shared-'));
  return { shared, env: { AZ_BATCH_NODE_ID: 'tvmps_1', AZ_BATCH_POOL_ID: 'pool-a', AZ_BATCH_TASK_WORKING_DIR: '/mnt/batch/tasks/startup/wd', AZ_BATCH_NODE_SHARED_DIR: shared } };
}
const signal = new AbortController().signal;
/** Later tasks trust the report at that path: the line says who can change it there. */
const BY = process.geteuid?.() === 0 ? 'written by root, which alone can change it' : `written by uid ${process.geteuid?.()}, which with root alone can change it`;

describe('the one-line stderr verdict', () => {
  it('names the failing and erroring checks, in report order, and the report path', async () => {
    const { env, shared } = batchEnv();
    const res = await executeRun(ARGS, [stub('firewall.inbound', 'fail'), stub('sshd', 'pass'), stub('docker.socket', 'error'), stub('selinux.mode', 'warn')], env, signal);
    expect(res.stderrVerdict).toBe(`batch-preflight: NOT READY: firewall.inbound, docker.socket (report: ${shared}/batch-preflight/report.json, ${BY})\n`);
  });

  it('says READY when nothing stands in the way; a warning counts only under --strict', async () => {
    const { env, shared } = batchEnv();
    const checks = [stub('sshd', 'pass'), stub('selinux.mode', 'warn')];
    expect((await executeRun(ARGS, checks, env, signal)).stderrVerdict).toBe(`batch-preflight: READY (report: ${shared}/batch-preflight/report.json, ${BY})\n`);
    expect((await executeRun({ ...ARGS, strict: true }, checks, env, signal)).stderrVerdict).toMatch(/^batch-preflight: NOT READY: selinux\.mode \(report: /);
  });

  it('says when no report was written, and names --report when given', async () => {
    const res = await executeRun({ ...ARGS, mode: 'start-task' }, [stub('sshd', 'pass')], {}, signal);
    expect(res.stderrVerdict).toBe('batch-preflight: READY (report: not written)\n');
  });

  it('is not written outside start-task mode', async () => {
    const res = await executeRun({ ...ARGS, mode: 'image' }, [stub('sshd', 'fail')], {}, signal);
    expect(res.stderrVerdict).toBeUndefined();
  });

  it('comes first on stderr, before the logs held back for it (the built agent)', () => {
    const { env, shared } = batchEnv();
    const r = runCli(['--only', 'os.distro', '--log-level', 'info'], { env: { ...process.env, ...env, NO_COLOR: '1' } });
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^batch-preflight: (NOT )?READY.* \\(report: ${shared}/batch-preflight/report\\.json, ${BY}\\)$`));
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.slice(1).every((l) => JSON.parse(l).name === 'batch-preflight')).toBe(true);
    expect(r.stdout).toContain('batch-preflight');
  });
});
