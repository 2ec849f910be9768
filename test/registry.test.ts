// The registry of built-in checks (checks/index.ts) keeps its promises: ids, dependencies, areas,
// an explain page, and tests for each verdict. A new check that skips one of these fails here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../checks/index';
import { CHECK_AREAS } from '../src/check-areas';
import { explain, listMarkdown } from '../src/cli/catalogue';

const REPO = path.resolve(__dirname, '..');
const ids = builtinChecks.map((c) => c.id);

/**
 * Every built-in check has tests named for these cases (test/checks/, titles under a describe
 * that starts with the check's id, or titles that name it): it passes; it fails (or, for checks that only ever warn,
 * warns); what it looks for is missing; and what it reads or runs is broken (crashes, hangs,
 * prints garbage, cannot be read), which must never pass.
 */
const VERDICT_CASES: Record<string, RegExp> = {
  pass: /\bpass(es|ed)?\b/,
  fail: /\b(fails?|warns?)\b/,
  missing: /\b(missing|not installed|absent|does not exist)\b/,
  broken: /\b(broken|garbage|hangs?|crash(es)?|cannot be read|unreadable|not valid|invalid|errors?)\b/,
};

/** The full names of the tests in test/checks/, as vitest collects them (describe.each expanded). */
function checkTestNames(): string[] {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-registry-')), 'tests.json');
  const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'list', `--json=${out}`, 'test/checks'], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(readFileSync(out, 'utf8')) as { name: string }[]).map((t) => t.name);
}

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

  it('has tests for pass, fail, missing and broken for every check', { timeout: 120_000 }, () => {
    const names = checkTestNames();
    const lacking = builtinChecks.flatMap((c) => {
      // A test is about a check when its describe starts with the id, or its own title names it.
      const titles = names
        .map((n) => (n.startsWith(`${c.id} `) ? n.slice(c.id.length) : n.slice(n.lastIndexOf(' > ') + 3)))
        .filter((t, i) => names[i]!.startsWith(`${c.id} `) || t.includes(c.id))
        .map((t) => t.toLowerCase());
      return Object.entries(VERDICT_CASES)
        .filter(([, pattern]) => !titles.some((t) => pattern.test(t)))
        .map(([name]) => `${c.id}: no test named for "${name}"`);
    });
    expect(lacking).toEqual([]);
  });
});
