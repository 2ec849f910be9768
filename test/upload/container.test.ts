// The pure parts of the Blob storage upload: container URLs and where their SAS comes from, the
// redaction of the token from any text, blob names and metadata, and which blob of a node folder
// summarize reads. The HTTP side is tested against Azurite (upload-azurite.test.ts).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { containerTarget, redact, requestUrl, type ContainerOptions } from '../../src/upload/container';
import { blobNames, reportMetadata, segment } from '../../src/upload/upload';
import { latestPerNode } from '../../src/upload/list';
import { tokenUrl } from '../../src/upload/identity';
import { childEnvironment, confineProcessEnv } from '../../src/host/child-env';
import type { Report } from '../../src/report/report';

const SAS = 'sv=2021-08-06&se=2030-01-01T00%3A00%3A00Z&sr=c&sp=cw&sig=abc%2Bdef%2F%3D';
const opts = (url: string, more: Partial<ContainerOptions> = {}): ContainerOptions => ({ flag: '--upload', url, sasFileFlag: '--upload-sas-file', clientIdFlag: '--upload-client-id', ...more });

describe('containerTarget', () => {
  it('splits the SAS off the URL: what is shown has no query', () => {
    const t = containerTarget(opts(`https://acct.blob.core.windows.net/reports/?${SAS}`));
    expect(t.shown).toBe('https://acct.blob.core.windows.net/reports');
    expect(t.auth).toEqual({ kind: 'sas', sas: SAS });
  });

  it('without a SAS anywhere, the managed identity (with its client id when given)', () => {
    expect(containerTarget(opts('https://acct.blob.core.windows.net/reports')).auth).toEqual({ kind: 'identity' });
    expect(containerTarget(opts('https://acct.blob.core.windows.net/reports', { clientId: 'cid' })).auth).toEqual({ kind: 'identity', clientId: 'cid' });
  });

  it('reads the SAS from a trusted file (leading ? and newline dropped) or the environment', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-sas-'));
    const file = path.join(dir, 'sas');
    writeFileSync(file, `?${SAS}\n`, { mode: 0o600 });
    expect(containerTarget(opts('https://acct.blob.core.windows.net/reports', { sasFile: file })).auth).toEqual({ kind: 'sas', sas: SAS });
    expect(containerTarget(opts('https://acct.blob.core.windows.net/reports', { sasEnv: SAS })).auth).toEqual({ kind: 'sas', sas: SAS });
  });

  it('takes http only on a loopback address (Azurite), where the account is the first path segment', () => {
    expect(containerTarget(opts(`http://127.0.0.1:10000/devstoreaccount1/reports?${SAS}`)).shown).toBe('http://127.0.0.1:10000/devstoreaccount1/reports');
    expect(() => containerTarget(opts('http://acct.blob.core.windows.net/reports'))).toThrow(/must be https/);
    expect(() => containerTarget(opts('http://127.0.0.1:10000/reports'))).toThrow(/expected a container URL/);
    expect(() => containerTarget(opts('https://acct.blob.core.windows.net/'))).toThrow(/expected a container URL/);
  });

  it('refuses two SAS tokens, a token and a client id, a query without sig=, and a user in the URL', () => {
    expect(() => containerTarget(opts(`https://a.blob.core.windows.net/r?${SAS}`, { sasEnv: SAS }))).toThrow(/give one/);
    expect(() => containerTarget(opts(`https://a.blob.core.windows.net/r?${SAS}`, { clientId: 'x' }))).toThrow(/--upload-client-id names a managed identity, but a SAS token was given too/);
    expect(() => containerTarget(opts('https://a.blob.core.windows.net/r?sv=1&sp=cw'))).toThrow(/not a SAS token \(it has no sig= parameter\)$/);
    expect(() => containerTarget(opts('https://u:p@a.blob.core.windows.net/r'))).toThrow(/no user, password/);
  });
});

describe('requestUrl and redact', () => {
  const t = containerTarget(opts(`https://acct.blob.core.windows.net/reports?${SAS}`));

  it('puts the operation query before the SAS, and encodes each blob name segment', () => {
    expect(requestUrl(t, 'pool/node 1/latest.json')).toBe(`https://acct.blob.core.windows.net/reports/pool/node%201/latest.json?${SAS}`);
    expect(requestUrl(t, null, { restype: 'container', comp: 'list' })).toBe(`https://acct.blob.core.windows.net/reports?restype=container&comp=list&${SAS}`);
  });

  it('cuts the token, and its signature in either spelling, out of any text', () => {
    const url = requestUrl(t, 'a.json');
    expect(redact(t, `failed: ${url}`)).toBe('failed: https://acct.blob.core.windows.net/reports/a.json?<SAS>');
    expect(redact(t, 'sig abc+def/= and abc%2Bdef%2F%3D')).toBe('sig <sig> and <sig>');
  });
});

const report = (over: Partial<Report>): Report =>
  ({ startedAt: '2026-12-07T04:06:25.123Z', host: { hostname: 'vm-1' }, summary: { pass: 3, warn: 1, fail: 2, skip: 4, error: 0, strict: false, ok: false }, ...over }) as Report;

describe('blob names and metadata', () => {
  it('names a node run POOL/NODE/START.json (sortable UTC time) and POOL/NODE/latest.json', () => {
    expect(blobNames(report({ batch: { poolId: 'pool-a', nodeId: 'tvmps_1' } }))).toEqual({ dir: 'pool-a/tvmps_1', run: 'pool-a/tvmps_1/2026-12-07T04-06-25.123Z.json', latest: 'pool-a/tvmps_1/latest.json' });
    expect(blobNames(report({})).dir).toBe('_no-pool/vm-1');
  });

  it('keeps ids to one safe segment: no slash, no dot-dot', () => {
    expect(segment('../etc')).toBe('.._etc');
    expect(segment('..')).toBe('_');
    expect(segment('a/b c')).toBe('a_b_c');
    expect(segment('')).toBe('_');
  });

  it('carries the verdict and counts as x-ms-meta-* headers', () => {
    expect(reportMetadata(report({ batch: { poolId: 'p', nodeId: 'n' } }))).toEqual({
      'x-ms-meta-verdict': 'NOT_READY',
      'x-ms-meta-pass': '3',
      'x-ms-meta-warn': '1',
      'x-ms-meta-fail': '2',
      'x-ms-meta-error': '0',
      'x-ms-meta-skip': '4',
      'x-ms-meta-startedat': '2026-12-07T04:06:25.123Z',
      'x-ms-meta-nodeid': 'n',
      'x-ms-meta-poolid': 'p',
    });
    expect(reportMetadata(report({ summary: { pass: 1, warn: 0, fail: 0, skip: 0, error: 0, strict: false, ok: true } }))['x-ms-meta-verdict']).toBe('READY');
  });
});

describe('latestPerNode', () => {
  it('reads latest.json of a node folder, else its newest timestamped report', () => {
    const names = ['p/a/2026-01-01T00-00-00.000Z.json', 'p/a/latest.json', 'p/a/2026-02-01T00-00-00.000Z.json', 'p/b/2026-01-01T00-00-00.000Z.json', 'p/b/2026-03-01T00-00-00.000Z.json', 'p/b/2026-02-01T00-00-00.000Z.json', 'p/c/notes.txt'];
    expect(latestPerNode(names)).toEqual(['p/a/latest.json', 'p/b/2026-03-01T00-00-00.000Z.json']);
  });
});

describe('managed identity token URL', () => {
  it('is the IMDS token endpoint on the configured origin, for Storage', () => {
    expect(tokenUrl({ BATCH_PREFLIGHT_IMDS_URL: 'http://127.0.0.1:9/metadata/instance?api-version=2021-02-01' }, 'cid')).toBe(
      'http://127.0.0.1:9/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com%2F&client_id=cid',
    );
    expect(tokenUrl({})).toBe('http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com%2F');
  });
});

describe('the SAS in the environment', () => {
  it('never reaches a child process: the agent confines process.env before anything starts', () => {
    const saved = { ...process.env };
    process.env.BATCH_PREFLIGHT_UPLOAD_SAS = SAS;
    try {
      const caller = confineProcessEnv();
      expect(caller.BATCH_PREFLIGHT_UPLOAD_SAS).toBe(SAS);
      expect(process.env.BATCH_PREFLIGHT_UPLOAD_SAS).toBeUndefined();
      expect(Object.keys(childEnvironment())).not.toContain('BATCH_PREFLIGHT_UPLOAD_SAS');
    } finally {
      for (const k of Object.keys(process.env)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});
