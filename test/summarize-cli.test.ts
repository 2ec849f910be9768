// `batch-preflight summarize` through the built bundle, over a fleet of a few hundred generated
// reports laid out as gathered from each node's shared directory, with broken ones among them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE, runCli } from './helpers/cli';
import { fakeReport, type FakeCheck, type FakeNode } from './helpers/reports';

const NODES = 300;

/** Node i's report: statuses follow simple rules of i, so the expected counts are known. */
function node(i: number): FakeNode {
  const checks: FakeCheck[] = [
    { id: 'docker.socket', status: i % 7 === 0 ? 'fail' : 'pass', message: i % 7 === 0 ? 'Docker socket /var/run/docker.sock does not exist' : undefined },
    { id: 'docker.version', status: i % 7 === 0 ? 'skip' : 'pass' },
    { id: 'sshd', status: i % 11 === 0 ? 'error' : 'pass', message: i % 11 === 0 ? 'sshd -T timed out after 10 s' : undefined },
    { id: 'selinux.mode', status: i % 5 === 0 ? 'warn' : 'pass' },
    { id: 'gpu.driver', status: i % 13 === 0 ? 'fail' : 'skip', message: i % 13 === 0 ? (i % 2 ? 'nvidia module not loaded' : 'nvidia-smi not found') : undefined },
  ];
  // Every 10th node ran outside a start task (host name only); every 50th from 25 has neither name.
  const named: Pick<FakeNode, 'nodeId' | 'hostname'> = i % 50 === 25 ? { hostname: '' } : i % 10 === 0 ? { hostname: `imgvm-${i}` } : { nodeId: `tvm-${i}`, hostname: `h${i}` };
  // Node 1 ran with --strict: its warning failed the run without any fail.
  return { ...named, checks: i === 1 ? checks.map((c) => ({ ...c, status: c.id === 'selinux.mode' ? 'warn' : c.status })) : checks, ok: i === 1 ? false : undefined };
}

const name = (i: number, file: string) => {
  const n = node(i);
  return n.nodeId ?? (n.hostname || file);
};
const range = (pred: (i: number) => boolean) => Array.from({ length: NODES }, (_, i) => i).filter(pred);
const failing = (i: number) => i % 7 === 0 || i % 11 === 0 || i % 13 === 0 || i === 1;

let fleet: string;
const files: string[] = [];
beforeAll(() => {
  expect(existsSync(BUNDLE), 'run `npm run build` first').toBe(true);
  fleet = mkdtempSync(path.join(os.tmpdir(), 'bp-fleet-'));
  for (let i = 0; i < NODES; i++) {
    const file = path.join(fleet, 'nodes', `node-${i}`, 'batch-preflight', 'report.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(fakeReport(node(i)), null, 2) + '\n');
    writeFileSync(path.join(path.dirname(file), '..', 'stdout.txt'), 'start task output, not a report\n');
    files.push(file);
  }
  const broken = path.join(fleet, 'broken');
  mkdirSync(broken);
  const whole = JSON.stringify(fakeReport(node(3)), null, 2);
  for (let k = 0; k < 4; k++) writeFileSync(path.join(broken, `truncated-${k}.json`), whole.slice(0, 200 + k * 300));
  writeFileSync(path.join(broken, 'empty.json'), '');
  writeFileSync(path.join(broken, 'garbage.json'), '\x00\x01binary');
  writeFileSync(path.join(broken, 'no-checks.json'), JSON.stringify({ ...fakeReport({ nodeId: 'tvm-nochecks', hostname: 'x', checks: [] }), checks: undefined }));
  const noStatus = fakeReport({ nodeId: 'tvm-nostatus', hostname: 'x', checks: [{ id: 'sshd', status: 'pass' }, { id: 'docker.socket', status: 'fail', message: 'Docker socket /var/run/docker.sock does not exist' }] });
  delete (noStatus.checks as Record<string, unknown>[])[0]!.status;
  delete noStatus.summary;
  writeFileSync(path.join(broken, 'no-status.json'), JSON.stringify(noStatus));
});

function summarize(args: string[]) {
  const r = runCli(['summarize', ...args, '--format', 'json']);
  return { ...r, json: r.stdout ? JSON.parse(r.stdout) : undefined };
}

afterAll(() => rmSync(fleet, { recursive: true, force: true }));

describe('summarize over a generated fleet', () => {
  it('counts every check across all nodes exactly and lists the failing nodes', () => {
    const r = summarize([path.join(fleet, 'nodes')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const s = r.json;
    expect(s.reports).toBe(NODES);
    const byId = Object.fromEntries(s.checks.map((c: { id: string }) => [c.id, c]));
    // Literal numbers first (multiples below 300), then the node lists from the same rules.
    expect(byId['docker.socket'].counts).toEqual({ pass: 300 - 43, warn: 0, fail: 43, error: 0, skip: 0 });
    expect(byId['sshd'].counts).toEqual({ pass: 300 - 28, warn: 0, fail: 0, error: 28, skip: 0 });
    expect(byId['selinux.mode'].counts).toEqual({ pass: 300 - 61, warn: 61, fail: 0, error: 0, skip: 0 });
    expect(byId['gpu.driver'].counts).toEqual({ pass: 0, warn: 0, fail: 24, error: 0, skip: 276 });
    expect(byId['docker.version'].counts).toEqual({ pass: 257, warn: 0, fail: 0, error: 0, skip: 43 });

    const sorted = (xs: string[]) => [...xs].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const fileOf = (i: number) => files[i]!;
    expect(byId['docker.socket'].failed).toEqual(sorted(range((i) => i % 7 === 0).map((i) => name(i, fileOf(i)))));
    expect(byId['sshd'].errored).toEqual(sorted(range((i) => i % 11 === 0).map((i) => name(i, fileOf(i)))));
    const failedNodes = range(failing).map((i) => name(i, fileOf(i)));
    expect(s.failedNodes).toEqual(sorted(failedNodes));
    expect(s.failedNodes).toContain('tvm-1'); // summary.ok false, no fail
    expect(s.failedNodes).toContain('imgvm-70'); // named by host name
    expect(s.failedNodes).toContain(files[175]); // 175 = 7·25, neither name: its file
    expect(s.readyNodes).toBe(NODES - failedNodes.length);
    expect(s.failureMessages).toEqual([
      { check: 'docker.socket', status: 'fail', message: 'Docker socket /var/run/docker.sock does not exist', count: 43 },
      { check: 'sshd', status: 'error', message: 'sshd -T timed out after 10 s', count: 28 },
      { check: 'gpu.driver', status: 'fail', message: 'nvidia module not loaded', count: 12 },
      { check: 'gpu.driver', status: 'fail', message: 'nvidia-smi not found', count: 12 },
    ]);
    expect(s.problems).toEqual([]);
    expect(s.ok).toBe(false);
  });

  it('lists unreadable and incomplete reports with the reason, and still counts what they hold', () => {
    const r = summarize([path.join(fleet, 'nodes'), path.join(fleet, 'broken'), path.join(fleet, 'node-that-never-reported.json')]);
    expect(r.status).toBe(1);
    const s = r.json;
    expect(s.reports).toBe(NODES + 9);
    const reasons = Object.fromEntries(s.problems.map((p: { source: string; reason: string }) => [path.relative(fleet, p.source), p.reason]));
    expect(Object.keys(reasons).sort()).toEqual([
      'broken/empty.json',
      'broken/garbage.json',
      'broken/no-checks.json',
      'broken/no-status.json',
      'broken/truncated-0.json',
      'broken/truncated-1.json',
      'broken/truncated-2.json',
      'broken/truncated-3.json',
      'node-that-never-reported.json',
    ]);
    expect(reasons['broken/empty.json']).toBe('empty file');
    expect(reasons['broken/garbage.json']).toMatch(/^not valid JSON/);
    expect(reasons['broken/truncated-2.json']).toMatch(/^not valid JSON/);
    expect(reasons['broken/no-checks.json']).toBe('checks is missing or not a list');
    expect(reasons['node-that-never-reported.json']).toBe('does not exist');
    expect(s.problems.filter((p: { source: string }) => p.source.endsWith('no-status.json')).map((p: { node: string; reason: string }) => [p.node, p.reason])).toEqual([
      ['tvm-nostatus', '1 check entry has no id or no valid status'],
      ['tvm-nostatus', 'summary.ok is missing'],
    ]);
    // The incomplete report's usable fail is counted and names its node.
    const docker = s.checks.find((c: { id: string }) => c.id === 'docker.socket');
    expect(docker.counts.fail).toBe(44);
    expect(docker.failed).toContain('tvm-nostatus');
  });

  it('exits 0 when every node passed, 1 when any failed or could not be read', () => {
    const good = range((i) => !failing(i)).slice(0, 20).map((i) => files[i]!);
    const r = summarize(good);
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ reports: 20, readyNodes: 20, failedNodes: [], problems: [], ok: true });
    expect(summarize([files[1]!]).status).toBe(1); // summary.ok false only
    expect(summarize([...good, path.join(fleet, 'broken', 'empty.json')]).status).toBe(1);
  });

  it('prints the human and markdown summaries', () => {
    const h = runCli(['summarize', path.join(fleet, 'nodes')]);
    expect(h.status).toBe(1);
    expect(h.stdout).toMatch(/^docker\.socket\s+257\s+0\s+43\s+0\s+0$/m);
    expect(h.stdout).toContain('43 × docker.socket fail: Docker socket /var/run/docker.sock does not exist');
    expect(h.stdout.trimEnd().split('\n').at(-1)).toBe(`NOT READY: ${range(failing).length} of 300 nodes failed`);
    const m = runCli(['summarize', path.join(fleet, 'nodes'), '--format', 'markdown']);
    expect(m.status).toBe(1);
    expect(m.stdout).toMatch(/^\| `docker\.socket` \| 257 \| 0 \| 43 \| 0 \| 0 \| /m);
  });

  it('exits 2 with one line for bad usage', () => {
    const cases: [string[], RegExp][] = [
      [['summarize', '/no/such/dir'], /\/no\/such\/dir does not exist/],
      [['summarize', '/no/a', '/no/b'], /none of the 2 paths exist/],
      [['summarize', path.join(fleet, 'nodes'), '--format', 'xml'], /Invalid values/],
      [['summarize', path.join(fleet, 'empty-dir')], /no \*\.json reports found/],
    ];
    mkdirSync(path.join(fleet, 'empty-dir', 'sub'), { recursive: true });
    for (const [args, msg] of cases) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
  });
});
