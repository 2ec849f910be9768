// A Docker daemon that misbehaves, end to end: the built bundle against a stand-in Engine API on a
// unix socket (served by this test process, so the agent runs as an async child). Each run must end
// within its timeouts with a valid report, the Docker checks saying what the daemon did, and a
// check that does not talk to Docker unaffected.
import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE, REPO, runBundleAsync } from '../helpers/bundle';
import { startFakeDocker, type FakeDocker, type FakeDockerMode } from '../helpers/fake-docker';
import { schemaErrors } from '../helpers/schema';

interface Outcome {
  id: string;
  status: string;
  message: string;
  evidence?: Record<string, unknown>;
}

const ARGS = ['--mode', 'image', '--format', 'json', '--only', 'docker.socket,docker.version,docker.boot,selinux.mode', '--timeout', '2'];

let dir = '';
let daemon: FakeDocker | undefined;

afterEach(async () => {
  await daemon?.close();
  daemon = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function runAgainst(mode: FakeDockerMode) {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bp-docker-'));
  daemon = await startFakeDocker(path.join(dir, 'docker.sock'), { mode });
  const t0 = Date.now();
  const r = await runBundleAsync(ARGS, { DOCKER_HOST: `unix://${daemon.socketPath}` }, 15_000);
  const elapsed = Date.now() - t0;
  const report = JSON.parse(r.stdout);
  expect(schemaErrors(report)).toBe('');
  expect(report.deadlineExceeded).toBe(false);
  const byId: Record<string, Outcome> = Object.fromEntries(report.checks.map((c: Outcome) => [c.id, c]));
  // The check that does not touch Docker answers as it does without any daemon.
  expect(byId['selinux.mode']!.status).toBe('pass');
  // The daemon was really asked, and docker.version never took a version from a broken answer.
  expect(daemon.requests).toEqual(expect.arrayContaining(['/_ping', '/version', '/info']));
  expect(JSON.stringify(byId['docker.version']!.evidence ?? {})).not.toMatch(/the running daemon/);
  return { ...r, elapsed, byId, socket: daemon.socketPath };
}

describe('the bundle against a misbehaving Docker daemon', () => {
  it('accepts and never answers: errors "did not answer" after the command timeout, within the run timeout', async () => {
    const r = await runAgainst('hang');
    const sock = r.byId['docker.socket']!;
    expect(sock.status).toBe('error');
    expect(sock.message).toBe(`could not tell whether the Docker daemon works: the Docker daemon accepted the connection on ${r.socket} but did not answer /_ping within 1250 ms`);
    expect(sock.evidence).toMatchObject({ source: 'DOCKER_HOST', kind: 'socket', failure: 'timeout' });
    expect(r.byId['docker.version']!.message).toContain(`the daemon did not answer /version (the Docker daemon accepted the connection on ${r.socket} but did not answer /version within 1250 ms)`);
    expect(r.byId['docker.boot']!.message).toContain(`the running daemon's data root is not known: the Docker daemon accepted the connection on ${r.socket} but did not answer /info within 1250 ms`);
    expect(r.status).toBe(1);
    // --timeout 2 per check; startup and the report are the rest.
    expect(r.elapsed).toBeLessThan(3500);
  });

  it('answers HTTP 500: docker.socket fails "up but failing" with the daemon\'s message', async () => {
    const r = await runAgainst('http500');
    const sock = r.byId['docker.socket']!;
    expect(sock.status).toBe('fail');
    expect(sock.message).toBe(`the Docker daemon on ${r.socket} is up but failing: HTTP 500 from /_ping: {"message":"error during connect: containerd is not running"}`);
    expect(sock.evidence).toMatchObject({ failure: 'http-status', httpStatus: 500 });
    expect(r.byId['docker.version']!.message).toContain('the daemon did not answer /version (HTTP 500 from /version: {"message":"error during connect: containerd is not running"})');
    expect(r.byId['docker.boot']!.message).toContain("the running daemon's data root is not known: HTTP 500 from /info");
    expect(r.status).toBe(1);
    expect(r.elapsed).toBeLessThan(3500);
  });

  it('answers malformed JSON: /_ping still passes, the JSON answers are reported as "not JSON"', async () => {
    const r = await runAgainst('badjson');
    expect(r.byId['docker.socket']!.status).toBe('pass');
    expect(r.byId['docker.version']!.message).toContain('the daemon did not answer /version (/version answered something that is not JSON: "{\\"Version\\": \\"20.10.24\\", <html>oops")');
    expect(r.byId['docker.boot']!.message).toContain("the running daemon's data root is not known: /info answered something that is not JSON");
    expect([0, 1]).toContain(r.status);
    expect(r.elapsed).toBeLessThan(3500);
  });

  // A real EACCES: the agent runs as nobody against a socket only root may open (as
  // /var/run/docker.sock is, root:docker 0660). Needs root to start it as nobody.
  it.skipIf(process.getuid?.() !== 0)('refuses a run that may not connect: docker.socket errors "run as root", not retryable, without asking (skipped unless root)', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bp-docker-'));
    chmodSync(dir, 0o755);
    daemon = await startFakeDocker(path.join(dir, 'docker.sock'), { mode: 'ok' });
    chmodSync(daemon.socketPath, 0o600);
    const argv = ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BUNDLE, ...ARGS];
    const env = { PATH: process.env.PATH, DOCKER_HOST: `unix://${daemon.socketPath}` };
    const stdout = await new Promise<string>((resolve) => execFile('setpriv', argv, { cwd: REPO, env, encoding: 'utf8', timeout: 15_000 }, (_err, out) => resolve(out)));
    const report = JSON.parse(stdout);
    expect(schemaErrors(report)).toBe('');
    const sock = report.checks.find((c: Outcome) => c.id === 'docker.socket');
    expect(sock).toMatchObject({ status: 'error', retryable: false, message: `could not tell whether Docker answers: permission denied connecting to ${daemon.socketPath} (run as root)` });
    expect(daemon.requests).toEqual([]);
  });
});
