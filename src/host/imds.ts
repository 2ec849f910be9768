// The VM size from Azure's instance metadata service: for start tasks run with --imds, and for
// azure.imds, which asks as node prep does. One GET with a timeout: a node without IMDS (or a test)
// must not wait.
import http from 'node:http';
import net from 'node:net';
import { messageOf } from '../errors';

export const IMDS_DEFAULT_URL = 'http://169.254.169.254/metadata/instance?api-version=2021-02-01';
/**
 * The URL Batch Shipyard 3.9.1 node prep asks (scripts/shipyard_nodeprep.sh get_vm_size_from_imds:
 * `curl -fSsL -H Metadata:true "http://169.254.169.254/metadata/instance?api-version=${IMDS_VERSION}"`,
 * IMDS_VERSION=2019-04-30).
 */
export const NODE_PREP_IMDS_URL = 'http://169.254.169.254/metadata/instance?api-version=2019-04-30';
export const IMDS_HOST = '169.254.169.254';
/** Tests point this at a loopback server; nothing else should need it. */
export const IMDS_URL_ENV = 'BATCH_PREFLIGHT_IMDS_URL';
/** The flag that lets IMDS_URL_ENV name a host other than a loopback address. */
export const ALLOW_REMOTE_IMDS_FLAG = '--allow-remote-imds-url';
export const IMDS_TIMEOUT_MS = 500;
const MAX_BYTES = 256 * 1024;

/** `status`: the HTTP status of an answer that was not 200 (a 4xx does not change by asking again). */
export type ImdsAnswer = { ok: true; vmSize: string; url: string } | { ok: false; reason: string; url: string; status?: number };

export function imdsUrl(env: NodeJS.ProcessEnv, defaultUrl = IMDS_DEFAULT_URL): string {
  return env[IMDS_URL_ENV] || defaultUrl;
}

export interface ImdsRequest {
  /** Asked when IMDS_URL_ENV is not set. */
  defaultUrl?: string;
  /** An http proxy to ask through, as curl does: the absolute URL as the request target. */
  proxy?: URL;
}

/** The request options: straight to the service, or to an http proxy with the absolute URL (and its credentials, as curl sends them). */
function requestOptions(url: string, proxy: URL | undefined): http.RequestOptions | string {
  const headers: http.OutgoingHttpHeaders = { Metadata: 'true' };
  if (!proxy) return { headers, agent: false };
  if (proxy.protocol !== 'http:') return `the proxy's scheme ${proxy.protocol} is not one this probe speaks (http: only)`;
  const target = new URL(url);
  headers.Host = target.host;
  if (proxy.username || proxy.password) {
    headers['Proxy-Authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`;
  }
  return { host: proxy.hostname.replace(/^\[|\]$/g, ''), port: proxy.port || 80, path: url, headers, agent: false };
}

/**
 * A literal loopback address, as the WHATWG URL parser normalises it (127.1 -> 127.0.0.1,
 * [0::1] -> [::1]): 127.0.0.0/8 or ::1. Names are not resolved: DNS could answer anything.
 */
function isLoopback(hostname: string): boolean {
  return (net.isIPv4(hostname) && hostname.startsWith('127.')) || hostname === '[::1]';
}

/**
 * Why the endpoint in IMDS_URL_ENV may not be used, or null. Whoever sets the start task's
 * environment must not be able to point the agent (root) at another host: a loopback address only,
 * unless the flag allows more.
 */
export function imdsUrlProblem(env: NodeJS.ProcessEnv, allowRemote: boolean): string | null {
  const value = env[IMDS_URL_ENV];
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${IMDS_URL_ENV} ${value}: is not a URL`;
  }
  if (url.protocol !== 'http:') return `${IMDS_URL_ENV} ${value}: only http: is supported`;
  if (!allowRemote && !isLoopback(url.hostname)) return `${IMDS_URL_ENV} ${value}: ${url.hostname} is not a loopback address (${ALLOW_REMOTE_IMDS_FLAG} allows it)`;
  return null;
}

export function readVmSize(env: NodeJS.ProcessEnv, timeoutMs = IMDS_TIMEOUT_MS, how: ImdsRequest = {}): Promise<ImdsAnswer> {
  const url = imdsUrl(env, how.defaultUrl);
  const options = requestOptions(url, how.proxy);
  if (typeof options === 'string') return Promise.resolve({ ok: false, reason: options, url });
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
      // Directly unless a proxy is given: Azure says to bypass proxies, but node prep's curl may not.
      const onResponse = (res: http.IncomingMessage) => {
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
          if (res.statusCode !== 200) return done({ ok: false, reason: `HTTP ${res.statusCode}`, url, status: res.statusCode });
          try {
            const size = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { compute?: { vmSize?: unknown } }).compute?.vmSize;
            if (typeof size === 'string' && size.trim()) done({ ok: true, vmSize: size.trim(), url });
            else done({ ok: false, reason: 'the answer has no compute.vmSize', url });
          } catch {
            done({ ok: false, reason: 'the answer is not JSON', url });
          }
        });
      };
      req = how.proxy ? http.get(options, onResponse) : http.get(url, options, onResponse);
      req.on('error', (err) => done({ ok: false, reason: err.message, url }));
    } catch (err) {
      done({ ok: false, reason: messageOf(err), url });
    }
  });
}
