// `npm start` (and the test suite's global setup) builds the bundle first when it is missing or
// older than the sources, the package manifest or the build script.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const out = 'dist/batch-preflight.cjs';
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const stale = !existsSync(out) || Math.max(newest('src'), newest('checks'), statSync('package.json').mtimeMs, statSync('scripts/build.mjs').mtimeMs) > statSync(out).mtimeMs;
if (stale) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
