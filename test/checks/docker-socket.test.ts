import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { DockerAnswer } from '../../src/host/docker-api';
import { dockerSocket } from '../../checks/docker-socket';
import { dockerEngine } from '../../checks/docker-engine';
import { runCheck, tempTree } from '../helpers/host';
import { leaveStaleSocket, startFakeDocker, type FakeDocker, type FakeDockerMode } from '../helpers/fake-docker';

let fake: FakeDocker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function hostRoot(): { root: string; socket: string } {
  const root = tempTree({}, 'hosts/docker-ok');
  mkdirSync(path.join(root, 'var/run'), { recursive: true });
  return { root, socket: path.join(root, 'var/run/docker.sock') };
}

async function withDaemon(mode: FakeDockerMode) {
  const { root, socket } = hostRoot();
  fake = await startFakeDocker(socket, { mode });
  return { root, socket };
}

describe('docker.socket', () => {
  it('passes when the Engine API answers /_ping', async () => {
    const { root, socket } = await withDaemon('ok');
    const r = await runCheck(dockerSocket, root, { dockerSocket: socket });
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ socket, kind: 'socket', ping: 'OK', source: 'default' });
    expect(fake!.requests).toEqual(['/_ping']);
  });

  it('uses the socket from DOCKER_HOST', async () => {
    const root = tempTree({}, 'hosts/docker-ok');
    mkdirSync(path.join(root, 'run/user/0'), { recursive: true });
    const socket = path.join(root, 'run/user/0/docker.sock');
    fake = await startFakeDocker(socket);
    const r = await runCheck(dockerSocket, root, { dockerSocket: socket, env: { DOCKER_HOST: `unix://${socket}` } });
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ socket, source: 'DOCKER_HOST' });
  });

  describe('in start-task mode (node prep starts Docker itself: systemctl start docker.service)', () => {
    const START_TASK = { settings: { mode: 'start-task' as const } };

    it('a stopped daemon with docker.service installed passes, saying node prep starts it', async () => {
      const { root, socket } = hostRoot();
      const r = await runCheck(dockerSocket, root, { dockerSocket: socket, ...START_TASK });
      expect(r.status, r.message).toBe('pass');
      expect(r.message).toMatch(/not running yet .*node prep starts it .*systemctl start docker\.service/);
      expect(r.evidence).toMatchObject({ failure: 'no-socket', unit: 'disabled' });
      leaveStaleSocket(socket);
      const stale = await runCheck(dockerSocket, root, { dockerSocket: socket, ...START_TASK });
      expect(stale.status).toBe('pass');
      expect(stale.evidence).toMatchObject({ failure: 'refused' });
      // A plain Batch pool has no node prep to start it.
      expect((await runCheck(dockerSocket, root, { dockerSocket: socket, settings: { mode: 'start-task', target: 'batch' } })).status).toBe('fail');
    });

    it('still fails without docker.service (nothing for node prep to start), or with it masked', async () => {
      const { root, socket } = hostRoot();
      rmSync(path.join(root, 'lib/systemd/system/docker.service'));
      const r = await runCheck(dockerSocket, root, { dockerSocket: socket, ...START_TASK });
      expect(r.status).toBe('fail');
      expect(r.message).toMatch(/does not exist/);
      const masked = hostRoot();
      mkdirSync(path.join(masked.root, 'etc/systemd/system'), { recursive: true });
      symlinkSync('/dev/null', path.join(masked.root, 'etc/systemd/system/docker.service'));
      expect((await runCheck(dockerSocket, masked.root, { dockerSocket: masked.socket, ...START_TASK })).status).toBe('fail');
    });

    it('without Docker at all, docker.engine and docker.socket both still fail', async () => {
      const root = tempTree({}, 'hosts/docker-missing');
      const socket = path.join(root, 'var/run/docker.sock');
      expect((await runCheck(dockerEngine, root, START_TASK)).status).toBe('fail');
      expect((await runCheck(dockerSocket, root, { dockerSocket: socket, ...START_TASK })).status).toBe('fail');
    });

    it('errors, never passes, when the daemon is stopped and docker.service cannot be read (a symlink loop)', async () => {
      const { root, socket } = hostRoot();
      mkdirSync(path.join(root, 'etc/systemd/system'), { recursive: true });
      symlinkSync('docker.service', path.join(root, 'etc/systemd/system/docker.service'));
      const r = await runCheck(dockerSocket, root, { dockerSocket: socket, ...START_TASK });
      expect(r.status).toBe('error');
      expect(r.message).toMatch(/^could not read \/etc\/systemd\/system\/docker\.service/);
    });

    it('a daemon that is up but failing still fails', async () => {
      const { root, socket } = await withDaemon('http500');
      const r = await runCheck(dockerSocket, root, { dockerSocket: socket, ...START_TASK });
      expect(r.status).toBe('fail');
    });
  });

  it('fails when the socket is missing', async () => {
    const { root, socket } = hostRoot();
    const r = await runCheck(dockerSocket, root, { dockerSocket: socket });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/does not exist/);
    expect(r.remediation).toMatch(/systemctl start docker\.service/);
  });

  it('fails fast, "not answering", on a socket file left behind by a dead daemon', async () => {
    const { root, socket } = hostRoot();
    leaveStaleSocket(socket);
    const t0 = performance.now();
    const r = await runCheck(dockerSocket, root, { dockerSocket: socket, commandTimeoutMs: 5000 });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/not answering: .*connection refused/);
    expect(r.evidence).toMatchObject({ kind: 'socket', failure: 'refused' });
  });

  it('ends in error, within the timeout, when the daemon accepts and never answers', async () => {
    const { root, socket } = await withDaemon('hang');
    const t0 = performance.now();
    const r = await runCheck(dockerSocket, root, { dockerSocket: socket, commandTimeoutMs: 400 });
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(2000);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/did not answer \/_ping within 400 ms/);
  });

  it('errors, never passes, when something on the socket answers /_ping 200 but not with OK (broken: not Docker)', async () => {
    const { root, socket } = await withDaemon('notdocker');
    const r = await runCheck(dockerSocket, root, { dockerSocket: socket });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/answered \/_ping with "<html>hello<\/html>"/);
  });

  it('fails with what the daemon said when it answers HTTP 500', async () => {
    const { root, socket } = await withDaemon('http500');
    const r = await runCheck(dockerSocket, root, { dockerSocket: socket });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/HTTP 500 from \/_ping: .*containerd is not running/);
    expect(r.evidence).toMatchObject({ httpStatus: 500 });
  });

  it('fails when the socket path is a plain file', async () => {
    const { root, socket } = hostRoot();
    writeFileSync(socket, '');
    const r = await runCheck(dockerSocket, root, { dockerSocket: socket });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/is a file, not a unix socket/);
  });

  it('errors, never fails, when the socket path cannot be looked at (a symlink loop)', async () => {
    const root = tempTree({ 'var/run': { link: 'run' } }, 'hosts/docker-ok');
    const r = await runCheck(dockerSocket, root, { dockerSocket: path.join(root, 'var/run/docker.sock') });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read \/var\/run/);
  });

  it('asks a socket outside the inspected root directly, not a path inside the root', async () => {
    const root = tempTree({}, 'hosts/docker-ok');
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'bp-sock-'));
    const socket = path.join(elsewhere, 'docker.sock');
    const missing = await runCheck(dockerSocket, root, { dockerSocket: socket });
    expect(missing.status).toBe('fail');
    expect(missing.message).toBe(`${socket} does not exist: the Docker daemon is not running (or listens elsewhere)`);
    fake = await startFakeDocker(socket);
    const r = await runCheck(dockerSocket, root, { dockerSocket: socket });
    expect(r.status).toBe('pass');
    expect(fake.requests).toEqual(['/_ping']);
  });

  it('accepts OK with whitespace around it from /_ping', async () => {
    const { root, socket } = hostRoot();
    const server = http.createServer((_req, res) => res.end('OK\r\n'));
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const r = await runCheck(dockerSocket, root, { dockerSocket: socket });
      expect(r.status).toBe('pass');
    } finally {
      server.close();
    }
  });

  it('errors, not retryable, when this run may not connect (not root: the socket is root-only, as /var/run/docker.sock is)', async () => {
    const { root, socket } = await withDaemon('ok');
    const denied = (apiPath: string): DockerAnswer => ({ ok: false, reason: 'denied', detail: `permission denied connecting to ${socket} (${apiPath})` });
    const r = await runCheck(dockerSocket, root, { dockerSocket: socket, dockerAnswer: denied });
    expect(r.status).toBe('error');
    expect(r.message).toBe(`could not tell whether Docker answers: permission denied connecting to ${socket} (/_ping) (run as root)`);
    expect(r.retryable).toBe(false);
  });
});
