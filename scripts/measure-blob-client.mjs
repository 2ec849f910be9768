// Measures what uploading a report costs with @azure/storage-blob against plain node:https (the
// choice behind src/upload/, README "Reports in Blob storage"): the bundled size each adds and the
// time to load it, as the agent would on the first upload. Run: node scripts/measure-blob-client.mjs
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-measure-'));
const RUNS = 15;

const entries = {
  // The SDK's smallest upload: a container client and one block blob upload with metadata.
  sdk: "import { ContainerClient } from '@azure/storage-blob';\nexport const up = (u, b) => new ContainerClient(u).getBlockBlobClient('p/n/latest.json').upload(b, b.length, { metadata: { verdict: 'READY' } });\n",
  // What the agent bundles: its own upload module (node:https, retries, SAS, managed identity).
  plain: `export { uploadReport } from ${JSON.stringify(path.join(REPO, 'src/upload/upload.ts'))};\n`,
};

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [name, code] of Object.entries(entries)) {
  const src = path.join(dir, `${name}.mjs`);
  const out = path.join(dir, `${name}.cjs`);
  writeFileSync(src, code);
  await build({ entryPoints: [src], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, legalComments: 'none', nodePaths: [path.join(REPO, 'node_modules')], define: { 'import.meta.url': '__u' }, banner: { js: "var __u=require('url').pathToFileURL(__filename).href;" }, logLevel: 'error' });
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const t = execFileSync(process.execPath, ['-e', `const t=process.hrtime.bigint();require(${JSON.stringify(out)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`], { encoding: 'utf8' });
    ms.push(Number(t));
  }
  const bytes = statSync(out).size;
  console.log(`${name.padEnd(6)} bundle ${(bytes / 1024).toFixed(0).padStart(5)} KiB (gzip ${(gzipSync(readFileSync(out)).length / 1024).toFixed(0).padStart(4)} KiB), load median ${median(ms).toFixed(1)} ms of ${RUNS} (min ${Math.min(...ms).toFixed(1)})`);
}
