// `run --upload` against Azurite, the Azure Storage emulator, on loopback (test/helpers/azurite.ts),
// and against loopback servers for what Azurite cannot play (throttling, silence, managed identity).
// Put Blob / List Blobs / Get Blob as in learn.microsoft.com/rest/api/storageservices; Storage
// refuses an expired SAS with 403 AuthenticationFailed and a SAS without the permission with 403
// AuthorizationPermissionMismatch (learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAzurite, type Azurite } from '../helpers/azurite';
import { runBundleAsync, type BundleRun } from '../helpers/bundle';
import { FIXTURES } from '../helpers/host';
import { identityPair, silentServer, throttlingProxy } from '../helpers/blob-servers';
import { IMDS_URL_ENV } from '../../src/host/imds';

/** A run that is READY (these checks pass on this image root) and one that is NOT READY. */
const READY = ['--root', path.join(FIXTURES, 'hosts/ubuntu2204-ready'), '--only', 'os.distro,selinux.mode,sshd'];
const NOT_READY = ['--root', path.join(FIXTURES, 'hosts/docker-gpu-ok')];

let az: Azurite;
let tmp: string;
beforeAll(async () => {
  az = await startAzurite();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'bp-upload-'));
});
afterAll(async () => {
  await az?.stop();
});

let n = 0;
/** A fresh container with a SAS of these permissions. */
async function container(permissions: string, expiresOn?: Date): Promise<{ url: string; name: string; sas: string }> {
  const name = `c${++n}-${Date.now()}`;
  const url = await az.container(name);
  return { url, name, sas: az.sas(name, permissions, expiresOn) };
}

function sasFile(sas: string): string {
  const file = path.join(tmp, `sas-${++n}`);
  writeFileSync(file, `${sas}\n`, { mode: 0o600 });
  return file;
}

interface Run extends BundleRun {
  report: { summary: { ok: boolean; pass: number; warn: number; fail: number; error: number; skip: number }; notes?: string[]; startedAt: string; host: { hostname: string } };
  reportText: string;
  logText: string;
  ms: number;
}

/** Runs the agent on a fixture root with --report and a debug log, plus `extra` flags. */
async function run(root: readonly string[], extra: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const report = path.join(tmp, `report-${++n}.json`);
  const log = path.join(tmp, `log-${n}.txt`);
  const t0 = Date.now();
  const r = await runBundleAsync([...root, '--format', 'json', '--report', report, '--log-level', 'debug', '--log-file', log, ...extra], env, 30_000);
  const reportText = readFileSync(report, 'utf8');
  return { ...r, report: JSON.parse(reportText), reportText, logText: readFileSync(log, 'utf8'), ms: Date.now() - t0 };
}

/** The signature of a SAS: the secret part. */
const sigOf = (sas: string) => new URLSearchParams(sas).get('sig')!;

function expectNoSecret(r: Run, sas: string): void {
  for (const text of [r.stdout, r.stderr, r.reportText, r.logText]) {
    expect(text).not.toContain(sigOf(sas));
    expect(text).not.toContain(encodeURIComponent(sigOf(sas)));
  }
}

async function blobsOf(name: string) {
  const out: { name: string; metadata: Record<string, string>; text: string }[] = [];
  const c = az.service.getContainerClient(name);
  for await (const b of c.listBlobsFlat({ includeMetadata: true })) {
    const text = (await c.getBlobClient(b.name).downloadToBuffer()).toString('utf8');
    out.push({ name: b.name, metadata: b.metadata ?? {}, text });
  }
  return out;
}

describe('run --upload to Azurite', () => {
  it('puts the report at POOL/NODE/START.json and latest.json, with the verdict and counts as metadata; exit codes unchanged', async () => {
    const c = await container('cw');
    const ready = await run(READY, ['--upload', c.url, '--upload-sas-file', sasFile(c.sas)]);
    const notReady = await run(NOT_READY, ['--upload', c.url, '--upload-sas-file', sasFile(c.sas)]);
    expect(ready.status).toBe(0);
    expect(notReady.status).toBe(1);
    const blobs = await blobsOf(c.name);
    for (const r of [ready, notReady]) {
      const stamp = r.report.startedAt.replace(/:/g, '-');
      // Offline runs are no Batch node: the pool folder says so, the node is the host name.
      const dir = `_no-pool/${r.report.host.hostname}`;
      const mine = blobs.filter((b) => b.text.includes(r.report.startedAt) && JSON.parse(b.text).startedAt === r.report.startedAt);
      expect(mine.map((b) => b.name).sort()).toEqual([`${dir}/${stamp}.json`, `${dir}/latest.json`].sort().filter((x) => mine.some((b) => b.name === x)));
      const run = mine.find((b) => b.name === `${dir}/${stamp}.json`)!;
      expect(run).toBeDefined();
      const s = r.report.summary;
      expect(run.metadata).toMatchObject({ verdict: s.ok ? 'READY' : 'NOT_READY', pass: String(s.pass), warn: String(s.warn), fail: String(s.fail), error: String(s.error), skip: String(s.skip), startedat: r.report.startedAt });
      // The stored report is the local one, less the note that says where it went.
      const local = { ...r.report, notes: r.report.notes!.filter((x) => !x.startsWith('report uploaded to ')) };
      const stored = JSON.parse(run.text);
      expect({ ...stored, notes: stored.notes ?? [] }).toEqual(local);
      expect(r.report.notes).toContain(`report uploaded to ${c.url}/${dir}/${stamp}.json (and ${dir}/latest.json)`);
      expectNoSecret(r, c.sas);
    }
    // latest.json of that folder is the second run's (same host name, later start).
    const latest = blobs.find((b) => b.name === `_no-pool/${notReady.report.host.hostname}/latest.json`)!;
    expect(JSON.parse(latest.text).startedAt).toBe(notReady.report.startedAt);
    expect(latest.metadata.verdict).toBe('NOT_READY');
  });

  it('takes the SAS from the environment or from the URL, and shows it nowhere', async () => {
    const c = await container('cw');
    const fromEnv = await run(READY, ['--upload', c.url], { BATCH_PREFLIGHT_UPLOAD_SAS: c.sas });
    const fromUrl = await run(READY, ['--upload', `${c.url}?${c.sas}`]);
    for (const r of [fromEnv, fromUrl]) {
      expect(r.status).toBe(0);
      expect(r.report.notes!.some((x) => x.startsWith(`report uploaded to ${c.url}/`))).toBe(true);
      expectNoSecret(r, c.sas);
    }
    expect((await blobsOf(c.name)).length).toBe(3); // two runs, one host: two START.json and one latest.json
  });

  // Storage answers an expired SAS 403 AuthenticationFailed; Azurite 3.35 answers 403 AuthorizationFailure.
  it('an expired SAS: one line on stderr, a note in the report, the verdict and exit code stand', async () => {
    const c = await container('cw', new Date(Date.now() - 60_000));
    for (const [root, code] of [[READY, 0], [NOT_READY, 1]] as const) {
      const r = await run(root, ['--upload', c.url, '--upload-sas-file', sasFile(c.sas)]);
      expect(r.status).toBe(code);
      const lines = r.stderr.split('\n').filter((l) => l.includes('upload'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^batch-preflight: upload failed \\(the verdict stands\\): PUT ${c.url}/_no-pool/.*: HTTP 403 (AuthenticationFailed|AuthorizationFailure) \\(the SAS token has expired`));
      expect(r.report.notes).toContain(lines[0]!.replace('batch-preflight: ', ''));
      expectNoSecret(r, c.sas);
    }
    expect(await blobsOf(c.name)).toEqual([]);
  });

  it('a SAS without write permission (read and list only) is refused with AuthorizationPermissionMismatch, not retried', async () => {
    const c = await container('rl');
    const r = await run(READY, ['--upload', c.url, '--upload-sas-file', sasFile(c.sas)]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/upload failed \(the verdict stands\): PUT .*: HTTP 403 AuthorizationPermissionMismatch \(the SAS token has expired or lacks the permission/);
    expect(r.ms).toBeLessThan(10_000);
    expectNoSecret(r, c.sas);
  });

  it('throttling (503 ServerBusy) is retried with backoff until the upload goes through', async () => {
    const c = await container('cw');
    const proxy = await throttlingProxy(new URL(az.endpoint).origin, 3);
    try {
      const url = `${proxy.url}/${new URL(c.url).pathname.slice(1)}`;
      const r = await run(READY, ['--upload', url, '--upload-sas-file', sasFile(c.sas)]);
      expect(r.status).toBe(0);
      expect(r.stderr).not.toMatch(/upload failed/);
      expect(proxy.requests()).toBe(5); // three refused, then both blobs
      expect((await blobsOf(c.name)).map((b) => b.name.split('/').pop()).sort()).toEqual([`${r.report.startedAt.replace(/:/g, '-')}.json`, 'latest.json']);
    } finally {
      await proxy.close();
    }
  });

  it('throttling that never ends gives up inside the time bound, verdict unchanged', async () => {
    const c = await container('cw');
    const proxy = await throttlingProxy(new URL(az.endpoint).origin, Infinity);
    try {
      const url = `${proxy.url}/${new URL(c.url).pathname.slice(1)}`;
      const r = await run(NOT_READY, ['--upload', url, '--upload-sas-file', sasFile(c.sas)]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/upload failed \(the verdict stands\): PUT .*: HTTP 503 ServerBusy; gave up after [2-9] tries/);
      expect(proxy.requests()).toBeGreaterThan(1);
      expect(r.ms).toBeLessThan(20_000);
    } finally {
      await proxy.close();
    }
  });

  it('a server that never answers does not hold the run past its deadline', async () => {
    const silent = await silentServer();
    try {
      const r = await run(READY, ['--deadline', '3', '--upload', `${silent.url}/devstoreaccount1/reports`, '--upload-sas-file', sasFile('sv=2021-08-06&sp=cw&sig=c2VjcmV0')]);
      expect(r.status).toBe(0);
      expect(silent.connections()).toBeGreaterThan(0);
      expect(r.stderr).toMatch(/upload failed \(the verdict stands\): PUT .*: no answer in time; gave up after 1 try \(out of time\)/);
      expect(r.ms).toBeLessThan(3000 + 2500);
    } finally {
      await silent.close();
    }
  });

  it('in start-task mode the verdict stays the first line on stderr, the upload failure comes after it', async () => {
    const silent = await silentServer();
    try {
      const sas = sasFile('sv=2021-08-06&sp=cw&sig=c2VjcmV0');
      const r = await runBundleAsync(['--mode', 'start-task', '--only', 'selinux.mode', '--deadline', '2', '--report', path.join(tmp, `st-${++n}.json`), '--upload', `${silent.url}/devstoreaccount1/reports`, '--upload-sas-file', sas], { AZ_BATCH_NODE_ID: 'tvm-1', AZ_BATCH_POOL_ID: 'pool-a' });
      const lines = r.stderr.trim().split('\n');
      expect(lines[0]).toMatch(/^batch-preflight: (READY|NOT READY)/);
      expect(lines.slice(1).some((l) => /^batch-preflight: upload failed \(the verdict stands\): PUT .*\/pool-a\/tvm-1\//.test(l))).toBe(true);
      expect(r.status).toBe(lines[0]!.startsWith('batch-preflight: READY') ? 0 : 1);
    } finally {
      await silent.close();
    }
  });

  it('bad --upload input is a one-line usage error (exit 2) that never quotes the token', async () => {
    const secret = 'sv=2021-08-06&sp=cw&sig=dG9wc2VjcmV0';
    const groupWritable = sasFile(secret);
    chmodSync(groupWritable, 0o620);
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['--upload', 'not a url'], {}, /^batch-preflight: --upload: not a URL/],
      [['--upload', `http://example.com/reports?${secret}`], {}, /^batch-preflight: --upload http:\/\/example.com\/reports: must be https \(http only on a loopback address\)$/],
      [['--upload', `https://acct.blob.core.windows.net/reports?${secret}`], { BATCH_PREFLIGHT_UPLOAD_SAS: secret }, /^batch-preflight: --upload: a SAS token from --upload https:\/\/acct.blob.core.windows.net\/reports\?\.\.\. and from BATCH_PREFLIGHT_UPLOAD_SAS: give one$/],
      [['--upload', 'https://acct.blob.core.windows.net/reports', '--upload-sas-file', groupWritable], {}, /--upload-sas-file .*: refused: writable by group/],
      [['--upload', 'https://acct.blob.core.windows.net/reports?sv=2021&sp=cw'], {}, /^batch-preflight: --upload https:\/\/acct.blob.core.windows.net\/reports\?\.\.\.: not a SAS token \(it has no sig= parameter\)$/],
      [['--upload', 'https://acct.blob.core.windows.net/reports/extra/path'], {}, /expected a container URL/],
      [['--upload-sas-file', groupWritable], {}, /^batch-preflight: --upload-sas-file needs --upload URL$/],
    ];
    for (const [args, env, message] of cases) {
      const r = await runBundleAsync([...READY, ...args], env);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(message);
      expect(r.stderr).not.toContain('dG9wc2VjcmV0');
    }
  });
});

describe('run --upload with the managed identity (loopback IMDS and a blob endpoint that takes only its token)', () => {
  it('asks IMDS for a Storage token and sends it as a bearer token with a Storage version that accepts one', async () => {
    const pair = await identityPair('token-abc');
    try {
      const r = await run(READY, ['--upload', pair.blobUrl, '--upload-client-id', '11111111-2222-3333-4444-555555555555'], { [IMDS_URL_ENV]: pair.imdsUrl });
      expect(r.status).toBe(0);
      expect(r.stderr).not.toMatch(/upload failed/);
      expect(pair.tokenRequests).toHaveLength(1);
      const q = pair.tokenRequests[0]!;
      // learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token
      expect(q.metadata).toBe('true');
      expect(Object.fromEntries(q.query)).toEqual({ 'api-version': '2018-02-01', resource: 'https://storage.azure.com/', client_id: '11111111-2222-3333-4444-555555555555' });
      expect(pair.blobRequests.map((b) => [b.method, b.headers['x-ms-blob-type'], b.headers['x-ms-meta-verdict']])).toEqual([
        ['PUT', 'BlockBlob', 'READY'],
        ['PUT', 'BlockBlob', 'READY'],
      ]);
      expect(pair.blobRequests[1]!.path).toBe(`/devstoreaccount1/reports/_no-pool/${r.report.host.hostname}/latest.json`);
      expect(JSON.parse(pair.blobRequests[1]!.body).startedAt).toBe(r.report.startedAt);
      for (const text of [r.stdout, r.stderr, r.reportText, r.logText]) expect(text).not.toContain('token-abc');
    } finally {
      await pair.close();
    }
  });

  it('summarize reads the container with the managed identity too', async () => {
    const pair = await identityPair('token-xyz');
    try {
      const up = await run(NOT_READY, ['--upload', pair.blobUrl], { [IMDS_URL_ENV]: pair.imdsUrl });
      expect(up.stderr).not.toMatch(/upload failed/);
      const s = await runBundleAsync(['summarize', '--format', 'json', pair.blobUrl], { [IMDS_URL_ENV]: pair.imdsUrl });
      expect(s.stderr).toBe('');
      expect(s.status).toBe(1);
      expect(JSON.parse(s.stdout)).toMatchObject({ reports: 1, readyNodes: 0, failedNodes: [up.report.host.hostname] });
      // One token per process; the listing and the read carried it.
      expect(pair.tokenRequests).toHaveLength(2);
      expect(pair.blobRequests.filter((b) => b.method === 'GET').map((b) => b.path.replace(/\?.*/, ''))).toEqual(['/devstoreaccount1/reports', `/devstoreaccount1/reports/_no-pool/${up.report.host.hostname}/latest.json`]);
    } finally {
      await pair.close();
    }
  });

  it('a node without an identity: the upload fails in one line, the verdict stands', async () => {
    const pair = await identityPair('token-abc', 400);
    try {
      const r = await run(NOT_READY, ['--upload', pair.blobUrl], { [IMDS_URL_ENV]: pair.imdsUrl });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/upload failed \(the verdict stands\): PUT .*: no managed identity token: the instance metadata service answered HTTP 400 \(no identity on this VM/);
      expect(pair.blobRequests).toEqual([]);
    } finally {
      await pair.close();
    }
  });
});

describe('listing a container (List Blobs, paged by NextMarker)', () => {
  it('follows every page', async () => {
    const { BlobClient } = await import('../../src/upload/client');
    const { listBlobNames } = await import('../../src/upload/list');
    const { containerTarget } = await import('../../src/upload/container');
    const c = await container('rl');
    const names = ['p/a/latest.json', 'p/b/latest.json', 'p/c/latest.json', 'p/d/latest.json', 'p/e/latest.json'];
    for (const name of names) await az.service.getContainerClient(c.name).getBlockBlobClient(name).upload('{}', 2);
    const client = new BlobClient(containerTarget({ flag: 'test', url: `${c.url}?${c.sas}`, sasFileFlag: '--sas-file', clientIdFlag: '--client-id' }), {}, AbortSignal.timeout(10_000));
    try {
      expect(await listBlobNames(client, 2)).toEqual(names);
    } finally {
      client.close();
    }
  });
});
