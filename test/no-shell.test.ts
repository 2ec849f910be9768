// No shell, ever. Which modules may start processes at all is a layering rule (.dependency-cruiser.cjs:
// child_process nowhere, execa only in src/host/exec.ts; test/layers.test.ts shows it bites); what
// no import graph shows is a shell asked for by option or by an `sh -c` argument list (and
// test/host-exec.test.ts shows arguments arrive literally).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|js|cjs|mjs)$/.test(name) ? [p] : [];
  });
}

const files = [...sources(path.join(REPO, 'src')), ...sources(path.join(REPO, 'checks'))];

describe('no shell', () => {
  it('finds the sources to scan', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('never asks for a shell', () => {
    const offenders = files.filter((f) => /shell\s*:\s*true|execSync|(?<![.\w])exec\s*\(\s*['"`]|['"`](\/bin\/)?(ba)?sh['"`]\s*,\s*\[\s*['"`]-c/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(REPO, f))).toEqual([]);
  });
});
