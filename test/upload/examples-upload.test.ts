// The --upload recipes (examples/upload-to-blob.md): the start-task command lines in
// examples/batch/pool-upload.json and examples/shipyard/pool-upload.yaml, run as written (on a
// fixture root in offline mode, the placeholders replaced) against Azurite and a loopback managed
// identity, upload the report where the recipe says; the SAS and read commands it shows are well-formed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { startAzurite, type Azurite } from '../helpers/azurite';
import { runBundleAsync } from '../helpers/bundle';
import { identityPair } from '../helpers/blob-servers';
import { FIXTURES } from '../helpers/host';
import { REPO } from '../helpers/cli';
import { IMDS_URL_ENV } from '../../src/host/imds';

const EXAMPLES = path.join(REPO, 'examples');
const PLACEHOLDER = 'https://<storage-account>.blob.core.windows.net/preflight-reports';
const ROOT = path.join(FIXTURES, 'hosts/ubuntu2204-ready');

let az: Azurite;
beforeAll(async () => {
  az = await startAzurite();
});
afterAll(async () => {
  await az?.stop();
});

/** The agent's words of a plain command line (no quoting inside the recipe's lines). */
function agentWords(line: string): string[] {
  const words = line.trim().split(/\s+/);
  return words.slice(words.findIndex((w) => /^(\.|\$d)\/batch-preflight-linux-\$a$/.test(w)) + 1);
}

/** The words made runnable here: offline on a fixture root, outputs in `wd`, the container replaced. */
function runnable(words: string[], wd: string, container: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.replaceAll('$AZ_BATCH_TASK_WORKING_DIR', wd);
    if (w === '--mode' || w === '--wait') i++;
    else if (w === '--output') out.push(w, `prometheus=${path.join(wd, 'out.prom')}`), i++;
    else out.push(w === PLACEHOLDER ? container : w);
  }
  return ['--root', ROOT, '--mode', 'offline', '--report', path.join(wd, 'report.json'), ...out];
}

function workingDir(files: Record<string, string>): string {
  const wd = mkdtempSync(path.join(os.tmpdir(), 'bp-recipe-'));
  mkdirSync(path.join(wd, 'batch-preflight'));
  for (const [name, from] of Object.entries(files)) copyFileSync(from, path.join(wd, 'batch-preflight', name));
  return wd;
}

describe('examples/shipyard/pool-upload.yaml', () => {
  const spec = parseYaml(readFileSync(path.join(EXAMPLES, 'shipyard/pool-upload.yaml'), 'utf8')).pool_specification;
  const line = (spec.additional_node_prep.commands.pre as string[]).find((c) => c.includes(' --mode start-task '))!;

  it('ships the SAS as a 0600 resource file and uploads with it', async () => {
    const sasFile = (spec.resource_files as { file_path: string; file_mode: string }[]).find((f) => f.file_path.endsWith('upload.sas'))!;
    expect(sasFile.file_mode).toBe('0600');
    const words = agentWords(line);
    expect(words[words.indexOf('--upload-sas-file') + 1]).toBe(`$AZ_BATCH_TASK_WORKING_DIR/${sasFile.file_path}`);
    expect(words[words.indexOf('--upload') + 1]).toBe(PLACEHOLDER);

    const container = await az.container('shipyard-recipe');
    const wd = workingDir({ 'pool.yaml': path.join(EXAMPLES, 'shipyard/pool.yaml'), 'config.yaml': path.join(EXAMPLES, 'shipyard/config.yaml') });
    writeFileSync(path.join(wd, sasFile.file_path), az.sas('shipyard-recipe', 'cw'), { mode: 0o600 });
    const r = await runBundleAsync(runnable(words, wd, container));
    expect(r.stderr).not.toMatch(/^batch-preflight: /m);
    expect([0, 1]).toContain(r.status);
    const report = JSON.parse(readFileSync(path.join(wd, 'report.json'), 'utf8'));
    expect(report.notes).toContain(`report uploaded to ${container}/_no-pool/${report.host.hostname}/${report.startedAt.replace(/:/g, '-')}.json (and _no-pool/${report.host.hostname}/latest.json)`);
  });
});

describe('examples/batch/pool-upload.json', () => {
  const fragment = JSON.parse(readFileSync(path.join(EXAMPLES, 'batch/pool-upload.json'), 'utf8'));
  const inner = (fragment.startTask.commandLine as string).match(/^\/bin\/sh -c '(.*)'$/)![1]!;

  it('gives the pool a user-assigned identity and uploads with it, by client id', async () => {
    expect(fragment.identity.type).toBe('UserAssigned');
    const words = agentWords(inner);
    expect(words[words.indexOf('--upload') + 1]).toBe(PLACEHOLDER);
    expect(words).toContain('--upload-client-id');
    const pair = await identityPair('recipe-token');
    try {
      const wd = workingDir({ 'pool.json': path.join(EXAMPLES, 'batch/pool.json') });
      const r = await runBundleAsync(runnable(words, wd, pair.blobUrl), { [IMDS_URL_ENV]: pair.imdsUrl });
      expect(r.stderr).not.toMatch(/^batch-preflight: /m);
      expect(pair.tokenRequests.map((t) => t.query.get('client_id'))).toEqual([words[words.indexOf('--upload-client-id') + 1]]);
      expect(pair.blobRequests.map((b) => b.method)).toEqual(['PUT', 'PUT']);
    } finally {
      await pair.close();
    }
  });
});

describe('examples/upload-to-blob.md', () => {
  const md = readFileSync(path.join(EXAMPLES, 'upload-to-blob.md'), 'utf8');

  it('makes a write-only SAS for the nodes and a read-and-list one for summarize, both expiring', () => {
    const sas = [...md.matchAll(/az storage container generate-sas[^\n]*\\\n([^\n]*)/g)].map((m) => m[0]);
    expect(sas).toHaveLength(2);
    expect(sas[0]).toMatch(/--permissions cw --expiry /);
    expect(sas[1]).toMatch(/--permissions rl --expiry /);
    for (const s of sas) expect(s).toMatch(/--https-only/);
    expect(md).toMatch(/batch-preflight summarize https:\/\/<storage-account>\.blob\.core\.windows\.net\/preflight-reports --sas-file read\.sas/);
  });
});
