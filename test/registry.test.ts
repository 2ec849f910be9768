// The registry of built-in checks (checks/index.ts) keeps its promises: ids, dependencies, areas,
// an explain page, docs/checks.md. Its tests for each verdict: test/registry-verdict-tests.test.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../checks/index';
import { CHECK_AREAS } from '../src/check-areas';
import { explain, listMarkdown } from '../src/cli/catalogue';

const REPO = path.resolve(__dirname, '..');
const ids = builtinChecks.map((c) => c.id);

describe('the registry of built-in checks', () => {
  it('has unique ids: lower-case words joined by dots, the --only/--skip keys', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/);
  });

  it('has every dependsOn naming a check that runs before it (known, no cycle)', () => {
    const position = new Map(ids.map((id, i) => [id, i]));
    for (const c of builtinChecks) {
      for (const d of c.dependsOn) {
        expect(ids, `${c.id} depends on ${d}`).toContain(d);
        // Listed earlier: the registry order is a topological order, so there is no cycle.
        expect(position.get(d)!, `${c.id} depends on ${d}, listed after it`).toBeLessThan(position.get(c.id)!);
      }
    }
  });

  it('puts every check in one of the closed set of areas, each area used, in report order', () => {
    for (const c of builtinChecks) expect(CHECK_AREAS, c.id).toContain(c.area);
    const used = [...new Set(builtinChecks.map((c) => c.area))];
    expect(used).toEqual([...CHECK_AREAS]);
  });

  it("matches the README's check table: the same areas, the same ids under each", () => {
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| area | ids |'));
    const rows = [...table.matchAll(/^\| `([a-z]+)` \| (.*) \|$/gm)].map((m) => [m[1]!, [...m[2]!.matchAll(/`([^`]+)`/g)].map((x) => x[1]!)] as const);
    const registry = CHECK_AREAS.map((a) => [a, builtinChecks.filter((c) => c.area === a).map((c) => c.id)] as const);
    expect(rows).toEqual(registry);
  });

  it('gives every check an explain page with what it checks and how to fix it', () => {
    for (const c of builtinChecks) {
      expect(c.title.trim(), c.id).not.toBe('');
      expect(c.description.trim().length, `${c.id} description`).toBeGreaterThan(40);
      expect(c.fix.trim().length, `${c.id} fix`).toBeGreaterThan(10);
      const page = explain(c);
      expect(page).toContain(c.description);
      expect(page).toContain(c.fix.split('\n')[0]);
    }
  });

  // Where each check applies (features, targets, modes, VM size, live) is pinned here against the
  // source, not only through the built bundle: a changed `features` or `live` of one check fails.
  it('is what docs/checks.md describes (regenerate it with `list --format markdown` when this fails)', () => {
    expect(listMarkdown(builtinChecks)).toBe(readFileSync(path.join(REPO, 'docs/checks.md'), 'utf8'));
  });

});
