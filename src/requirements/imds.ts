// The VM size from Azure's instance metadata service, for start tasks run with --imds. One GET with
// a short timeout: a node without IMDS (or a test) must not wait.
import http from 'node:http';

export const IMDS_DEFAULT_URL = 'http://169.254.169.254/metadata/instance?api-version=2021-02-01';
/** Tests point this at a loopback server; nothing else should need it. */
export const IMDS_URL_ENV = 'BATCH_PREFLIGHT_IMDS_URL';
export const IMDS_TIMEOUT_MS = 500;
const MAX_BYTES = 256 * 1024;

export type ImdsAnswer = { ok: true; vmSize: string; url: string } | { ok: false; reason: string; url: string };

export function imdsUrl(env: NodeJS.ProcessEnv): string {
  return env[IMDS_URL_ENV] || IMDS_DEFAULT_URL;
}

export function readVmSize(env: NodeJS.ProcessEnv, timeoutMs = IMDS_TIMEOUT_MS): Promise<ImdsAnswer> {
  const url = imdsUrl(env);
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: ImdsAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(a);
    };
    let req: http.ClientRequest | undefined;
    const timer = setTimeout(() => {
      done({ ok: false, reason: `no answer within ${timeoutMs} ms`, url });
      req?.destroy();
    }, timeoutMs);
    try {
      // No proxy: the metadata service must be asked directly.
      req = http.get(url, { headers: { Metadata: 'true' }, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BYTES) {
            done({ ok: false, reason: `answer larger than ${MAX_BYTES} bytes`, url });
            req?.destroy();
          } else chunks.push(c);
        });
        res.on('error', (err) => done({ ok: false, reason: err.message, url }));
        res.on('end', () => {
          if (res.statusCode !== 200) return done({ ok: false, reason: `HTTP ${res.statusCode}`, url });
          try {
            const size = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { compute?: { vmSize?: unknown } }).compute?.vmSize;
            if (typeof size === 'string' && size.trim()) done({ ok: true, vmSize: size.trim(), url });
            else done({ ok: false, reason: 'the answer has no compute.vmSize', url });
          } catch {
            done({ ok: false, reason: 'the answer is not JSON', url });
          }
        });
      });
      req.on('error', (err) => done({ ok: false, reason: err.message, url }));
    } catch (err) {
      done({ ok: false, reason: err instanceof Error ? err.message : String(err), url });
    }
  });
}
