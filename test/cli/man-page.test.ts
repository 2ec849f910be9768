// The man page is generated from the same source as --help (scripts/man-page.mjs runs the bundle's
// help of each command): the committed page is what it prints now, and it says what --help says.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO, runCli } from '../helpers/cli';
// @ts-expect-error: a plain ES module script without types
import { manPage } from '../../scripts/man-page.mjs';

describe('man page', () => {
  it('is the committed docs/batch-preflight.1 (regenerate it with `npm run man` when this fails)', () => {
    expect(readFileSync(path.join(REPO, 'docs/batch-preflight.1'), 'utf8')).toBe(manPage());
  });

  it("carries every command's help", () => {
    const page = manPage() as string;
    for (const c of ['list', 'explain', 'summarize', 'schema', 'baseline capture', 'completion']) expect(page).toContain(`.SH COMMAND: ${c.toUpperCase()}`);
    expect(page).toContain('--timeout');
    expect(runCli(['--help']).stdout).toContain('--timeout');
  });
});

describe('shell completion', () => {
  it('prints a completion script, and completes commands and the default command’s flags', () => {
    expect(runCli(['completion']).stdout).toMatch(/_batch-preflight_yargs_completions\(\)/);
    const words = (args: string[]) => runCli(['--get-yargs-completions', 'batch-preflight', ...args]).stdout.split('\n');
    expect(words(['su'])).toContain('summarize');
    expect(words(['--ti'])).toContain('--timeout');
    expect(words(['run', '--ti'])).toContain('--timeout');
    expect(words(['summarize', '--f'])).not.toContain('--timeout');
  });
});
