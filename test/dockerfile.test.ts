// The Dockerfile of the container image. `docker build` cannot run on the development and CI
// machines (no daemon, no registry), so this parses the file and runs the stage's RUN script with sh
// against a release-shaped folder; .github/workflows/release.yml builds and runs the real image.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, SEA } from './helpers/cli';
import { sha256sums } from './helpers/fake-release';

/** Instructions as [keyword, arguments], with continuation lines joined and comments dropped. */
const instructions = readFileSync(path.join(REPO, 'Dockerfile'), 'utf8')
  .replace(/\\\n/g, ' ')
  .split('\n')
  .filter((l) => l.trim() && !l.startsWith('#'))
  .map((l) => {
    const m = /^(\w+)\s+(.*)$/.exec(l)!;
    return [m[1]!, m[2]!] as const;
  });

/** Runs the pick stage's RUN in a copy of its /release folder, for one target architecture. */
function pick(targetArch: string, sums: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-docker-'));
  const release = path.join(dir, 'release');
  spawnSync('mkdir', [release]);
  symlinkSync(SEA, path.join(release, 'batch-preflight-linux-x64'));
  writeFileSync(path.join(release, 'batch-preflight-linux-arm64'), 'not this one');
  writeFileSync(path.join(release, 'SHA256SUMS'), sums);
  const run = instructions.find(([k]) => k === 'RUN')![1].replace('cd /release', `cd ${release}`).replace(/ \/batch-preflight$/, ` ${dir}/batch-preflight`);
  const r = spawnSync('sh', ['-c', run], { env: { PATH: process.env.PATH, TARGETARCH: targetArch }, encoding: 'utf8' });
  return { ...r, installed: path.join(dir, 'batch-preflight') };
}

describe('Dockerfile', () => {
  it('picks the binary in a build stage and ships it alone as the entry point', () => {
    expect(instructions.map(([k]) => k)).toEqual(['FROM', 'ARG', 'COPY', 'RUN', 'FROM', 'COPY', 'ENTRYPOINT']);
    expect(instructions[0]![1]).toBe('--platform=$BUILDPLATFORM debian:12-slim AS pick');
    expect(instructions[2]![1]).toBe('SHA256SUMS batch-preflight-linux-x64 batch-preflight-linux-arm64 /release/');
    expect(instructions[5]![1]).toBe('--from=pick /batch-preflight /usr/local/bin/batch-preflight');
    expect(JSON.parse(instructions[6]![1])).toEqual(['/usr/local/bin/batch-preflight']);
  });

  it('installs the verified binary of the target architecture', () => {
    const r = pick('amd64', sha256sums());
    expect(r.status, r.stderr).toBe(0);
    expect(spawnSync(r.installed, ['--version'], { encoding: 'utf8' }).stdout).toBe('0.1.0\n');
  });

  it('stops on a checksum mismatch, and on an architecture it has no binary for', () => {
    const bad = pick('amd64', sha256sums('c'.repeat(64)));
    expect(bad.status).not.toBe(0);
    expect(existsSync(bad.installed)).toBe(false);
    const other = pick('ppc64le', sha256sums());
    expect(other.status).toBe(1);
    expect(other.stderr).toBe('no batch-preflight binary for ppc64le\n');
  });
});
