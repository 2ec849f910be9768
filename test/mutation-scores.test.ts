// The README's mutation scores are those of the committed Stryker report
// (reports/stryker-incremental.json, written by `npm run mutate`), and that report covers every
// source file Stryker is told to mutate: a score cannot be copied by hand, go stale unnoticed, or
// leave a file out.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(__dirname, '..');
const SCOPES = ['checks/', 'src/firewall/', 'src/engine/'] as const;

interface Mutant { status: string }
const report = JSON.parse(readFileSync(path.join(REPO, 'reports/stryker-incremental.json'), 'utf8')) as { files: Record<string, { mutants: Mutant[] }> };

/** A README row's cells: mutants, killed, timed out, survived, no coverage, score (Stryker's definition). */
function row(files: string[]): string[] {
  const count = (s: string) => files.reduce((n, f) => n + report.files[f]!.mutants.filter((m) => m.status === s).length, 0);
  const [killed, timedOut, survived, noCoverage] = ['Killed', 'Timeout', 'Survived', 'NoCoverage'].map(count) as [number, number, number, number];
  const valid = killed + timedOut + survived + noCoverage;
  return [valid, killed, timedOut, survived, noCoverage].map(String).concat(`${((100 * (killed + timedOut)) / valid).toFixed(1)} %`);
}

describe('mutation scores', () => {
  it('the report covers every TypeScript file in the mutated folders', () => {
    for (const scope of SCOPES) {
      const sources = readdirSync(path.join(REPO, scope), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => `${scope}${f}`);
      expect(sources.filter((f) => !(f in report.files)), scope).toEqual([]);
    }
  });

  it("the README's table is what the report says, per folder and in all", () => {
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| mutated | mutants |'));
    const cells = (label: string) => table.match(new RegExp(`^\\| ${label.replace(/[/.]/g, '\\$&')} \\| (.*) \\|$`, 'm'))?.[1]?.split(' | ');
    const files = Object.keys(report.files);
    for (const scope of SCOPES) expect(cells(`\`${scope}\``), scope).toEqual(row(files.filter((f) => f.startsWith(scope))));
    expect(cells('all'), 'all').toEqual(row(files.filter((f) => SCOPES.some((s) => f.startsWith(s)))));
  });
});
