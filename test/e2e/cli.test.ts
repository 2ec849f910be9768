import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { BUNDLE, runCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/host';

const FIRST = 'selinux.mode,waagent.resource-disk,sshd';
const READY = path.join(FIXTURES, 'hosts/ubuntu2204-ready');

let validate: ReturnType<Ajv2020['compile']>;
beforeAll(() => {
  expect(existsSync(BUNDLE)).toBe(true);
  const schema = JSON.parse(runCli(['schema']).stdout);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  validate = ajv.compile(schema);
});

describe('the bundle, run as a user would', () => {
  it('prints a JSON report alone on stdout that the printed schema validates', () => {
    const r = runCli(['--format', 'json', '--only', FIRST, '--log-level', 'info']);
    const report = JSON.parse(r.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(FIRST.split(',')));
    expect(r.stderr).toMatch(/"msg":"run finished"/);
    expect([0, 1]).toContain(r.status);
    expect(r.status).toBe(report.summary.ok ? 0 : 1);
  });

  it('inspects an offline root: static checks answer, live ones skip with the reason', () => {
    const r = runCli(['--root', READY, '--format', 'json']);
    const report = JSON.parse(r.stdout);
    expect(validate(report)).toBe(true);
    expect(report.host).toMatchObject({ mode: 'offline', root: READY, os: { id: 'ubuntu', versionId: '22.04' } });
    const byId = Object.fromEntries(report.checks.map((c: { id: string }) => [c.id, c]));
    expect(byId['waagent.resource-disk'].status).toBe('pass');
    expect(byId['sshd'].status).toBe('pass');
    expect(byId['sshd'].message).toMatch(/not a live host/);
    for (const c of report.checks.filter((c: { status: string }) => c.status === 'skip')) expect(c.skipReason).toBeTruthy();
  });

  it('exits 2 with one clear line for bad invocations', () => {
    const cases: [string[], RegExp][] = [
      [['--only', 'no.such.check'], /unknown check id: no.such.check/],
      [['--skip', 'sshd,nope'], /unknown check id: nope/],
      [['--format', 'xml'], /^batch-preflight: Invalid values: Argument: format, Given: "xml", Choices: "human", "json", /],
      [['--root', '/does/not/exist'], /--root \/does\/not\/exist: does not exist/],
      [['--report', '/does/not/exist/r.json'], /--report \/does\/not\/exist\/r\.json: directory \/does does not exist/],
      [['--timeout', '0'], /--timeout must be a number of seconds above 0 up to 86400/],
      // Beyond Node's timer range a timeout fired at once: every check "timed out" in 13 ms.
      [['--timeout', '3000000'], /--timeout must be a number of seconds above 0 up to 86400 \(a day\), got 3000000/],
      [['--timeout', '1e20'], /--timeout must be a number of seconds/],
      [['--deadline', 'NaN'], /--deadline must be a number of seconds/],
      [['--wait', '-1'], /--wait must be a number of seconds from 0/],
      [['--concurrency', '1.5'], /--concurrency must be a whole number/],
      [['--concurrency', '1000'], /--concurrency must be a whole number from 1 to 64/],
      // A flag that takes a value is an error without one, never its default.
      [['--timeout'], /^batch-preflight: --timeout needs a value\n$/],
      [['--report'], /^batch-preflight: --report needs a value\n$/],
      [['--only', 'sshdd'], /unknown check id: sshdd \(did you mean sshd\?\)/],
      [['explain', 'dockr.socket'], /unknown check id: dockr.socket \(did you mean docker.socket\?\)/],
      [['--tiemout', '3'], /^batch-preflight: unknown argument: tiemout \(did you mean --timeout\?\)\n$/],
      [['summarise', 'x'], /unknown arguments: summarise \(did you mean summarize\?\), x\n$/],
      [['--require', 'quantum'], /unknown feature "quantum"/],
      [['explain', 'nope'], /unknown check id: nope/],
      [['--bogus'], /^batch-preflight: unknown argument: bogus\n$/],
    ];
    for (const [args, msg] of cases) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/at .*\.cjs|Error:/);
      expect(r.stdout).toBe('');
    }
  });

  it('explain and summarize without what they act on show their usage, then one line, exit 2; -h is --help', () => {
    for (const cmd of ['explain', 'summarize']) {
      const r = runCli([cmd]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^batch-preflight ${cmd} <`));
      expect(r.stderr).toMatch(/\nbatch-preflight: a required argument is missing \(its usage is above\)\n$/);
    }
    const h = runCli(['-h']);
    expect(h.status).toBe(0);
    expect(h.stdout).toBe(runCli(['--help']).stdout);
    expect(h.stdout).toMatch(/--timeout/);
  });

  it('writes --report atomically and --output in the chosen format', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-e2e-'));
    const reportFile = path.join(dir, 'report.json');
    writeFileSync(reportFile, '{"previous": true}');
    const r = runCli(['--root', READY, '--report', reportFile, '--format', 'junit', '--output', path.join(dir, 'out.xml')]);
    expect(r.stdout).toBe('');
    expect(validate(JSON.parse(readFileSync(reportFile, 'utf8')))).toBe(true);
    expect(readFileSync(path.join(dir, 'out.xml'), 'utf8')).toMatch(/^<\?xml/);
    expect(readdirSync(dir).sort()).toEqual(['out.xml', 'report.json']);
  });

  it('lists and explains every check', () => {
    const list = JSON.parse(runCli(['list', '--format', 'json']).stdout) as { id: string }[];
    expect(list.map((c) => c.id)).toEqual(expect.arrayContaining(FIRST.split(',')));
    for (const { id } of list) {
      const r = runCli(['explain', id]);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^${id.replace('.', '\\.')}: `));
      expect(r.stdout).toMatch(/How to fix(, --target \S+ \([^)]*\))?:\n {2}\S/);
    }
    // One bundle start per check (~0.5 s each on a busy 2-core machine).
  }, 120_000);

  it('honours --strict: a warning fails the run', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'bp-strict-'));
    writeFileSync(path.join(root, 'placeholder'), '');
    // No waagent.conf: waagent.resource-disk warns.
    const lax = runCli(['--root', root, '--only', 'waagent.resource-disk']);
    const strict = runCli(['--root', root, '--only', 'waagent.resource-disk', '--strict']);
    expect(lax.status).toBe(0);
    expect(strict.status).toBe(1);
    expect(lax.stdout).toMatch(/WARN +waagent.resource-disk/);
  });

  it('a run that checked nothing is NOT READY in every output and exits 1, not 0', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'bp-nothing-'));
    writeFileSync(path.join(root, 'placeholder'), '');
    const cases = [
      ['--only', 'sshd', '--skip', 'sshd'],
      // A live check in offline mode does not apply: --only of it checks nothing.
      ['--only', 'docker.socket'],
      // An unknown VM size with only the hardware checks selected.
      ['--only', 'hardware.gpus,hardware.infiniband'],
    ];
    for (const args of cases) {
      const human = runCli(['--root', root, ...args]);
      expect(human.status, args.join(' ')).toBe(1);
      expect(human.stdout).toMatch(/NOT READY: nothing was checked/);
      const junit = runCli(['--root', root, ...args, '--format', 'junit']);
      expect(junit.status).toBe(1);
      expect(junit.stdout).toContain('failures="1"');
      expect(junit.stdout).toContain('message="nothing was checked"');
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('under --strict a warning fails JUnit and TAP too, as it fails the exit code', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'bp-strict-formats-'));
    writeFileSync(path.join(root, 'placeholder'), '');
    const junit = runCli(['--root', root, '--only', 'waagent.resource-disk', '--strict', '--format', 'junit']);
    expect(junit.status).toBe(1);
    expect(junit.stdout).toMatch(/<testsuites name="batch-preflight" tests="1" failures="1" errors="0"/);
    const tap = runCli(['--root', root, '--only', 'waagent.resource-disk', '--strict', '--format', 'tap']);
    expect(tap.status).toBe(1);
    expect(tap.stdout).toMatch(/^not ok 1 waagent\.resource-disk/m);
    rmSync(root, { recursive: true, force: true });
  });
});
