// executeRun in start-task mode with stub checks: the exit code follows the verdict, the report
// goes to the node's shared directory with the pool and node ids.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { executeRun, type RunArgs } from '../../src/cli/run';
import type { Check, CheckStatus } from '../../src/types';
import type { Report } from '../../src/report/report';

const stub = (status: CheckStatus): Check => ({
  id: `stub.${status}`,
  title: `stub ${status}`,
  area: 'test',
  features: [],
  dependsOn: [],
  live: false,
  description: 'a stub',
  fix: 'none',
  run: async () => ({ findings: [{ status, message: `stub says ${status}` }] }),
});

const ARGS: RunArgs = {
  root: '/', require: [], without: [], only: [], skip: [], format: 'json', timeout: 5, deadline: 10, concurrency: 2,
  strict: false, logLevel: 'silent', color: false, mode: 'auto', nodeCommunication: 'classic', detect: false, imds: false, allowRemoteImdsUrl: false, inventory: false,
};

function batchEnv(): { env: NodeJS.ProcessEnv; shared: string } {
  const shared = mkdtempSync(path.join(os.tmpdir(), 'bp-shared-'));
  return { shared, env: { AZ_BATCH_NODE_ID: 'tvmps_1', AZ_BATCH_POOL_ID: 'pool-a', AZ_BATCH_TASK_WORKING_DIR: '/mnt/batch/tasks/startup/wd', AZ_BATCH_NODE_SHARED_DIR: shared } };
}

describe('start-task mode', () => {
  it.each([
    ['pass', 0],
    ['warn', 0],
    ['fail', 1],
    ['error', 1],
  ] as const)('a %s exits %d and writes the report for later tasks', async (status, code) => {
    const { env, shared } = batchEnv();
    const res = await executeRun(ARGS, [stub(status)], env, new AbortController().signal);
    expect(res.exitCode).toBe(code);
    const onDisk = JSON.parse(readFileSync(path.join(shared, 'batch-preflight/report.json'), 'utf8')) as Report;
    expect(onDisk.host.mode).toBe('start-task');
    expect(onDisk.batch).toEqual({ poolId: 'pool-a', nodeId: 'tvmps_1' });
    expect(onDisk.checks.map((c) => c.status)).toEqual([status]);
  });

  it('--mode start-task without the Batch environment: runs, says the report was not written', async () => {
    const res = await executeRun({ ...ARGS, mode: 'start-task' }, [stub('pass')], {}, new AbortController().signal);
    expect(res.report.host.mode).toBe('start-task');
    expect(res.report.batch).toEqual({});
    expect(res.report.notes).toEqual(['AZ_BATCH_NODE_SHARED_DIR is not set: the JSON report was not written (use --report FILE)']);
  });

  it('settings from the pool reach the checks', async () => {
    let seen: unknown;
    const probe: Check = { ...stub('pass'), run: async (ctx) => ((seen = ctx.settings), { findings: [{ status: 'pass', message: 'ok' }] }) };
    await executeRun({ ...ARGS, mode: 'image', pool: 'fixtures/shipyard/pool-el.json' }, [probe], {}, new AbortController().signal);
    expect(seen).toEqual({
      mode: 'image',
      nodeCommunication: 'classic',
      target: 'shipyard',
      expectedDistro: { family: 'el', version: '7', nodeAgent: 'batch.node.centos 7' },
      expectedResourceMount: '/mnt/resource',
      vmSize: { name: 'STANDARD_NC24RS_V3', source: 'fixtures/shipyard/pool-el.json pool_specification.vm_size' },
    });
  });

  it('an offline run never runs commands, even on /', async () => {
    let canExec: boolean | undefined;
    const probe: Check = { ...stub('pass'), run: async (ctx) => ((canExec = ctx.host.canExec), { findings: [{ status: 'pass', message: 'ok' }] }) };
    await executeRun({ ...ARGS, mode: 'offline' }, [probe], {}, new AbortController().signal);
    expect(canExec).toBe(false);
  });
});
