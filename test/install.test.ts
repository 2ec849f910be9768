// The README's install lines (download, verify, run), run with bash in an empty directory against a
// release served on loopback: the GitHub URL points at it, and the final run asks only --version
// (a full check of this machine is not what the test is about).
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, SEA } from './helpers/cli';
import { goodRelease, serveRelease, sha256sums, RELEASE_PATH } from './helpers/fake-release';
import { runBash } from './helpers/run-bash';

const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
const install = readme.slice(readme.indexOf('\n## Install\n'));
const block = /```sh\n([^]*?)```/.exec(install)![1]!;
const GITHUB = 'https://github.com/$REPO/releases/download/v$VERSION';
const RUN = 'sudo "./batch-preflight-linux-$ARCH"';

function script(base: string): string {
  expect(block).toContain(GITHUB);
  expect(block).toContain(RUN);
  return block.replace(GITHUB, base.replace(RELEASE_PATH, '/$REPO/releases/download/v$VERSION')).replace(RUN, `${RUN.replace('sudo ', '')} --version`);
}

describe('README: install', () => {
  it('downloads, verifies and runs the release binary', async () => {
    const rel = await goodRelease();
    try {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-install-'));
      const r = await runBash(['-eo', 'pipefail'], script(rel.base), { PATH: process.env.PATH }, dir);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('batch-preflight-linux-x64: OK\n0.1.0\n');
      expect(rel.requests).toEqual([`${RELEASE_PATH}/batch-preflight-linux-x64`, `${RELEASE_PATH}/SHA256SUMS`]);
      expect(readdirSync(dir).sort()).toEqual(['SHA256SUMS', 'batch-preflight-linux-x64']);
    } finally {
      await rel.close();
    }
  });

  it('stops before running a binary that does not match SHA256SUMS', async () => {
    const rel = await serveRelease({ 'batch-preflight-linux-x64': { path: SEA }, SHA256SUMS: { text: sha256sums('a'.repeat(64)) } });
    try {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-install-'));
      const r = await runBash(['-eo', 'pipefail'], script(rel.base), { PATH: process.env.PATH }, dir);
      expect(r.status).not.toBe(0);
      expect(r.stdout).toBe('batch-preflight-linux-x64: FAILED\n');
    } finally {
      await rel.close();
    }
  });
});
