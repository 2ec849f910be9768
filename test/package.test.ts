// The npm package: the bundle carries every runtime library, so `npm install -g` of the packed
// tarball installs that one package and nothing beside it (issue 20: it used to pull 63), and the
// installed command runs from outside this repository, where no node_modules can help it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './helpers/cli';

const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: object; optionalDependencies?: object; peerDependencies?: object };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bp-pack-'));
const prefix = path.join(tmp, 'global');
// The Node that runs the tests, first on PATH, as the installed command's `#!/usr/bin/env node` needs.
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, NO_COLOR: '1', npm_config_cache: path.join(tmp, 'cache') };

function npm(args: string[]) {
  const r = spawnSync('npm', args, { cwd: REPO, env, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, `npm ${args.join(' ')}:\n${r.stdout}${r.stderr}`).toBe(0);
  return r.stdout;
}

let files: string[];
beforeAll(() => {
  // --ignore-scripts: the vitest globalSetup has just built the bundle that prepack would build.
  const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp])) as { filename: string; files: { path: string }[] }[];
  files = packed[0]!.files.map((f) => f.path).sort();
  // --offline: a package with no dependency needs no registry; one that had any would fail here.
  npm(['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', path.join(tmp, packed[0]!.filename)]);
}, 180_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the npm package', () => {
  it('declares no runtime dependency: the libraries are build-time dependencies of the bundle', () => {
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.optionalDependencies).toBeUndefined();
    expect(pkg.peerDependencies).toBeUndefined();
  });

  it('packs the bundle and its documents only', () => {
    expect(files).toEqual(['README.md', 'SECURITY.md', 'dist/batch-preflight.cjs', 'docs/batch-preflight.1', 'docs/checks.md', 'package.json'].sort());
  });

  it('installs globally as one package, with no node_modules beside it', () => {
    const installed = path.join(prefix, 'lib/node_modules');
    expect(readdirSync(installed)).toEqual([pkg.name]);
    expect(existsSync(path.join(installed, pkg.name, 'node_modules'))).toBe(false);
  });

  it('runs the installed command from outside the repository', () => {
    const bin = path.join(prefix, 'bin/batch-preflight');
    const version = spawnSync(bin, ['--version'], { cwd: tmp, env, encoding: 'utf8' });
    expect(version.stdout).toBe(`${pkg.version}\n`);
    // --inventory reads /proc and /sys: a full run with it from the installed package.
    const run = spawnSync(bin, ['--root', path.join(REPO, 'fixtures/hosts/ubuntu2204-ready'), '--inventory', '--format', 'json'], { cwd: tmp, env, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).not.toMatch(/Cannot find module/);
    expect(JSON.parse(run.stdout).tool).toEqual({ name: pkg.name, version: pkg.version });
  });
});
