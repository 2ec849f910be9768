// Runs the built agent as a user would: a child process with an argument array.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const BUNDLE = path.join(REPO, 'dist/batch-preflight.cjs');
export const SEA = path.join(REPO, 'dist/batch-preflight-linux-x64');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; sea?: boolean; timeoutMs?: number; cwd?: string } = {}): CliResult {
  const [file, argv] = opts.sea ? [SEA, args] : [process.execPath, [BUNDLE, ...args]];
  const t0 = Date.now();
  const r = spawnSync(file, argv, { encoding: 'utf8', env: opts.env ?? { ...process.env, NO_COLOR: '1' }, timeout: opts.timeoutMs ?? 60_000, cwd: opts.cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}
