// Bundles bench/bench.ts (it shares the test sandbox) and runs it.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';

await build({ entryPoints: ['bench/bench.ts'], outfile: 'dist/bench.cjs', bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' });
try {
  execFileSync(process.execPath, ['dist/bench.cjs'], { stdio: 'inherit' });
} catch {
  // The bench printed why; it never fails anything else.
  process.exitCode = 1;
}
