import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from '../helpers/cli';

describe('npm pack', () => {
  it('yields a package whose bin runs the bundle with nothing else installed', () => {
    const dest = mkdtempSync(path.join(os.tmpdir(), 'bp-pack-'));
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dest], { cwd: REPO, stdio: 'ignore' });
    const tarball = readdirSync(dest).find((f) => f.endsWith('.tgz'))!;
    execFileSync('tar', ['-xzf', path.join(dest, tarball), '-C', dest]);
    const pkg = JSON.parse(readFileSync(path.join(dest, 'package/package.json'), 'utf8'));
    const bin = path.join(dest, 'package', pkg.bin['batch-preflight']);
    expect(readdirSync(path.join(dest, 'package')).sort()).toEqual(['README.md', 'SECURITY.md', 'dist', 'docs', 'package.json']);
    const r = spawnSync(process.execPath, [bin, 'list', '--format', 'json'], { encoding: 'utf8', cwd: dest });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).length).toBeGreaterThanOrEqual(25);
  });
});
