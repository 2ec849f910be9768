import path from 'node:path';
import type { Check } from '../src/types';
import { error, fail, pass, unreadable } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { dockerApi } from '../src/probes/docker-engine';
import { forFamily } from '../src/remediation';

export const dockerSocket: Check = {
  id: 'docker.socket',
  title: 'Docker socket answers',
  area: 'docker',
  features: ['docker'],
  // Without Docker installed there is no daemon to wait for: docker.engine says so once.
  dependsOn: ['docker.engine'],
  live: true,
  readiness: true,
  description:
    'Batch Shipyard talks to Docker as root through the default socket /var/run/docker.sock (or the unix socket in DOCKER_HOST). ' +
    'Checks that the socket exists, is a unix socket, and that the Engine API answers GET /_ping on it. A socket file left behind ' +
    'by a daemon that is no longer running refuses connections; a hung daemon accepts and never answers (reported as an error after the timeout).',
  fix: 'Start the Docker daemon (systemctl start docker.service) and look at its log (journalctl -u docker.service) if it does not come up.',
  async run({ host }) {
    const os = await osRelease(host);
    const socket = host.dockerSocket;
    const startFix = forFamily(os.family, { default: 'systemctl start docker.service; if it does not start: journalctl -u docker.service -b' });
    const evidence: Record<string, unknown> = { socket, source: host.env.DOCKER_HOST?.startsWith('unix://') ? 'DOCKER_HOST' : 'default' };
    // The socket path is on the host; look at it through the inspected root.
    const inRoot = path.relative(host.root, socket);
    if (!inRoot.startsWith('..') && !path.isAbsolute(inRoot)) {
      let info;
      try {
        info = await host.fs.statIfExists('/' + inRoot);
      } catch (err) {
        return unreadable(err);
      }
      if (!info) return fail(`${socket} does not exist: the Docker daemon is not running (or listens elsewhere)`, startFix, evidence);
      evidence.kind = info.kind;
      if (info.kind !== 'socket') {
        return fail(`${socket} is a ${info.kind}, not a unix socket, so nothing can talk to Docker on it`, `Remove ${socket} and start the daemon: ${startFix}`, evidence);
      }
    }
    const ping = await dockerApi(host, '/_ping');
    if (ping.ok) {
      evidence.ping = ping.body.slice(0, 40);
      if (ping.body.trim() !== 'OK') return error(`${socket} answered /_ping with ${JSON.stringify(ping.body.slice(0, 40))} instead of OK: this may not be a Docker daemon`, evidence);
      return pass(`the Docker daemon answers on ${socket} (/_ping: OK)`, evidence);
    }
    evidence.failure = ping.reason;
    evidence.detail = ping.detail;
    switch (ping.reason) {
      case 'no-socket':
        return fail(`${socket} does not exist: the Docker daemon is not running (or listens elsewhere)`, startFix, evidence);
      case 'refused':
        return fail(`${socket} exists but the Docker daemon is not answering: ${ping.detail}. The socket file was probably left behind by a daemon that stopped`, startFix, evidence);
      case 'http-status':
        evidence.httpStatus = ping.status;
        return fail(`the Docker daemon on ${socket} is up but failing: ${ping.detail}`, `Look at the daemon's log (journalctl -u docker.service -b) and restart it: systemctl restart docker.service`, evidence);
      case 'denied':
        return error(`could not tell whether Docker answers: ${ping.detail} (run as root)`, evidence, { retryable: false });
      default:
        return error(`could not tell whether the Docker daemon works: ${ping.detail}`, evidence);
    }
  },
};
