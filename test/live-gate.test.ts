// The live suite's gate (test/live/prerequisites.ts): where live tests are required, a missing
// prerequisite fails the run naming it; elsewhere the file is skipped with the reason shown.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveRequired, missingPrerequisites } from './live/prerequisites';

const REPO = path.resolve(__dirname, '..');

function runGateFixture(env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'fixtures/live-gate/vitest.config.ts'], {
    cwd: REPO,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
    timeout: 60_000,
  });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('the live gate', () => {
  it('requires live tests under BATCH_PREFLIGHT_LIVE=1 or in CI', () => {
    expect(liveRequired({})).toBe(false);
    expect(liveRequired({ BATCH_PREFLIGHT_LIVE: '1' })).toBe(true);
    expect(liveRequired({ CI: 'true' })).toBe(true);
    expect(liveRequired({ CI: 'false' })).toBe(false);
  });

  it('names each missing command with its package and each missing build output with its script', () => {
    const missing = missingPrerequisites({ commands: { 'bp-no-such-tool': 'bp-no-such-package', sh: 'dash' }, built: { 'dist/bp-no-such-file': 'npm run bp-nothing' } });
    expect(missing).toContain('bp-no-such-tool (apt: bp-no-such-package)');
    expect(missing).toContain('dist/bp-no-such-file (npm run bp-nothing)');
    expect(missing.join()).not.toMatch(/\bsh \(/);
  });

  it('with BATCH_PREFLIGHT_LIVE=1, a live file missing a prerequisite fails the run and names it', () => {
    const r = runGateFixture({ BATCH_PREFLIGHT_LIVE: '1' });
    expect(r.status, r.output).toBe(1);
    expect(r.output).toMatch(/has its prerequisites/);
    expect(r.output).toMatch(/lacks: .*bp-no-such-tool \(apt: bp-no-such-package\)/);
  });

  it('otherwise it is skipped, with what is missing in its title', () => {
    const r = runGateFixture({});
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/1 skipped/);
    expect(r.output).not.toMatch(/passed/);
  });
});
