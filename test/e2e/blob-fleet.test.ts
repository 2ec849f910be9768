// Done for issue 24: Azurite boots, the agent runs as several Batch "nodes" of two pools (start-task
// mode, AZ_BATCH_POOL_ID / AZ_BATCH_NODE_ID set as Batch sets them) that each upload their report,
// and `summarize` of the container says exactly what `summarize` of the same reports on disk says.
// A node's report on disk is overwritten by its next run, as in the node's shared directory; in the
// container every run stays and latest.json is the one read.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startAzurite, type Azurite } from '../helpers/azurite';
import { runBundleAsync } from '../helpers/bundle';

let az: Azurite;
let tmp: string;
beforeAll(async () => {
  az = await startAzurite();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'bp-fleet-'));
});
afterAll(async () => {
  await az?.stop();
});

/** A site check that passes on a node whose marker file says ok: the test decides each node's verdict. */
function checksFile(node: string): { file: string; marker: string } {
  const marker = path.join(tmp, `marker-${node}`);
  const file = path.join(tmp, `checks-${node}.yaml`);
  // Two site checks and nothing of this machine's own state, so the verdicts are the test's on any CI host.
  writeFileSync(file, `checks:\n  - id: site.marker\n    title: node marker says ok\n    file: { path: ${marker}, contains: marker-ok }\n  - id: site.checks-file\n    title: checks file present\n    file: { path: ${file}, contains: site.marker }\n`, { mode: 0o644 });
  return { file, marker };
}

async function node(container: string, sasFile: string, disk: string, pool: string, id: string, ready: boolean) {
  const { file, marker } = checksFile(id);
  writeFileSync(marker, ready ? 'marker-ok\n' : 'marker-bad\n');
  mkdirSync(path.join(disk, id), { recursive: true });
  const r = await runBundleAsync(
    ['--mode', 'start-task', '--checks-file', file, '--only', 'site.marker,site.checks-file', '--report', path.join(disk, id, 'report.json'), '--upload', container, '--upload-sas-file', sasFile],
    { AZ_BATCH_POOL_ID: pool, AZ_BATCH_NODE_ID: id },
    30_000,
  );
  expect(r.stderr).not.toMatch(/upload failed/);
  expect(r.status, r.stderr).toBe(ready ? 0 : 1);
}

it('summarize of the container equals summarize of the same reports on disk', async () => {
  const container = await az.container('fleet');
  const write = path.join(tmp, 'write.sas');
  const read = path.join(tmp, 'read.sas');
  writeFileSync(write, az.sas('fleet', 'cw'), { mode: 0o600 });
  writeFileSync(read, az.sas('fleet', 'rl'), { mode: 0o600 });
  const disk = path.join(tmp, 'disk');
  const nodes: [string, string, boolean][] = [
    ['pool-a', 'tvm-1', true],
    ['pool-a', 'tvm-2', false],
    ['pool-a', 'tvm-3', true],
    ['pool-a', 'tvm-10', false],
    ['pool-b', 'tvm-1b', true],
  ];
  await Promise.all(nodes.map(([pool, id, ready]) => node(container, write, disk, pool, id, ready)));
  // tvm-2 is fixed and runs again: its newer report (READY) is the one that counts, in both places.
  await node(container, write, disk, 'pool-a', 'tvm-2', true);

  const fromDisk = await runBundleAsync(['summarize', '--format', 'json', disk]);
  const fromBlob = await runBundleAsync(['summarize', '--format', 'json', container, '--sas-file', read]);
  expect(fromBlob.stderr).toBe('');
  expect(fromBlob.status).toBe(fromDisk.status);
  expect(fromDisk.status).toBe(1);
  const summary = JSON.parse(fromBlob.stdout);
  expect(summary).toEqual(JSON.parse(fromDisk.stdout));
  expect(summary.reports).toBe(5);
  expect(summary.readyNodes).toBe(4);
  expect(summary.failedNodes).toEqual(['tvm-10']);
  // The human summary too, and with the SAS in the URL instead of a file.
  const humanDisk = await runBundleAsync(['summarize', disk]);
  const humanBlob = await runBundleAsync(['summarize', `${container}?${az.sas('fleet', 'rl')}`]);
  expect(humanBlob.stdout).toBe(humanDisk.stdout);

  // Every run stayed in the container: tvm-2 has two timestamped reports and latest.json.
  const names: string[] = [];
  for await (const b of az.service.getContainerClient('fleet').listBlobsFlat({ prefix: 'pool-a/tvm-2/' })) names.push(b.name);
  expect(names.filter((n) => n !== 'pool-a/tvm-2/latest.json')).toHaveLength(2);
  expect(names).toContain('pool-a/tvm-2/latest.json');
});

it('summarize of a container it may not list is one line and exit 2, without the token', async () => {
  const container = await az.container('nolist');
  const sas = az.sas('nolist', 'cw');
  const r = await runBundleAsync(['summarize', `${container}?${sas}`]);
  expect(r.status).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^batch-preflight: summarize: GET http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/nolist: HTTP 403 /);
  expect(r.stderr).not.toContain(new URLSearchParams(sas).get('sig')!);
});
