// vitest globalSetup: the end-to-end tests never run a stale bundle or binary. The bundle is
// rebuilt when a source is newer (scripts/ensure-built.mjs, as `npm start` does), and the
// standalone binary when it is missing or older than the bundle; a failed build fails the run.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../..');
const mtime = (file: string): number => statSync(path.join(REPO, file), { throwIfNoEntry: false })?.mtimeMs ?? 0;

function run(script: string): void {
  try {
    execFileSync(process.execPath, [script], { cwd: REPO, stdio: 'pipe' });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`${script} failed, so the end-to-end tests cannot run:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

export default function setup(): void {
  run('scripts/ensure-built.mjs');
  if (mtime('dist/batch-preflight-linux-x64') < mtime('dist/batch-preflight.cjs')) run('scripts/build-sea.mjs');
}
