import { describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO, runCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/host';

// A copy in a private directory: the trust rule judges every directory above a checks file, and a
// checkout may lie under directories that another user owns.
const SITE = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-site-')), 'site-checks.yaml');
copyFileSync(path.join(FIXTURES, 'custom/site-checks.yaml'), SITE);
const READY = path.join(FIXTURES, 'hosts/ubuntu2204-ready');

function safePlugin(mode = 0o644): string {
  const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-plugin-e2e-')), 'site.cjs');
  copyFileSync(path.join(FIXTURES, 'custom/plugin-site.cjs'), f);
  chmodSync(f, mode);
  return f;
}

function root(): string {
  const r = mkdtempSync(path.join(os.tmpdir(), 'bp-custom-root-'));
  writeFileSync(path.join(r, 'placeholder'), '');
  return r;
}

const byId = (stdout: string) => Object.fromEntries((JSON.parse(stdout).checks as { id: string; status: string }[]).map((c) => [c.id, c.status]));

describe.each([
  ['bundle', false],
  ['single executable', true],
])('custom checks from the %s', (_name, sea) => {
  it('runs a declarative checks file and a JS plugin in the same report', () => {
    const r = runCli(['--root', READY, '--format', 'json', '--checks-file', SITE, '--plugin', safePlugin(), '--only', 'site.license,site.motd,sshd'], { sea });
    expect(r.stderr).toBe('');
    expect(byId(r.stdout)).toMatchObject({ 'site.license': 'fail', 'site.motd': 'fail', sshd: 'pass', 'site.metrics-port': 'skip' });
    expect(r.status).toBe(1);
  });

  it('refuses a group-writable plugin with exit 2 and one line', () => {
    const r = runCli(['--root', root(), '--plugin', safePlugin(0o664)], { sea });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^batch-preflight: --plugin .*: refused: writable by group \(mode 664\); chmod go-w it\n$/);
    expect(r.stdout).toBe('');
  });
});

describe('custom checks keep what they declare', () => {
  it('a plugin check declaring category node, readiness and modes [start-task] is reported so, and skipped in image mode', () => {
    const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-plugin-declared-')), 'declared.cjs');
    writeFileSync(
      f,
      "module.exports = [{ id: 'site.node-only', category: 'node', readiness: true, modes: ['start-task'], run() { return { findings: [{ status: 'fail', message: 'down' }] }; } }," +
        " { id: 'site.node-health', category: 'node', readiness: true, run() { return { findings: [{ status: 'fail', message: 'sick' }] }; } }];",
    );
    chmodSync(f, 0o644);
    const r = runCli(['--mode', 'image', '--format', 'json', '--plugin', f, '--only', 'site.node-only,site.node-health']);
    const checks = Object.fromEntries((JSON.parse(r.stdout).checks as { id: string }[]).map((c) => [c.id, c]));
    expect(checks['site.node-only']).toMatchObject({ status: 'skip', skipKind: 'mode' });
    expect(checks['site.node-health']).toMatchObject({ status: 'fail', category: 'node', retryable: true });
    expect(r.status).toBe(1);
  });
});

describe('custom checks, invocation errors and docs', () => {
  it('a bad checks file is exit 2 naming the file and line', () => {
    const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-bad-cf-')), 'bad.yaml');
    writeFileSync(f, 'checks:\n  - id: site.ok\n    port: 22\n  - id: site.bad\n    port: "ssh"\n');
    const r = runCli(['--checks-file', f]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`batch-preflight: ${f}:5: checks.1.port: expected a TCP port number (1-65535) or { tcp: N }\n`);
  });

  it('list and explain include the custom checks', () => {
    const list = JSON.parse(runCli(['list', '--format', 'json', '--checks-file', SITE]).stdout) as { id: string }[];
    expect(list.map((c) => c.id)).toContain('site.license');
    expect(runCli(['explain', 'site.motd', '--plugin', safePlugin()]).stdout).toMatch(/^site.motd: Message of the day names the pool/);
  });

  it('docs/checks.md is what `list --format markdown` prints (regenerate it when this fails)', () => {
    const generated = runCli(['list', '--format', 'markdown']).stdout;
    expect(readFileSync(path.join(REPO, 'docs/checks.md'), 'utf8')).toBe(generated);
  });
});
