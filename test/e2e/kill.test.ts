// The report under SIGKILL: what atomic means, measured. The agent writes a big report (500 checks
// with long fixes, ~2.6 MB) while this test watches the directory in a tight loop and kills it
// with SIGKILL as soon as the write shows (a new file appears, or the report itself changes),
// sometimes at once, sometimes a little later. After every kill the report must be the previous one
// or a whole new one, never a prefix; a temp file left behind proves the kill landed mid-write.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE, runCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/host';
import { builtinChecks } from '../../checks/index';
import { SCHEMA_VERSION } from '../../src/report/report';

const READY = path.join(FIXTURES, 'hosts/ubuntu2204-ready');
const BULK_CHECKS = 500;
const RUNS = 8;
/** When each run is killed: polls after its write shows, or once the report was replaced. */
const KILL_AT = [0, 0, 10, 1000, 'replaced'] as const;

/** A checks file whose checks all fail (the files are absent), each with a 5 KB fix: a big report. */
function bulkChecksFile(dir: string): string {
  const fix = 'reinstall the site package '.repeat(200);
  const lines = ['checks:'];
  for (let i = 0; i < BULK_CHECKS; i++) lines.push(`  - id: bulk.c${i}`, `    title: bulk check ${i}`, `    remediation: ${fix}`, `    file: { path: /etc/bp-bulk-${i} }`);
  const file = path.join(dir, 'bulk.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const fingerprint = (file: string): string => {
  const s = statSync(file);
  return `${s.ino}:${s.size}:${s.mtimeMs}`;
};

/**
 * Runs the agent and SIGKILLs it `extraPolls` directory polls after its write first shows (a new
 * entry in the directory, or the report's inode, size or mtime changing), or, with 'replaced', as
 * soon as the report itself changed. Returns whether the write showed before the agent exited.
 */
function killDuringWrite(args: string[], dir: string, report: string, extraPolls: number | 'replaced'): Promise<{ sawWrite: boolean }> {
  const before = fingerprint(report);
  const names = new Set(readdirSync(dir));
  const child = spawn(process.execPath, [BUNDLE, ...args], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  let sawWrite = false;
  let polls = 0;
  // A synchronous loop: nothing else in this process runs between a poll and the kill.
  while (Date.now() < deadline) {
    const replaced = fingerprint(report) !== before;
    if (replaced || readdirSync(dir).some((n) => !names.has(n))) sawWrite = true;
    if (extraPolls === 'replaced' ? replaced : sawWrite && polls++ >= extraPolls) break;
  }
  child.kill('SIGKILL');
  return exited.then(() => ({ sawWrite }));
}

describe('the report under SIGKILL', () => {
  it('is always the previous report or a whole new one, kills land mid-write, and a rerun leaves no temp files', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-kill-'));
    const checksFile = bulkChecksFile(dir);
    const out = mkdtempSync(path.join(os.tmpdir(), 'bp-kill-out-'));
    const report = path.join(out, 'report.json');
    writeFileSync(report, JSON.stringify({ previous: true }));
    const args = ['--root', READY, '--checks-file', checksFile, '--report', report, '--format', 'tap'];

    let midWrite = 0;
    let replaced = 0;
    for (let i = 0; i < RUNS; i++) {
      const previous = readFileSync(report, 'utf8');
      const names = new Set(readdirSync(out));
      const { sawWrite } = await killDuringWrite(args, out, report, KILL_AT[i % KILL_AT.length]!);
      expect(sawWrite, 'the agent exited before its write could be seen').toBe(true);
      const text = readFileSync(report, 'utf8');
      if (text !== previous) {
        // Not the previous report: then a whole new one.
        const parsed = JSON.parse(text);
        expect(parsed.schemaVersion).toBe(SCHEMA_VERSION);
        expect(parsed.checks).toHaveLength(BULK_CHECKS + builtinChecks.length);
        replaced++;
      }
      // A file that appeared during this run and is still there was being written when the kill landed.
      if (readdirSync(out).some((n) => !names.has(n))) midWrite++;
    }
    // Measured: kills landed while the new report was being written, and never showed half of it.
    console.log(`SIGKILL: ${midWrite} of ${RUNS} kills landed mid-write, ${replaced} after the new report was in place`);
    expect(midWrite, `${midWrite} of ${RUNS} kills landed mid-write`).toBeGreaterThanOrEqual(1);

    // A complete run removes the temp files that killed runs left behind.
    expect([0, 1]).toContain(runCli(['--root', READY, '--report', report]).status);
    expect(readdirSync(out)).toEqual(['report.json']);
  });
});
