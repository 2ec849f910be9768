// Loopback servers around Blob storage for the failure cases Azurite cannot play: a proxy that
// throttles (503 ServerBusy, as Storage does: learn.microsoft.com/rest/api/storageservices/
// blob-service-error-codes) before passing requests on, a server that accepts and never answers,
// and a managed-identity pair (a fake instance metadata service and a blob endpoint that takes
// only its bearer token).
import http from 'node:http';
import net from 'node:net';

export interface Served {
  url: string;
  close(): Promise<void>;
}

function listen(server: net.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`)));
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

/** Answers the first `failures` requests 503 ServerBusy, then forwards to `upstream` (an origin). */
export async function throttlingProxy(upstream: string, failures: number): Promise<Served & { requests: () => number }> {
  let seen = 0;
  const up = new URL(upstream);
  const server = http.createServer((req, res) => {
    seen++;
    if (seen <= failures) {
      req.resume();
      res.writeHead(503, { 'x-ms-error-code': 'ServerBusy' }).end();
      return;
    }
    const fwd = http.request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: up.host } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  const close = closer(server, new Set());
  return { url: await listen(server), close, requests: () => seen };
}

/** Accepts connections and reads them, and never answers. */
export async function silentServer(): Promise<Served & { connections: () => number }> {
  let n = 0;
  const server = net.createServer((s) => {
    n++;
    s.resume();
  });
  const close = closer(server, new Set());
  return { url: await listen(server), close, connections: () => n };
}

export interface IdentityPair {
  /** For BATCH_PREFLIGHT_IMDS_URL (the instance endpoint; the token path is on the same origin). */
  imdsUrl: string;
  blobUrl: string;
  /** Token requests seen: their query and Metadata header. */
  tokenRequests: { query: URLSearchParams; metadata: string | undefined }[];
  /** Blob requests seen: method, path, headers. */
  blobRequests: { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/** IMDS that hands out `token` (or answers `imdsStatus`), and a blob endpoint that takes only that token. */
export async function identityPair(token: string, imdsStatus = 200): Promise<IdentityPair> {
  const tokenRequests: IdentityPair['tokenRequests'] = [];
  const blobRequests: IdentityPair['blobRequests'] = [];
  const stored = new Map<string, string>();
  const imds = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/metadata/identity/oauth2/token') return void res.writeHead(404).end();
    tokenRequests.push({ query: url.searchParams, metadata: req.headers.metadata as string | undefined });
    if (req.headers.metadata !== 'true') return void res.writeHead(400).end('{"error":"invalid_request"}');
    if (imdsStatus !== 200) return void res.writeHead(imdsStatus).end('{"error":"invalid_request","error_description":"Identity not found"}');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, expires_in: '86399', resource: url.searchParams.get('resource'), token_type: 'Bearer' }));
  });
  const blob = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      blobRequests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      // Storage takes a bearer token only from x-ms-version 2017-11-09 on (versioning-for-the-azure-storage-services).
      const version = String(req.headers['x-ms-version'] ?? '');
      if (req.headers.authorization !== `Bearer ${token}` || version < '2017-11-09') return void res.writeHead(403, { 'x-ms-error-code': 'AuthenticationFailed' }).end();
      // A small store, so that summarize can read back what was put: List Blobs and Get Blob.
      const url = new URL(req.url ?? '/', 'http://x');
      const name = decodeURIComponent(url.pathname.replace(/^\/devstoreaccount1\/reports\/?/, ''));
      if (req.method === 'PUT') {
        stored.set(name, body);
        return void res.writeHead(201).end();
      }
      if (url.searchParams.get('comp') === 'list') {
        const blobs = [...stored.keys()].sort().map((n) => `<Blob><Name>${n}</Name></Blob>`).join('');
        return void res.writeHead(200, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="utf-8"?><EnumerationResults><Blobs>${blobs}</Blobs><NextMarker/></EnumerationResults>`);
      }
      if (!stored.has(name)) return void res.writeHead(404, { 'x-ms-error-code': 'BlobNotFound' }).end();
      res.writeHead(200).end(stored.get(name));
    });
  });
  const closeImds = closer(imds, new Set());
  const closeBlob = closer(blob, new Set());
  const imdsOrigin = await listen(imds);
  const blobOrigin = await listen(blob);
  return {
    imdsUrl: `${imdsOrigin}/metadata/instance?api-version=2021-02-01`,
    blobUrl: `${blobOrigin}/devstoreaccount1/reports`,
    tokenRequests,
    blobRequests,
    close: async () => {
      await closeImds();
      await closeBlob();
    },
  };
}
