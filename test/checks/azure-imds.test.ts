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
    expect(r.message).toBe(`the instance metadata service answers at ${base}/metadata/instance (compute.vmSize Standard_HB120rs_v3)`);
  });

  it.each([
    ['is missing (refuses connections)', () => 'http://127.0.0.1:9/metadata/instance', /ECONNREFUSED/],
    ['answers HTTP 404', () => `${base}/gone`, /HTTP 404/],
    ['answers garbage', () => `${base}/garbage`, /not JSON/],
  ])('fails, retryable and blamed on the node, when it %s', async (_what, url, why) => {
    const r = await runCheck(azureImds, tempTree({}), at(url()));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(why);
    expect(r.message).toMatch(/node prep's curl for the VM size would stop it/);
    expect(r).toMatchObject({ category: 'node', retryable: true });
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
    expect(builtinChecks.filter((c) => c.modes).map((c) => c.id)).toEqual(['azure.imds']);
    expect(staticSkip(azureImds, { ...sel('start-task'), target: 'batch' })?.reason ?? null).toMatch(/applies only to .*--target shipyard/);
  });
});
