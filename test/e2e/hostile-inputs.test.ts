// Input files and host text that try to hang the agent or take over the terminal, end to end
// through the built bundle: FIFOs, /dev/zero and oversized files named as inputs, a YAML alias
// bomb, a catastrophic-backtracking regex in a checks file, and escape sequences in host-controlled
// text. Each must end at once with the right exit code, and no control character may reach stdout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE } from '../helpers/bundle';
import { FIXTURES } from '../helpers/host';
import { fakeReport } from '../helpers/reports';

const READY = path.join(FIXTURES, 'hosts/ubuntu2204-ready');
/** Any C0 control but newline, DEL, or C1 control: what must never reach a terminal. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

/** The bundle, killed outright when it overruns: a hung read ignores SIGTERM. */
function runCli(args: string[], opts: { timeoutMs?: number } = {}) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BUNDLE, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' }, timeout: opts.timeoutMs ?? 20_000, killSignal: 'SIGKILL' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bp-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text, { mode: 0o644 });
  return f;
}

function fifo(name: string): string {
  const f = path.join(dir, name);
  execFileSync('mkfifo', ['-m', '0644', f]);
  return f;
}

describe('input files that never end', () => {
  const FLAGS = ['--pool', '--config', '--fs', '--batch-pool', '--checks-file'];

  it.each(FLAGS)('%s naming a FIFO is exit 2 at once', (flag) => {
    const f = fifo(`fifo${flag}`);
    const r = runCli(['--root', READY, flag, f], { timeoutMs: 10_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(`batch-preflight: ${flag} ${f}: is not a regular file (a FIFO)\n`);
    expect(r.ms).toBeLessThan(5_000);
  });

  it('summarize given a FIFO among other nodes’ reports counts it unreadable at once', () => {
    const fleet = path.join(dir, 'fleet-fifo');
    mkdirSync(fleet);
    const planted = path.join(fleet, 'planted.json');
    execFileSync('mkfifo', ['-m', '0644', planted]);
    writeFileSync(path.join(fleet, 'node.json'), JSON.stringify(fakeReport({ nodeId: 'tvm-1', hostname: 'h1', checks: [{ id: 'sshd', status: 'pass' }] })));
    const r = runCli(['summarize', fleet, planted, '--format', 'json'], { timeoutMs: 10_000 });
    expect(r.status, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).problems).toContainEqual(expect.objectContaining({ source: planted, reason: 'not a regular file' }));
    expect(r.ms).toBeLessThan(5_000);
  });

  it.each(FLAGS)('%s naming /dev/zero, or a link to it, is exit 2 at once', (flag) => {
    const r = runCli(['--root', READY, flag, '/dev/zero'], { timeoutMs: 10_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(`batch-preflight: ${flag} /dev/zero: is not a regular file (a character device)\n`);
    if (flag === '--checks-file') return; // a checks file must not be reached through a link at all (below)
    const link = path.join(dir, `zero${flag}`);
    symlinkSync('/dev/zero', link);
    const viaLink = runCli(['--root', READY, flag, link], { timeoutMs: 10_000 });
    expect(viaLink.status, viaLink.stderr).toBe(2);
    expect(viaLink.stderr).toMatch(/is not a regular file \(a character device\)\n$/);
  });

  it.each(FLAGS)('%s naming a file over 8 MiB is refused from its size, before reading', (flag) => {
    const f = file(`big${flag}.yaml`, '');
    truncateSync(f, 8 * 1024 * 1024 + 1); // sparse: reading it all would be slow, its size is not
    const r = runCli(['--root', READY, flag, f], { timeoutMs: 10_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/: larger than 8 MiB; not a /);
  });
});

describe('a YAML alias bomb', () => {
  const bomb = (top: string) => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9).fill(`*${'abcdefghi'[i - 1]}`).join(',')}]`);
    return `${levels.join('\n')}\n${top}`;
  };

  it('in a checks file is exit 2 naming the file, not an internal error', () => {
    const f = file('bomb-checks.yaml', bomb('checks: [*i]\n'));
    const r = runCli(['--root', READY, '--checks-file', f], { timeoutMs: 20_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(`batch-preflight: --checks-file ${f}: too many YAML aliases (over 100): refused as a resource exhaustion attack\n`);
  });

  it('in a pool file is exit 2 (the pool file is walked without expanding aliases)', () => {
    const f = file('bomb-pool.yaml', bomb('pool_specification: { vm_size: *i }\n'));
    const r = runCli(['--root', READY, '--pool', f], { timeoutMs: 20_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/pool_specification\.vm_size: expected a string, found a list/);
  });

  it('of merge keys in a pool file resolves each mapping once: no exponential walk, no hang', () => {
    // 30 levels, each merging the one below five times: 5^30 merges if each were walked anew.
    const levels = ['m0: &m0 { vm_size: STANDARD_HB120rs_v3 }'];
    for (let i = 1; i < 30; i++) levels.push(`m${i}: &m${i}\n  <<: [${Array(5).fill(`*m${i - 1}`).join(', ')}]`);
    const f = file('bomb-merge-pool.yaml', `${levels.join('\n')}\npool_specification:\n  <<: *m29\n`);
    const r = runCli(['--root', READY, '--pool', f, '--only', 'os.distro', '--format', 'json'], { timeoutMs: 20_000 });
    expect(r.status, r.stderr).not.toBeNull();
    const report = JSON.parse(r.stdout);
    expect(report.requirements).toContainEqual({ feature: 'infiniband', source: expect.stringMatching(/STANDARD_HB120rs_v3/) });
  });
});

describe('a catastrophic-backtracking regex in a checks file', () => {
  const redos = () => {
    const root = path.join(dir, 'regex-root');
    mkdirSync(path.join(root, 'etc'), { recursive: true });
    writeFileSync(path.join(root, 'etc/site.conf'), `${'a'.repeat(60)}b\n`);
    return { root, checks: file('regex-checks.yaml', "checks:\n  - id: site.redos\n    file: { path: /etc/site.conf, contains: '(a+)+$' }\n") };
  };
  const outcome = (stdout: string) => (JSON.parse(stdout).checks as { id: string; status: string; message: string }[]).find((x) => x.id === 'site.redos');

  it('does not outlive --deadline: the check says error naming the pattern timeout', () => {
    const { root, checks } = redos();
    const r = runCli(['--root', root, '--checks-file', checks, '--only', 'site.redos', '--format', 'json', '--deadline', '3'], { timeoutMs: 20_000 });
    expect(r.status, r.stderr).toBe(1);
    expect(r.ms).toBeLessThan(8_000);
    const c = outcome(r.stdout);
    expect(c).toMatchObject({ status: 'error' });
    expect(c!.message).toMatch(/^the pattern \/\(a\+\)\+\$\/ did not finish matching within \d+(\.\d+)? s/);
  });

  it('ends at a deadline shorter than the pattern limit', () => {
    const { root, checks } = redos();
    const r = runCli(['--root', root, '--checks-file', checks, '--only', 'site.redos', '--format', 'json', '--deadline', '1'], { timeoutMs: 20_000 });
    expect(r.status, r.stderr).toBe(1);
    expect(r.ms).toBeLessThan(6_000);
    expect(outcome(r.stdout)).toMatchObject({ status: 'error', message: "deadline exceeded: the run's 1 s deadline passed before this check finished" });
  });
});

describe('host-controlled text on a terminal', () => {
  const HOSTILE = 'Evil\x1b]0;owned\x07\x1b[2J\x9b31m\rLinux';
  // os-release(5) values are one line: a carriage return would end the value, so none here.
  const OS_NAME = 'Evil\x1b]0;owned\x07\x1b[2J\x9b31mLinux';

  it('escapes ESC, C0 and C1 controls from os-release and from a plugin message in the human report', () => {
    const root = path.join(dir, 'escape-root');
    cpSync(READY, root, { recursive: true, verbatimSymlinks: true });
    writeFileSync(path.join(root, 'etc/os-release'), `PRETTY_NAME="${OS_NAME}"\nID=ubuntu\nVERSION_ID="22.04"\n`);
    const plugin = path.join(dir, 'escape-plugin.cjs');
    writeFileSync(plugin, `module.exports = [{ id: 'site.esc', async run() { return { findings: [{ status: 'fail', message: ${JSON.stringify(HOSTILE)}, remediation: 'step one\\nstep \\u001b[1mtwo' }] }; } }];\n`);
    chmodSync(plugin, 0o644);
    const r = runCli(['--root', root, '--plugin', plugin, '--only', 'site.esc,os.distro'], { timeoutMs: 20_000 });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stdout).toContain('(Evil\\x1b]0;owned\\x07\\x1b[2J\\x9b31mLinux,');
    expect(r.stdout).toMatch(/site\.esc \[image\]: Evil\\x1b\]0;owned\\x07\\x1b\[2J\\x9b31m\\x0dLinux\n/);
    // A multi-line fix keeps its lines; only the control inside a line is escaped.
    expect(r.stdout).toContain('        fix: step one\n             step \\x1b[1mtwo\n');
  });

  it('escapes them in summarize human and markdown output from other nodes’ reports', () => {
    const fleet = path.join(dir, 'fleet');
    mkdirSync(fleet);
    const report = fakeReport({ nodeId: `tvm-\x1b[31mred`, hostname: 'h1', checks: [{ id: 'sshd', status: 'fail', message: HOSTILE }] });
    writeFileSync(path.join(fleet, 'node.json'), JSON.stringify(report));
    for (const format of ['human', 'markdown']) {
      const r = runCli(['summarize', fleet, '--format', format]);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stdout).not.toMatch(CONTROL);
      // Markdown escapes the backslash and the brackets again (src/summarize/markdown.ts); rendered, they read the same.
      const shown = (text: string) => (format === 'markdown' ? text.replace(/[\\[\]]/g, '\\$&') : text);
      expect(r.stdout).toContain(shown('Evil\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\x0dLinux'));
      expect(r.stdout).toContain(shown('tvm-\\x1b[31mred'));
    }
  });
});
