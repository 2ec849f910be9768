// A release as the recipes download it, served on loopback (never the internet): the x64 binary
// this machine built and a SHA256SUMS over it, under GitHub's release download path.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SEA } from './cli';

export const RELEASE_PATH = '/OWNER/batch-preflight/releases/download/v0.1.0';

export interface FakeRelease {
  /** Base URL of the release's files, like https://github.com/OWNER/batch-preflight/releases/download/v0.1.0. */
  base: string;
  /** The paths asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

let seaSum: string | undefined;
export const seaSha256 = (): string => (seaSum ??= createHash('sha256').update(readFileSync(SEA)).digest('hex'));

/** SHA256SUMS as a release writes it; `x64Sum` replaces the binary's true checksum. */
export function sha256sums(x64Sum = seaSha256(), listX64 = true): string {
  const lines = [`${'0'.repeat(64)}  batch-preflight-linux-arm64`, ...(listX64 ? [`${x64Sum}  batch-preflight-linux-x64`] : [])];
  return `${lines.join('\n')}\n`;
}

/** Serves `files` (name to a file path, or to the content itself) under RELEASE_PATH on 127.0.0.1. */
export async function serveRelease(files: Record<string, { path: string } | { text: string }>): Promise<FakeRelease> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const name = req.url?.startsWith(`${RELEASE_PATH}/`) ? req.url.slice(RELEASE_PATH.length + 1) : undefined;
    const file = name === undefined ? undefined : files[name];
    if (!file) {
      res.writeHead(404).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    if ('text' in file) res.end(file.text);
    else createReadStream(file.path).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}${RELEASE_PATH}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The standard release: the real x64 binary and a SHA256SUMS that lists it. */
export const goodRelease = () => serveRelease({ 'batch-preflight-linux-x64': { path: SEA }, SHA256SUMS: { text: sha256sums() } });

/** Runs `body` against a release being served, and stops serving it afterwards, whatever happens. */
export async function withRelease<T>(release: Promise<FakeRelease>, body: (r: FakeRelease) => Promise<T>): Promise<T> {
  const r = await release;
  try {
    return await body(r);
  } finally {
    await r.close();
  }
}
