// Every built-in check has tests for each verdict: a new check without them fails here. This reads
// test titles (through `vitest list`), not the sources, so mutation testing leaves it out
// (vitest.mutate.config.ts): no mutant can change its answer, and it costs a nested vitest run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../checks/index';

const REPO = path.resolve(__dirname, '..');

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
