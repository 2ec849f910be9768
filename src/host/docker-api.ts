// A minimal Docker Engine API client over the unix socket, with a hard timeout: a daemon that
// accepts and never answers ends in a 'timeout' answer, never a hang.
import http from 'node:http';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';
const MAX_BODY = 4 * 1024 * 1024;

export type DockerFailure = 'no-socket' | 'refused' | 'denied' | 'timeout' | 'http-status' | 'bad-response' | 'io';

export type DockerAnswer =
  | { ok: true; status: number; body: string; json: unknown }
  | { ok: false; reason: DockerFailure; detail: string; status?: number };

/** The socket the Docker CLI would use: DOCKER_HOST when it is unix://, else the default. */
export function dockerSocketPath(env: NodeJS.ProcessEnv): { path: string; source: string } {
  const dh = env.DOCKER_HOST;
  if (dh && dh.startsWith('unix://')) return { path: dh.slice('unix://'.length), source: 'DOCKER_HOST' };
  return { path: DEFAULT_DOCKER_SOCKET, source: 'default' };
}

/** GET an Engine API path. `expectJson` false for endpoints like /_ping that answer text. */
export function dockerGet(socketPath: string, apiPath: string, timeoutMs: number, expectJson = true): Promise<DockerAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (a: DockerAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(a);
    };
    const req = http.request({ socketPath, path: apiPath, method: 'GET', headers: { Host: 'docker' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) return finish({ ok: false, reason: 'bad-response', detail: `answer larger than ${MAX_BODY} bytes` });
        chunks.push(c);
      });
      res.on('error', (e) => finish({ ok: false, reason: 'io', detail: e.message }));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const body = Buffer.concat(chunks).toString('utf8');
        if (status < 200 || status >= 300) {
          return finish({ ok: false, reason: 'http-status', status, detail: `HTTP ${status} from ${apiPath}: ${body.slice(0, 200).trim()}` });
        }
        if (!expectJson) return finish({ ok: true, status, body, json: undefined });
        try {
          finish({ ok: true, status, body, json: JSON.parse(body) });
        } catch {
          finish({ ok: false, reason: 'bad-response', status, detail: `${apiPath} answered something that is not JSON: ${JSON.stringify(body.slice(0, 80))}` });
        }
      });
    });
    const timer = setTimeout(
      () => finish({ ok: false, reason: 'timeout', detail: `the Docker daemon accepted the connection on ${socketPath} but did not answer ${apiPath} within ${timeoutMs} ms` }),
      timeoutMs,
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return finish({ ok: false, reason: 'no-socket', detail: `${socketPath} does not exist` });
      if (e.code === 'ECONNREFUSED') return finish({ ok: false, reason: 'refused', detail: `nothing is listening on ${socketPath} (connection refused)` });
      // Not being allowed to connect says nothing about the daemon: keep it apart from a refusal.
      if (e.code === 'EACCES') return finish({ ok: false, reason: 'denied', detail: `permission denied connecting to ${socketPath}` });
      finish({ ok: false, reason: 'io', detail: `${socketPath}: ${e.message}` });
    });
    req.end();
  });
}
