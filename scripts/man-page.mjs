// `npm run man`: writes docs/batch-preflight.1, the man page, from the same source as `--help`: the
// built bundle's help text of each command, set as roff. test/cli/man-page.test.ts holds the
// committed page to what this prints, so the two cannot drift apart.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bundle = path.join(repo, 'dist/batch-preflight.cjs');
// `run` is the default command: its help is the overview.
const COMMANDS = ['list', 'explain', 'summarize', 'schema', 'baseline capture', 'completion'];

// Help is laid out for a 100-column terminal whatever this one is.
const help = (args) => execFileSync(process.execPath, [bundle, ...args, '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH, COLUMNS: '100' } });
const version = execFileSync(process.execPath, [bundle, '--version'], { encoding: 'utf8' }).trim();

/** Text as roff: backslashes doubled, a leading dot or quote kept from being read as a request. */
const roff = (text) =>
  text
    .replace(/\\/g, '\\e')
    .split('\n')
    .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
    .join('\n');

export function manPage() {
  const out = [
    `.TH BATCH-PREFLIGHT 1 "" "batch-preflight ${version}" "User Commands"`,
    '.SH NAME',
    'batch-preflight \\- tell whether a Linux host is fit to be an Azure Batch compute node, and how to fix what is not',
    '.SH SYNOPSIS',
    '.B batch-preflight',
    '[\\fIcommand\\fR] [\\fIoptions\\fR]',
    '.SH DESCRIPTION',
    'Runs as the pool\'s start task, on the image-build VM, as a CI smoke test in a container, or offline against an image root (\\fB--root\\fR).',
    'The sections below are the help text of each command (\\fBbatch-preflight \\fIcommand\\fB --help\\fR).',
  ];
  out.push('.SH OVERVIEW', '.nf', roff(help([]).trimEnd()), '.fi');
  for (const c of COMMANDS) out.push(`.SH COMMAND: ${c.toUpperCase()}`, '.nf', roff(help(c.split(' ')).trimEnd()), '.fi');
  out.push(
    '.SH EXIT STATUS',
    '.TP',
    '0',
    'at least one check ran and none failed (warnings allowed without \\fB--strict\\fR)',
    '.TP',
    '1',
    'a check failed or erred (or warned, under \\fB--strict\\fR), or nothing was checked',
    '.TP',
    '2',
    'bad invocation, an invalid input file, or a place to write that the agent refuses',
    '.TP',
    '3',
    'an internal error in the agent',
    '.SH SEE ALSO',
    'The README and SECURITY.md of the batch-preflight package; \\fBbatch-preflight explain\\fR \\fIid\\fR for each check.',
  );
  return out.join('\n') + '\n';
}

if (process.argv[1] === new URL(import.meta.url).pathname) writeFileSync(path.join(repo, 'docs/batch-preflight.1'), manPage());
