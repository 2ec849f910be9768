// `npm run mutate`: Stryker over a copy of the working tree. Stryker's own sandbox copies files
// one by one and cannot copy the fixture trees' dangling symlinks (sysfs `driver` links), so it
// runs in place (inPlace in stryker.config.mjs), and in place means in a copy: the working tree
// is never mutated, even when the run is interrupted. The reports come back to reports/.
import { cpSync, mkdtempSync, rmSync, symlinkSync, mkdirSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repo = process.cwd();
const copy = mkdtempSync(path.join(tmpdir(), 'bp-mutate-'));
const skip = new Set(['node_modules', 'dist', '.stryker-tmp', '.git']);
try {
  cpSync(repo, copy, { recursive: true, verbatimSymlinks: true, filter: (src) => !skip.has(path.relative(repo, src).split(path.sep)[0]) });
  symlinkSync(path.join(repo, 'node_modules'), path.join(copy, 'node_modules'));
  const stryker = path.join(repo, 'node_modules/@stryker-mutator/core/bin/stryker.js');
  const r = spawnSync(process.execPath, [stryker, 'run', ...process.argv.slice(2)], { cwd: copy, stdio: 'inherit' });
  mkdirSync(path.join(repo, 'reports'), { recursive: true });
  for (const f of ['reports/mutation.json', 'reports/stryker-incremental.json']) {
    if (existsSync(path.join(copy, f))) cpSync(path.join(copy, f), path.join(repo, f));
  }
  process.exitCode = r.status ?? 1;
} finally {
  rmSync(copy, { recursive: true, force: true });
}
