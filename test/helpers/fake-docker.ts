// A stand-in Docker Engine API on a unix socket, for checks that talk to the daemon: it answers
// /_ping, /version and /info from fixtures, or misbehaves in the ways real daemons do.
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from './host';

export type FakeDockerMode =
  /** Answers like a healthy daemon. */
  | 'ok'
  /** Accepts connections and never answers (a hung daemon). */
  | 'hang'
  /** HTTP 500 on every path. */
  | 'http500'
  /** 200 with a body that is not JSON. */
  | 'badjson'
  /** 200 on /_ping with a body other than OK: an HTTP server on the socket that is not Docker. */
  | 'notdocker';

export interface FakeDockerOptions {
  mode?: FakeDockerMode;
  /** Overrides of the /version and /info answers (merged into the fixtures); info null answers the JSON `null`. */
  version?: Record<string, unknown>;
  info?: Record<string, unknown> | null;
}

export interface FakeDocker {
  socketPath: string;
  /** Paths asked, in order. */
  requests: string[];
  close(): Promise<void>;
}

const fixture = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, 'outputs/docker-api', name), 'utf8')) as Record<string, unknown>;

export function startFakeDocker(socketPath: string, opts: FakeDockerOptions = {}): Promise<FakeDocker> {
  const mode = opts.mode ?? 'ok';
  const requests: string[] = [];
  const answers: Record<string, string> = {
    '/_ping': 'OK',
    '/version': JSON.stringify({ ...fixture('version-20.10.json'), ...opts.version }),
    '/info': opts.info === null ? 'null' : JSON.stringify({ ...fixture('info-20.10-nvidia.json'), ...opts.info }),
  };
  const server = http.createServer((req, res) => {
    const p = (req.url ?? '').replace(/^\/v[\d.]+/, '');
    requests.push(p);
    if (mode === 'hang') return; // never answer
    if (mode === 'http500') {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      return res.end('{"message":"error during connect: containerd is not running"}\n');
    }
    const body = mode === 'notdocker' && p === '/_ping' ? '<html>hello</html>' : answers[p];
    if (body === undefined) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      return res.end('{"message":"page not found"}\n');
    }
    res.writeHead(200, { 'Content-Type': p === '/_ping' ? 'text/plain; charset=utf-8' : 'application/json' });
    res.end(mode === 'badjson' && p !== '/_ping' ? '{"Version": "20.10.24", <html>oops' : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () =>
      resolve({
        socketPath,
        requests,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      }),
    );
  });
}

/** Leaves a unix socket file behind with nothing listening on it, as a daemon killed with SIGKILL does. */
export function leaveStaleSocket(socketPath: string): void {
  const script = `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => process.exit(0))`;
  const r = spawnSync(process.execPath, ['-e', script], { timeout: 10_000 });
  if (r.status !== 0) throw new Error(`could not leave a stale socket at ${socketPath}: ${r.stderr}`);
}
