// The golden-image baseline through the built agent (issue 23): `baseline capture` on a tree,
// then `run --baseline` on the same tree (READY) and on one with another driver (NOT READY, the old
// and the new version named); bad baseline files are one line and exit 2, quoting nothing of them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { BaselineSchema } from '../../src/baseline/schema';
import { runCli } from '../helpers/cli';
import { FIXTURES, tempTree } from '../helpers/host';

const NODE = path.join(FIXTURES, 'hosts/baseline-gpu-node');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-baseline-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

function capture(root: string): string {
  const r = runCli(['baseline', 'capture', '--root', root]);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout;
}

const drift = (stdout: string) => (JSON.parse(stdout).checks as { id: string; status: string; message: string; skipKind?: string }[]).find((c) => c.id === 'baseline.drift')!;

describe('batch-preflight baseline', () => {
  it('capture prints a JSON document of its schema, the same facts each time in the same order', () => {
    const first = capture(NODE);
    const doc = JSON.parse(first);
    expect(Value.Check(BaselineSchema, doc)).toBe(true);
    expect(doc).toMatchObject({ schemaVersion: 1, tool: { name: 'batch-preflight' }, host: { root: NODE, mode: 'offline', live: false } });
    expect(doc.facts['nvidia.driver']).toEqual({ state: 'known', value: '550.54.15', source: 'nvidia-driver-550 in /var/lib/dpkg/status' });
    const again = JSON.parse(capture(NODE));
    expect(JSON.stringify(again.facts)).toBe(JSON.stringify(doc.facts));
  });

  it('run --baseline on the tree it was captured from passes (READY, exit 0)', () => {
    const golden = file('golden.json', capture(NODE));
    const r = runCli(['--root', NODE, '--baseline', golden, '--only', 'baseline.drift', '--format', 'json']);
    expect(r.status, r.stderr).toBe(0);
    expect(drift(r.stdout).status).toBe('pass');
  });

  it('run --baseline on a tree with another driver fails (exit 1), naming the fact, the old and the new version', () => {
    const golden = file('golden-driver.json', capture(NODE));
    const status = readFileSync(path.join(NODE, 'var/lib/dpkg/status'), 'utf8').replace('550.54.15-0ubuntu0.22.04.2', '550.127.05-0ubuntu0.22.04.1');
    const other = tempTree({ 'var/lib/dpkg/status': status }, 'hosts/baseline-gpu-node');
    const r = runCli(['--root', other, '--baseline', golden, '--only', 'baseline.drift', '--format', 'json']);
    expect(r.status, r.stderr).toBe(1);
    expect(drift(r.stdout)).toMatchObject({ status: 'fail', message: 'nvidia.driver: 550.54.15 in the baseline, 550.127.05 now' });
  });

  it('skips baseline.drift without --baseline (skipKind no-baseline)', () => {
    const r = runCli(['--root', NODE, '--only', 'baseline.drift,os.distro', '--format', 'json']);
    expect(drift(r.stdout)).toMatchObject({ status: 'skip', skipKind: 'no-baseline' });
  });

  const SECRET = 'hunter2-secret-value';
  const good = () => JSON.parse(capture(NODE));
  it.each([
    ['does not exist', () => path.join(dir, 'nope.json'), /--baseline \S+nope\.json: does not exist$/],
    ['is a directory', () => dir, /: is a directory, not a file$/],
    ['is not valid JSON', () => file('bad.json', `{"secret": "${SECRET}"`), /: not valid JSON; not a baseline \(batch-preflight baseline capture\)$/],
    ['is a JSON array', () => file('array.json', `["${SECRET}"]`), /: not a JSON object; not a baseline/],
    ['has another schemaVersion', () => file('v9.json', JSON.stringify({ ...good(), schemaVersion: 9 })), /: schemaVersion 9, this version of batch-preflight reads 1; capture it again$/],
    ['has a fact of an invalid state', () => file('state.json', JSON.stringify({ ...good(), facts: { kernel: { state: SECRET } } })), /: \/facts\/kernel: /],
    ['has an invalid severity', () => file('sev.json', JSON.stringify({ ...good(), severity: { kernel: SECRET } })), /: \/severity\/kernel: /],
    ['has a severity for a fact it does not have', () => file('stray.json', JSON.stringify({ ...good(), severity: { 'nvidia-driver': 'warn' } })), /: \/severity\/nvidia-driver: not a fact of this baseline \(see its "facts"\)$/],
    ['has a key that is not a fact id', () => file('key.json', JSON.stringify({ ...good(), facts: { [`${SECRET} x`]: { state: 'absent', source: 'x' } } })), /: \/facts\/\?: /],
    ['is a FIFO', () => {
      const p = path.join(dir, 'fifo');
      execFileSync('mkfifo', [p]);
      return p;
    }, /: is not a regular file \(a FIFO\)$/],
  ])('refuses a baseline that %s: exit 2, one line, nothing of its content', (_what, make, message) => {
    const r = runCli(['--root', NODE, '--baseline', make(), '--only', 'baseline.drift'], { timeoutMs: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(/^batch-preflight: --baseline /);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr).not.toContain(SECRET);
  });

  it('refuses `baseline` without a subcommand and `capture --root` of a missing directory: exit 2', () => {
    expect(runCli(['baseline']).status).toBe(2);
    const r = runCli(['baseline', 'capture', '--root', path.join(dir, 'no-such-root')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^batch-preflight: --root \S+no-such-root: does not exist\n$/);
  });
});
