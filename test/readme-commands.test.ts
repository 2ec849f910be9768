// Every command the README shows an operator is run here, as the README writes it (placeholders
// mapped to fixtures): the shell blocks' batch-preflight lines, the start task's command line and
// the commands table. Each must be an invocation the agent accepts: exit 0 or 1 (a verdict), never
// 2 (a usage error) or 3. A new command with a path this test does not know fails it, so the map
// below grows with the README.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, runCli } from './helpers/cli';
import { FIXTURES } from './helpers/host';
import { fakeReport } from './helpers/reports';

const README = readFileSync(path.join(REPO, 'README.md'), 'utf8');
const work = mkdtempSync(path.join(os.tmpdir(), 'bp-readme-'));
mkdirSync(path.join(work, 'reports'));
writeFileSync(path.join(work, 'reports', 'tvm-1.json'), JSON.stringify(fakeReport({ nodeId: 'tvm-1', hostname: 'h', checks: [{ id: 'sshd', status: 'pass' }] })));

/** What the README's placeholders stand for here. */
const PLACES: Record<string, string> = {
  'pool.json': path.join(FIXTURES, 'batch/pool-rest.json'),
  '$AZ_BATCH_TASK_WORKING_DIR/pool.json': path.join(FIXTURES, 'batch/pool-rest.json'),
  '/mnt/image': path.join(FIXTURES, 'hosts/docker-ok'),
  'reports/': path.join(work, 'reports'),
  '<id>': 'sshd',
  '<files, dirs or container URLs>': path.join(work, 'reports'),
  'golden.json': path.join(work, 'golden.json'),
};

/** A command line's words, `sudo` dropped, placeholders mapped; the program name left out. */
function words(line: string): string[] {
  const mapped = line.replace(/<[^>]+>/g, (p) => PLACES[p] ?? p);
  expect(mapped, 'a placeholder this test does not know').not.toMatch(/<[^>]+>/);
  const w = mapped.trim().replace(/^sudo /, '').split(/\s+/);
  expect(w[0]).toMatch(/batch-preflight$/);
  return w.slice(1).map((x) => PLACES[x] ?? x);
}

const shellLines = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n')).filter((l) => /^(sudo )?batch-preflight /.test(l));
const startTask = /"commandLine": "\/bin\/sh -c '([^']*)'"/.exec(README)?.[1];
const tableCommands = [...README.matchAll(/^\| `(batch-preflight [^`]*)` \|/gm)].map((m) => m[1]!.replace(/ \[[^\]]*\]/g, '').replace('\\|', '|'));

describe('the README runs as written', () => {
  it('has the commands this test runs', () => {
    expect(shellLines.length).toBeGreaterThanOrEqual(4);
    expect(startTask).toBeDefined();
    expect(tableCommands.length).toBeGreaterThanOrEqual(5);
  });

  // In file order: `baseline capture > golden.json` writes the file a later line reads.
  it.each(shellLines)('%s', { timeout: 60_000 }, (line) => {
    const redirect = / > (\S+)$/.exec(line);
    const r = runCli(words(redirect ? line.slice(0, redirect.index) : line));
    if (redirect) writeFileSync(PLACES[redirect[1]!]!, r.stdout);
    expect(r.stderr).not.toMatch(/^batch-preflight: (?!NOT READY|READY)/m);
    expect([0, 1]).toContain(r.status);
  });

  it("the start task's command line, in a start task's environment", () => {
    const shared = mkdtempSync(path.join(os.tmpdir(), 'bp-readme-shared-'));
    const line = startTask!.replace('/usr/local/bin/batch-preflight', 'batch-preflight');
    const env = { ...process.env, NO_COLOR: '1', AZ_BATCH_NODE_ID: 'tvm-1', AZ_BATCH_POOL_ID: 'p', AZ_BATCH_TASK_WORKING_DIR: work, AZ_BATCH_NODE_SHARED_DIR: shared, BATCH_PREFLIGHT_IMDS_URL: 'http://127.0.0.1:9/' };
    const r = runCli(words(line), { env });
    expect([0, 1]).toContain(r.status);
    expect(r.stderr.split('\n')[0]).toMatch(/^batch-preflight: (NOT )?READY/);
  }, 60_000);

  it.each(tableCommands)('%s', { timeout: 60_000 }, (command) => {
    const r = runCli(words(command));
    expect([0, 1]).toContain(r.status);
  });
});
