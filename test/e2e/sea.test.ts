import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { SEA, runCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/host';

describe('the standalone binary', () => {
  // The sandbox test (test/live/sea.test.ts) also removes every node binary from the machine.
  it('answers --version under env -i', () => {
    const r = spawnSync('/usr/bin/env', ['-i', SEA, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')).version);
  });

  it('ignores NODE_OPTIONS, which plain node obeys', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-node-options-'));
    writeFileSync(path.join(dir, 'evil.js'), `require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'ran'))}, '');`);
    const env = { PATH: process.env.PATH, NODE_OPTIONS: `--require ${path.join(dir, 'evil.js')}` };
    expect(spawnSync(SEA, ['--version'], { env }).status).toBe(0);
    expect(existsSync(path.join(dir, 'ran'))).toBe(false);
    spawnSync(process.execPath, ['-e', '0'], { env });
    expect(existsSync(path.join(dir, 'ran'))).toBe(true);
  });

  it('runs the checks and matches its published checksum', () => {
    const r = runCli(['--root', path.join(FIXTURES, 'hosts/ubuntu2204-ready'), '--format', 'json'], { sea: true, env: {} });
    expect(JSON.parse(r.stdout).checks.length).toBeGreaterThan(2);
    const [sum, name] = readFileSync(`${SEA}.sha256`, 'utf8').trim().split(/\s+/);
    expect(name).toBe(path.basename(SEA));
    expect(createHash('sha256').update(readFileSync(SEA)).digest('hex')).toBe(sum);
  });
});
