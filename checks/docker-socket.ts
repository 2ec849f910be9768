import path from 'node:path';
import type { Check, CheckContext, CheckResult, Evidence } from '../src/types';
import { error, fail, pass, unreadable } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { dockerApi } from '../src/probes/docker-engine';
import { unitFile } from '../src/probes/unit-files';
import { forFamily } from '../src/remediation';

/**
 * A stopped daemon at start-task time is what node prep expects: it runs `systemctl start
 * docker.service` itself before `docker version`. Only a docker.service it can start makes that true.
 */
async function stoppedBeforeNodePrep(ctx: CheckContext, evidence: Evidence, stopped: CheckResult): Promise<CheckResult> {
  if (ctx.settings.mode !== 'start-task' || ctx.settings.target !== 'shipyard') return stopped;
  let unit;
  try {
    unit = await unitFile(ctx.host, 'docker.service');
  } catch (err) {
    return unreadable(err);
  }
  evidence.unit = unit.state;
  if (unit.state === 'not-found' || unit.state === 'masked') return stopped;
  return pass(
    `the Docker daemon is not running yet (${stopped.findings[0]!.message}); that is fine before node prep: node prep starts it ` +
      `with systemctl start docker.service (${unit.file} is ${unit.state}) and then runs docker version and docker info`,
    evidence,
  );
}

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
    'by a daemon that is no longer running refuses connections; a hung daemon accepts and never answers (reported as an error after the timeout). ' +
    'In start-task mode on a Batch Shipyard pool a stopped daemon passes when docker.service exists and is not masked, since node prep starts it itself.',
  consequence:
    'fail: node prep runs `systemctl start docker.service` (its failure ignored) and then `docker version` and `docker info` under set -e: ' +
    'a daemon that does not answer stops node prep and the node goes to starttaskfailed. Before node prep (start-task mode) a stopped ' +
    'daemon with a startable docker.service passes: node prep starts it.',
  fix: 'Start the Docker daemon (systemctl start docker.service) and look at its log (journalctl -u docker.service) if it does not come up.',
  byTarget: {
    batch: {
      description:
        "On a plain Azure Batch container pool the node agent talks to the image's Docker engine through its socket (/var/run/docker.sock, or the unix " +
        'socket in DOCKER_HOST). Checks that the socket exists, is a unix socket, and that the Engine API answers GET /_ping on it. A socket file left ' +
        'behind by a daemon that is no longer running refuses connections; a hung daemon accepts and never answers (reported as an error after the timeout). ' +
        'Nothing but the image starts Docker on such a node, so a stopped daemon fails (docker.autostart checks that it starts at boot).',
      consequence: 'fail: a daemon that does not answer cannot pull the pool\'s container images or run container tasks.',
    },
  },
  async run(ctx) {
    const { host } = ctx;
    const os = await osRelease(host);
    const socket = host.dockerSocket;
    const startFix = forFamily(os.family, { default: 'systemctl start docker.service; if it does not start: journalctl -u docker.service -b' });
    const evidence: Record<string, unknown> = { socket, source: host.env.DOCKER_HOST?.startsWith('unix://') ? 'DOCKER_HOST' : 'default' };
    // The socket path is on the host; look at it through the inspected root when it is inside it
    // (path.relative of two POSIX paths is never absolute).
    const inRoot = path.relative(host.root, socket);
    if (!inRoot.startsWith('..')) {
      let info;
      try {
        info = await host.fs.statIfExists('/' + inRoot);
      } catch (err) {
        return unreadable(err);
      }
      if (!info) {
        evidence.failure = 'no-socket';
        return stoppedBeforeNodePrep(ctx, evidence, fail(`${socket} does not exist: the Docker daemon is not running (or listens elsewhere)`, startFix, evidence));
      }
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
        return stoppedBeforeNodePrep(ctx, evidence, fail(`${socket} does not exist: the Docker daemon is not running (or listens elsewhere)`, startFix, evidence));
      case 'refused':
        return stoppedBeforeNodePrep(
          ctx,
          evidence,
          fail(`${socket} exists but the Docker daemon is not answering: ${ping.detail}. The socket file was probably left behind by a daemon that stopped`, startFix, evidence),
        );
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
