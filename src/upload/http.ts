// One HTTP request to Blob storage or to the metadata service, bounded by a signal: a server that
// never answers (or answers forever) cannot hold the agent. The response body is capped.
import http from 'node:http';
import https from 'node:https';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpRequest {
  method: 'GET' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body?: Buffer;
  signal: AbortSignal;
  maxBytes: number;
  agent?: http.Agent;
}

/** Thrown for a transport failure (no HTTP answer): its message names no URL. */
export class TransportError extends Error {
  override name = 'TransportError';
}

export function request(r: HttpRequest): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    if (r.signal.aborted) return reject(new TransportError('no answer in time'));
    const url = new URL(r.url);
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, { method: r.method, headers: { ...r.headers, ...(r.body ? { 'content-length': String(r.body.length) } : {}) }, ...(r.agent ? { agent: r.agent } : { agent: false }) });
    const onAbort = () => req.destroy(new TransportError('no answer in time'));
    r.signal.addEventListener('abort', onAbort, { once: true });
    const finish = (err: Error | null, answer?: HttpAnswer) => {
      r.signal.removeEventListener('abort', onAbort);
      if (err) reject(err instanceof TransportError ? err : new TransportError((err as NodeJS.ErrnoException).code ?? err.message));
      else resolve(answer!);
    };
    req.on('error', (err) => finish(err));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > r.maxBytes) req.destroy(new TransportError(`answer larger than ${r.maxBytes} bytes`));
        else chunks.push(c);
      });
      res.on('error', (err) => finish(err));
      res.on('end', () => finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.end(r.body);
  });
}
