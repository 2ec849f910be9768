// `--target auto` (the default) as the built bundle decides it, and says why, like the mode: batch
// with --batch-pool; shipyard with Batch Shipyard files, or in start-task mode with Batch Shipyard's
// own start task environment (convoy/fleet.py of Batch Shipyard 3.9.1 sets SHIPYARD_STORAGE_ENV,
// SHIPYARD_CONTAINER_IMAGES_PRELOAD and others in `pool.start_task.environment_settings`); otherwise
// shipyard, the source document's target. The human report says it in one line, with how to get the
// other target's verdict.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleReport } from '../helpers/bundle-report';
import { runBundle } from '../helpers/bundle';
import { chooseTarget, SHIPYARD_START_TASK_VARIABLES } from '../../src/requirements/resolve';

const ONE = ['--only', 'os.distro'];
/** A Batch start task's environment (the variables Batch sets for every start task). */
function startTask(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const shared = mkdtempSync(path.join(os.tmpdir(), 'bp-target-'));
  return { AZ_BATCH_NODE_ID: 'tvmps_1', AZ_BATCH_POOL_ID: 'p', AZ_BATCH_TASK_WORKING_DIR: '/mnt/batch/tasks/startup/wd', AZ_BATCH_NODE_SHARED_DIR: shared, ...extra };
}

describe('--target auto, as the report says it', () => {
  it('--batch-pool: batch', () => {
    const { r } = bundleReport(['--mode', 'image', ...ONE, '--batch-pool', 'fixtures/batch/pool-rest.json']);
    expect(r.target).toEqual({ name: 'batch', reason: '--batch-pool' });
  });

  it('a Batch Shipyard file: shipyard', () => {
    expect(bundleReport(['--mode', 'image', ...ONE, '--pool', 'fixtures/shipyard/pool.yaml']).r.target).toEqual({ name: 'shipyard', reason: '--pool: Batch Shipyard files' });
    expect(bundleReport(['--mode', 'image', ...ONE, '--config', 'fixtures/shipyard/config.yaml']).r.target).toEqual({ name: 'shipyard', reason: '--config: Batch Shipyard files' });
  });

  it("start-task mode in Batch Shipyard's start task environment (SHIPYARD_STORAGE_ENV set): shipyard", () => {
    const { r } = bundleReport([...ONE], startTask({ SHIPYARD_STORAGE_ENV: 'enc:account:endpoint:key' }));
    expect(r.host.mode).toBe('start-task');
    expect(r.target).toEqual({ name: 'shipyard', reason: "start-task environment: SHIPYARD_STORAGE_ENV is set (Batch Shipyard's start task sets it)" });
    // The value is a storage key: never reported.
    expect(JSON.stringify(r)).not.toContain('enc:account');
  });

  it('start-task mode without Batch Shipyard variables, and no flag or file: the default, shipyard, and why', () => {
    const { r } = bundleReport([...ONE], startTask());
    expect(r.host.mode).toBe('start-task');
    expect(r.target!.name).toBe('shipyard');
    expect(r.target!.reason).toBe('default: no --batch-pool, Batch Shipyard file or Shipyard start task variable');
  });

  it('a SHIPYARD_ variable outside start-task mode decides nothing (only the start task is Shipyard\'s)', () => {
    const { r } = bundleReport(['--mode', 'image', ...ONE], { SHIPYARD_STORAGE_ENV: 'x' });
    expect(r.target!.reason).toMatch(/^default: /);
  });

  it('--target wins over the files and the environment', () => {
    expect(bundleReport(['--mode', 'image', ...ONE, '--pool', 'fixtures/shipyard/pool.yaml', '--target', 'batch']).r.target).toEqual({ name: 'batch', reason: '--target batch' });
    expect(bundleReport([...ONE, '--target', 'batch'], startTask({ SHIPYARD_STORAGE_ENV: 'x' })).r.target).toEqual({ name: 'batch', reason: '--target batch' });
    expect(bundleReport(['--mode', 'image', ...ONE, '--target', 'auto', '--batch-pool', 'fixtures/batch/pool-rest.json']).r.target!.name).toBe('batch');
  });

  it('an invalid --target is a usage error, exit 2', () => {
    const run = runBundle(['--target', 'slurm']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^batch-preflight: Invalid values:/);
  });
});

describe('the human report names the target and how to get the other verdict, in one line', () => {
  it('under batch', () => {
    const run = runBundle(['--mode', 'image', ...ONE, '--batch-pool', 'fixtures/batch/pool-rest.json', '--no-color']);
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('Target '));
    expect(lines).toEqual(["Target batch (--batch-pool): plain Azure Batch's rules; for a Batch Shipyard pool's verdict: --target shipyard"]);
  });

  it('under shipyard', () => {
    const run = runBundle(['--mode', 'image', ...ONE, '--pool', 'fixtures/shipyard/pool.yaml', '--no-color']);
    expect(run.stdout).toContain("\nTarget shipyard (--pool: Batch Shipyard files): Batch Shipyard node prep's rules; for a plain Batch pool's verdict: --target batch\n");
  });
});

describe('chooseTarget', () => {
  it('knows the start task variables of Batch Shipyard 3.9.1 convoy/fleet.py, and each one decides', () => {
    expect(SHIPYARD_START_TASK_VARIABLES).toContain('SHIPYARD_STORAGE_ENV');
    for (const v of SHIPYARD_START_TASK_VARIABLES) {
      expect(chooseTarget({ requested: 'auto', shipyardFlag: null, batchPool: false, mode: 'start-task', env: { [v]: '' } }).reason).toContain(`${v} is set`);
    }
  });

  it('the order: flag, --batch-pool, Shipyard files, start task environment, default', () => {
    const env = { SHIPYARD_STORAGE_ENV: 'x' };
    expect(chooseTarget({ requested: 'shipyard', shipyardFlag: null, batchPool: true, mode: 'start-task', env }).reason).toBe('--target shipyard');
    expect(chooseTarget({ requested: 'auto', shipyardFlag: null, batchPool: true, mode: 'start-task', env })).toEqual({ target: 'batch', reason: '--batch-pool' });
    expect(chooseTarget({ requested: 'auto', shipyardFlag: '--jobs', batchPool: false, mode: 'start-task', env }).reason).toBe('--jobs: Batch Shipyard files');
    expect(chooseTarget({ requested: 'auto', shipyardFlag: null, batchPool: false, mode: 'start-task', env: { AZ_BATCH_NODE_ID: 'n' } }).reason).toMatch(/^default: /);
  });
});

describe('explain --target', () => {
  it("shows one target's rule alone: rdma.userland under batch asks for no ofed_info", () => {
    const run = runBundle(['explain', 'rdma.userland', '--target', 'batch']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Target:      --target batch (plain Azure Batch pools)\n');
    expect(run.stdout).toContain('ofed_info and ibstatus are not required');
    expect(run.stdout).not.toMatch(/node ?prep|shipyard/i);
  });

  it('says when a check does not apply to that target', () => {
    const run = runBundle(['explain', 'tools.nodeprep', '--target', 'batch']);
    expect(run.stdout).toContain('Target:      --target batch (plain Azure Batch pools): does not apply (only --target shipyard (Batch Shipyard pools))\n');
  });

  it('an unknown target is exit 2', () => {
    expect(runBundle(['explain', 'sshd', '--target', 'slurm']).status).toBe(2);
  });
});
