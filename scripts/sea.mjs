// One Node single executable (SEA): the bundle injected into a copy of a Node 24 binary, for the
// architecture of that binary. Used by build-sea.mjs (x64, for the tests) and release.mjs (x64 and
// arm64, for users).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, chmodSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * nodeBin: the Node binary to build on. exec: the command prefix that runs it here (e.g. qemu for
 * arm64): the blob must be written by the same Node and architecture that will run it, since its
 * V8 code cache (useCodeCache) is only valid there. strip: the strip(1) for that architecture, or
 * null to keep the symbols (Node ships unstripped: ~18 MiB of symbols and DWARF on x64).
 */
export function buildSea({ bundle, nodeBin, out, exec = [], strip = null }) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bp-sea-'));
  try {
    const entry = path.join(tmp, 'sea-entry.cjs');
    const blob = path.join(tmp, 'sea-prep.blob');
    const config = path.join(tmp, 'sea-config.json');
    // The SEA entry must not start with a shebang line.
    writeFileSync(entry, readFileSync(bundle, 'utf8').replace(/^#!.*\n/, ''));
    // execArgvExtension "none": the binary runs as root from a start task whose environment others
    // may shape, so NODE_OPTIONS (e.g. --require /tmp/evil.js) must not reach it.
    writeFileSync(config, JSON.stringify({ main: entry, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, useSnapshot: false, execArgvExtension: 'none' }));
    const [cmd, ...pre] = [...exec, nodeBin];
    execFileSync(cmd, [...pre, '--experimental-sea-config', config], { stdio: 'inherit' });
    copyFileSync(nodeBin, out);
    chmodSync(out, 0o755);
    // Stripped before injection: postject adds the blob as an ELF note that strip would not keep.
    if (strip) execFileSync(strip, ['--strip-all', out], { stdio: 'inherit' });
    // postject warns about ELF note sections it does not need: its output is shown only when it fails.
    const inject = spawnSync(process.execPath, [require.resolve('postject/dist/cli.js'), out, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', FUSE], { encoding: 'utf8' });
    if (inject.status !== 0) {
      process.stderr.write(`${inject.stdout}${inject.stderr}`);
      throw new Error(`postject failed (exit ${inject.status})`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
