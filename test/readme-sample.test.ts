// The README shows the human report of a failing image as the agent prints it: this regenerates it
// from the same fixture and compares (host name, temp path and duration aside). When it fails,
// paste the new output into the README.
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, runCli } from './helpers/cli';
import { FIXTURES } from './helpers/host';

const SHOWN_ROOT = '/tmp/el9-image';

function readmeSample(): string {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const start = readme.indexOf('```text\n', readme.indexOf('A failing image'));
  return readme.slice(start + '```text\n'.length, readme.indexOf('```\n', start + 8));
}

describe('README human report sample', () => {
  it('is what the agent prints for fixtures/hosts/storage-el9-bad with --require nfs', () => {
    const root = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-readme-')), 'el9-image');
    cpSync(path.join(FIXTURES, 'hosts/storage-el9-bad'), root, { recursive: true, verbatimSymlinks: true });
    const r = runCli(['--root', root, '--require', 'nfs'], { env: { PATH: process.env.PATH, COLUMNS: '100', LANG: 'C.UTF-8' } });
    expect(r.status).toBe(1);
    const normal = (text: string) => text.replace(/ on \S+ \(/, ' on HOST (').replace(/in \d+ ms\n$/, 'in N ms\n');
    expect(normal(readmeSample())).toBe(normal(r.stdout.replaceAll(root, SHOWN_ROOT)));
  });
});
