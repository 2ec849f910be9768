import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE, runCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/host';

const READY = path.join(FIXTURES, 'hosts/ubuntu2204-ready');

function killAfter(args: string[], ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BUNDLE, ...args], { stdio: 'ignore' });
    setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => resolve());
  });
}

describe('the report under SIGKILL', () => {
  it('is always either the previous report or a complete new one, and reruns leave no temp files', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-kill-'));
    const file = path.join(dir, 'report.json');
    const previous = JSON.stringify({ previous: true });
    writeFileSync(file, previous);
    const seen = new Set<string>();
    for (let i = 0; i < 24; i++) {
      await killAfter(['--root', READY, '--report', file, '--format', 'json'], 20 + ((i * 37) % 160));
      const text = readFileSync(file, 'utf8');
      const parsed = JSON.parse(text); // throws on a truncated report
      seen.add(parsed.previous ? 'previous' : 'new');
      if (!parsed.previous) expect(parsed.schemaVersion).toBe(2);
    }
    // A complete run cleans temp files that killed runs left behind.
    expect([0, 1]).toContain(runCli(['--root', READY, '--report', file]).status);
    expect(readdirSync(dir)).toEqual(['report.json']);
    expect(seen.size).toBeGreaterThan(0);
  });
});
