// The built single-file bundle, for end-to-end tests (test/setup/fresh-build.ts rebuilds it when stale).
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const BUNDLE = path.join(REPO, 'dist/batch-preflight.cjs');

export interface BundleRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bundle with an argument array (no shell) and a controlled environment. */
export function runBundle(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): BundleRun {
  const r = spawnSync(process.execPath, [BUNDLE, ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Like runBundle, without blocking this process: for tests that serve something to the agent. */
export function runBundleAsync(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 20_000): Promise<BundleRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BUNDLE, ...args], { cwd: REPO, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: unknown }).code ?? null) : 0;
      resolve({ status: typeof code === 'number' ? code : null, stdout, stderr });
    });
  });
}
