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

describe('no shell and one way to run commands', () => {
  it('finds the sources to scan', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('never asks for a shell', () => {
    const offenders = files.filter((f) => /shell\s*:\s*true|execSync|(?<![.\w])exec\s*\(\s*['"`]|['"`](\/bin\/)?(ba)?sh['"`]\s*,\s*\[\s*['"`]-c/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(REPO, f))).toEqual([]);
  });

  it('spawns processes only in the host layer', () => {
    const spawners = files.filter((f) => /from ['"](node:)?child_process['"]|from ['"]execa['"]|import\(['"]execa['"]\)|require\(['"](node:)?child_process['"]\)/.test(readFileSync(f, 'utf8')));
    expect(spawners.map((f) => path.relative(REPO, f))).toEqual(['src/host/exec.ts']);
  });

  it('checks touch the machine only through ctx.host', () => {
    const direct = sources(path.join(REPO, 'checks')).filter((f) => /from ['"](node:)?(fs|fs\/promises|net|http|https|child_process|dgram)['"]/.test(readFileSync(f, 'utf8')));
    expect(direct.map((f) => path.relative(REPO, f))).toEqual([]);
  });
});
