// Whether a gRPC server (containerd's CRI and API) answers on a unix socket: gRPC runs over
// HTTP/2, whose server sends its SETTINGS frame as soon as a client opens a connection. Nothing is
// called on the server; a socket that accepts and stays silent ends in 'timeout', never a hang.
import http2 from 'node:http2';
import net from 'node:net';

export type GrpcSocketAnswer = { ok: true } | { ok: false; reason: 'no-socket' | 'refused' | 'denied' | 'timeout' | 'not-http2' | 'io'; detail: string };

export function grpcSocketAnswers(socketPath: string, timeoutMs: number): Promise<GrpcSocketAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const session = http2.connect('http://localhost', { createConnection: () => net.connect(socketPath) });
    const finish = (a: GrpcSocketAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      resolve(a);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout', detail: `${socketPath} accepted the connection but sent no HTTP/2 settings within ${timeoutMs} ms` }), timeoutMs);
    session.once('remoteSettings', () => finish({ ok: true }));
    session.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return finish({ ok: false, reason: 'no-socket', detail: `${socketPath} does not exist` });
      if (e.code === 'ECONNREFUSED') return finish({ ok: false, reason: 'refused', detail: `nothing is listening on ${socketPath} (connection refused)` });
      if (e.code === 'EACCES') return finish({ ok: false, reason: 'denied', detail: `permission denied connecting to ${socketPath}` });
      if (e.code === 'ERR_HTTP2_ERROR' || e.code === 'ERR_HTTP2_SESSION_ERROR' || e.code === 'ECONNRESET') {
        return finish({ ok: false, reason: 'not-http2', detail: `${socketPath} answered, but not as an HTTP/2 (gRPC) server: ${e.message}` });
      }
      finish({ ok: false, reason: 'io', detail: `${socketPath}: ${e.message}` });
    });
    session.once('close', () => finish({ ok: false, reason: 'not-http2', detail: `${socketPath} closed the connection without HTTP/2 settings` }));
  });
}
