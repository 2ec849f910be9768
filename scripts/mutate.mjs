// `npm run mutate`: Stryker over a copy of the working tree. Stryker's own sandbox copies files
// one by one and cannot copy the fixture trees' dangling symlinks (sysfs `driver` links), so it
// runs in place (inPlace in stryker.config.mjs), and in place means in a copy: the working tree
// is never mutated, even when the run is interrupted. The reports come back to reports/.
import { cpSync, mkdtempSync, rmSync, symlinkSync, mkdirSync, existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repo = process.cwd();
const copy = mkdtempSync(path.join(tmpdir(), 'bp-mutate-'));
const skip = new Set(['node_modules', 'dist', '.git']);
cpSync(repo, copy, { recursive: true, verbatimSymlinks: true, filter: (src) => !skip.has(path.relative(repo, src).split(path.sep)[0]) });
symlinkSync(path.join(repo, 'node_modules'), path.join(copy, 'node_modules'));

const stryker = spawn(process.execPath, [path.join(repo, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', ...process.argv.slice(2)], { cwd: copy, stdio: 'inherit' });
// Interrupted (Ctrl-C, a time limit): Stryker stops and the copy is removed all the same.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stryker.kill(signal));
stryker.on('exit', (code, signal) => {
  mkdirSync(path.join(repo, 'reports'), { recursive: true });
  for (const f of ['reports/mutation.json', 'reports/stryker-incremental.json']) {
    if (existsSync(path.join(copy, f))) cpSync(path.join(copy, f), path.join(repo, f));
  }
  rmSync(copy, { recursive: true, force: true });
  process.exitCode = code ?? (signal ? 1 : 0);
});
