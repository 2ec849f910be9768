// The mutation scores in CONTRIBUTING.md and docs/mutation.md are those of the committed Stryker report
// (reports/stryker-incremental.json, written by `npm run mutate`), and that report covers every
// source file Stryker is told to mutate: a score cannot be typed by hand, go stale unnoticed, or
// leave a file out. `npm run mutate:scores` prints the tables to paste.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script, without types
import { fileTable, folderTable, HEADER, readReport, REPO, SCOPES } from '../scripts/mutation-scores.mjs';

const report = readReport() as { files: Record<string, { source?: string }> };

/** The table in a document that starts with the score table's header. */
function tableIn(doc: string): string {
  const text = readFileSync(path.join(REPO, doc), 'utf8');
  const start = text.indexOf(HEADER);
  expect(start, `${doc} has no mutation score table`).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n\n', start);
  return text.slice(start, end === -1 ? undefined : end).trimEnd();
}

describe('mutation scores', () => {
  it('the report covers every TypeScript file in the mutated folders', () => {
    for (const scope of SCOPES as string[]) {
      const sources = readdirSync(path.join(REPO, scope), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => `${scope}${f}`);
      expect(sources.filter((f) => !(f in report.files)), scope).toEqual([]);
    }
  });

  it('the report was made from the sources as they are now (an edit since needs `npm run mutate`)', () => {
    const stale = Object.entries(report.files)
      .filter(([f]) => (SCOPES as string[]).some((s) => f.startsWith(s)))
      .filter(([f, entry]) => {
        try {
          return entry.source !== readFileSync(path.join(REPO, f), 'utf8');
        } catch {
          return true; // a file the report has and the tree no longer does
        }
      })
      .map(([f]) => f);
    expect(stale).toEqual([]);
  });

  it("CONTRIBUTING.md's table is the report's, per folder and in all", () => {
    expect(tableIn('CONTRIBUTING.md')).toBe(folderTable(report));
  });

  it("docs/mutation.md's table is the report's, per file", () => {
    expect(tableIn('docs/mutation.md')).toBe(fileTable(report));
  });
});
