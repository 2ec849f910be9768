// azure.imds against a loopback stand-in for the instance metadata service (never 169.254.169.254).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { azureImds } from '../../checks/azure-imds';
import { builtinChecks } from '../../checks/index';
import { staticSkip } from '../../src/engine/select';
import { IMDS_URL_ENV } from '../../src/host/imds';
import { runCheck, tempTree } from '../helpers/host';
import type { Feature, Mode } from '../../src/types';

let server: http.Server;
let base = '';
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.headers.metadata !== 'true') return void res.writeHead(400).end('{"error":"Bad request. Required metadata header not specified"}');
    if (req.url?.startsWith('/hang')) return; // accepts, never answers
    if (req.url?.startsWith('/garbage')) return void res.writeHead(200).end('<html>');
    if (req.url?.startsWith('/gone')) return void res.writeHead(404).end();
    if (req.url?.startsWith('/busy')) return void res.writeHead(429).end();
    if (req.url?.startsWith('/broken')) return void res.writeHead(500).end();
    res.writeHead(200).end(JSON.stringify({ compute: { vmSize: 'Standard_HB120rs_v3' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const at = (url: string) => ({ env: { [IMDS_URL_ENV]: url }, settings: { mode: 'start-task' as const } });

describe('azure.imds', () => {
  it('passes when the service answers with compute.vmSize (sending the Metadata header)', async () => {
    const r = await runCheck(azureImds, tempTree({}), at(`${base}/metadata/instance`));
    expect(r.status).toBe('pass');
    expect(r.message).toBe(`the instance metadata service answers at ${base}/metadata/instance (compute.vmSize Standard_HB120rs_v3), without a proxy (no http_proxy or ALL_PROXY is set)`);
  });

  it.each([
    ['is missing (refuses connections)', () => 'http://127.0.0.1:9/metadata/instance', /ECONNREFUSED/],
    ['answers garbage', () => `${base}/garbage`, /not JSON/],
    ['answers HTTP 429 (rate limited)', () => `${base}/busy`, /HTTP 429/],
    ['answers HTTP 500', () => `${base}/broken`, /HTTP 500/],
  ])('fails, retryable and blamed on the node, when it %s', async (_what, url, why) => {
    const r = await runCheck(azureImds, tempTree({}), at(url()));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(why);
    expect(r.message).toMatch(/node prep's curl for the VM size would stop it/);
    expect(r).toMatchObject({ category: 'node', retryable: true });
  });

  // Issue 18 section 4: the same request gets the same 4xx; waiting cannot change it.
  it('fails, not retryable, when the service answers HTTP 404', async () => {
    const r = await runCheck(azureImds, tempTree({}), at(`${base}/gone`));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/HTTP 404/);
    expect(r).toMatchObject({ category: 'node', retryable: false });
  });

  it('fails after its timeout when the service accepts and never answers', async () => {
    const t0 = performance.now();
    const r = await runCheck(azureImds, tempTree({}), at(`${base}/hang`));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/no answer within 3000 ms/);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('runs only in start-task mode: the engine skips it elsewhere, with the reason', () => {
    const sel = (mode: Mode) => ({ features: new Set<Feature>(['docker']), mode });
    expect(staticSkip(azureImds, sel('start-task'))?.reason ?? null).toBeNull();
    for (const mode of ['image', 'container', 'offline'] as const) {
      expect(staticSkip(azureImds, sel(mode))?.reason ?? null).toBe(`runs only in start-task mode (this run is in ${mode} mode)`);
    }
    expect(builtinChecks.filter((c) => c.modes?.length === 1 && c.modes[0] === 'start-task').map((c) => c.id)).toEqual(['azure.imds']);
    expect(staticSkip(azureImds, { ...sel('start-task'), target: 'batch' })?.reason ?? null).toMatch(/applies only to .*--target shipyard/);
  });
});

// Node prep's get_vm_size_from_imds runs `curl -fSsL -H Metadata:true "http://169.254.169.254/metadata/instance?api-version=${IMDS_VERSION}"`
// (IMDS_VERSION=2019-04-30), and curl takes http_proxy (lower case only) unless no_proxy covers the host.
// The proxy here is a loopback server that records what it is asked: nothing reaches 169.254.169.254.
describe('azure.imds: the proxy node prep\'s curl would use', () => {
  let proxy: http.Server;
  let proxyUrl = '';
  const asked: { url?: string; metadata?: string | string[]; host?: string; auth?: string }[] = [];
  beforeAll(async () => {
    proxy = http.createServer((req, res) => {
      asked.push({ url: req.url, metadata: req.headers.metadata, host: req.headers.host, auth: req.headers['proxy-authorization'] });
      res.writeHead(200).end(JSON.stringify({ compute: { vmSize: 'Standard_D2s_v5' } }));
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    proxy.closeAllConnections();
    proxy.close();
  });
  const withEnv = (env: NodeJS.ProcessEnv) => ({ env, settings: { mode: 'start-task' as const } });

  it('asks through http_proxy exactly as node prep does, and fails (config, not retried) with the no_proxy fix', async () => {
    const before = asked.length;
    const r = await runCheck(azureImds, tempTree({}), withEnv({ http_proxy: proxyUrl }));
    expect(asked.slice(before)).toEqual([
      { url: 'http://169.254.169.254/metadata/instance?api-version=2019-04-30', metadata: 'true', host: '169.254.169.254', auth: undefined },
    ]);
    expect(r.status).toBe('fail');
    expect(r.message).toBe(
      `node prep's curl would ask the instance metadata service through the proxy ${proxyUrl} (http_proxy is set, with no no_proxy/NO_PROXY), ` +
        "where Azure requires it be asked directly; it answered compute.vmSize Standard_D2s_v5, which need not be this VM's",
    );
    expect(r).toMatchObject({ category: 'config', retryable: false });
    expect(r.remediation).toMatch(/^Add 169\.254\.169\.254 to no_proxy/);
  });

  it('sends the proxy credentials as curl does, and never shows them', async () => {
    const before = asked.length;
    const r = await runCheck(azureImds, tempTree({}), withEnv({ http_proxy: proxyUrl.replace('http://', 'http://bob:s%3Acret@'), no_proxy: 'localhost,.internal' }));
    expect(asked[before]!.auth).toBe(`Basic ${Buffer.from('bob:s:cret').toString('base64')}`);
    expect(r.message).toContain(`through the proxy http://***@127.0.0.1:`);
    expect(r.message).toContain('http_proxy is set and no_proxy does not cover 169.254.169.254');
    expect(JSON.stringify(r)).not.toMatch(/bob|cret/);
  });

  it('fails with the reason when the proxy cannot be reached (ALL_PROXY counts too)', async () => {
    const r = await runCheck(azureImds, tempTree({}), withEnv({ ALL_PROXY: 'http://127.0.0.1:9' }));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/through the proxy http:\/\/127\.0\.0\.1:9 \(ALL_PROXY is set.*asked that way: .*ECONNREFUSED/);
  });

  it('fails without asking when the proxy is not an http one (curl would speak SOCKS; this probe does not)', async () => {
    const r = await runCheck(azureImds, tempTree({}), withEnv({ http_proxy: 'socks5://127.0.0.1:9' }));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/asked that way: the proxy's scheme socks5: is not one this probe speaks/);
  });

  it.each([
    ['no_proxy names it', { http_proxy: 'http://127.0.0.1:9', no_proxy: 'localhost,169.254.169.254' }, 'no_proxy lists 169.254.169.254'],
    ['NO_PROXY names it', { http_proxy: 'http://127.0.0.1:9', NO_PROXY: '169.254.169.254' }, 'NO_PROXY lists 169.254.169.254'],
    ['no_proxy holds its range', { http_proxy: 'http://127.0.0.1:9', no_proxy: '169.254.0.0/16' }, 'no_proxy lists 169.254.0.0/16'],
    ['no_proxy is *', { http_proxy: 'http://127.0.0.1:9', no_proxy: '*' }, 'no_proxy lists *'],
    ['only HTTP_PROXY is set (curl ignores the upper-case name)', { HTTP_PROXY: 'http://127.0.0.1:9' }, 'no http_proxy or ALL_PROXY is set'],
  ])('goes direct and passes when %s', async (_what, env, why) => {
    const r = await runCheck(azureImds, tempTree({}), withEnv({ ...env, [IMDS_URL_ENV]: `${base}/metadata/instance` }));
    expect(r.status, r.message).toBe('pass');
    expect(r.message).toContain(`without a proxy (${why})`);
  });
});
