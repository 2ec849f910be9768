// Bundles the CLI into one CommonJS file that runs with node >= 20 and nothing beside it.
import { build } from 'esbuild';
import { readFileSync, chmodSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src/cli/bin.ts'],
  outfile: 'dist/batch-preflight.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  // ESM dependencies (yargs) ask for import.meta.url; in a CommonJS bundle it is this file.
  define: { 'import.meta.url': '__bp_import_meta_url' },
  banner: { js: '#!/usr/bin/env node\nvar __bp_import_meta_url = require("url").pathToFileURL(__filename).href;' },
  // See the shim: the real string-width costs ~25 ms at every start for wrapping --help.
  alias: { 'string-width': './scripts/shims/string-width.mjs' },
  logLevel: 'warning',
  metafile: false,
});
chmodSync('dist/batch-preflight.cjs', 0o755);
console.error(`built dist/batch-preflight.cjs (${pkg.version})`);
