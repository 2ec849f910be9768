// The release folder that `npm run release` writes (and a version tag publishes): its checksums
// hold, and the linux-arm64 binary, run under user-mode emulation (qemu-user-static with the arm64
// C/C++ runtime of libc6-arm64-cross/libstdc++6-arm64-cross, as TESTING.md describes), says what
// the x64 one says: the same version, the same check list, and the same report over a fixture
// image tree, apart from timings and the agent's own architecture.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

const DIR = path.join(REPO, 'dist/release');
const X64 = path.join(DIR, 'batch-preflight-linux-x64');
const ARM64 = path.join(DIR, 'batch-preflight-linux-arm64');
const ROOT = path.join(REPO, 'fixtures/hosts/ubuntu2204-ready');
const ALL_FEATURES = 'gpu,infiniband,mpi,nfs,glusterfs,gluster-on-compute,blobfuse,azurefile,auto-scratch,singularity';
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };

function agent(arch: 'x64' | 'arm64', args: string[]) {
  const [file, argv] = arch === 'x64' ? [X64, args] : ['qemu-aarch64-static', ['-L', '/usr/aarch64-linux-gnu', ARM64, ...args]];
  // env -i: neither binary may lean on a Node, a PATH entry or a variable of this machine.
  const r = spawnSync('env', ['-i', file, ...argv], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A report without what differs between two runs of the same agent: times and its own architecture. */
function comparable(json: string): unknown {
  return JSON.parse(json, (key, value: unknown) => (key === 'durationMs' || key === 'startedAt' || key === 'arch' ? undefined : value));
}

describeLive(
  'the release folder, and the arm64 binary under qemu-user',
  { commands: { 'qemu-aarch64-static': 'qemu-user-static', sha256sum: 'coreutils', file: 'file', objdump: 'binutils', 'aarch64-linux-gnu-objdump': 'binutils-aarch64-linux-gnu' }, built: { 'dist/release/SHA256SUMS': 'npm run release' } },
  () => {
    it('has one SHA256SUMS that covers every artefact and holds', () => {
      const names = readFileSync(path.join(DIR, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.split('  ')[1]);
      expect(names).toEqual(['batch-preflight-0.1.0.tgz', 'batch-preflight-linux-arm64', 'batch-preflight-linux-x64', 'batch-preflight.cjs'].map((n) => n.replace('0.1.0', pkg.version)));
      const r = spawnSync('sha256sum', ['--check', '--strict', 'SHA256SUMS'], { cwd: DIR, encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(0);
    });

    it('builds the arm64 binary from Node for arm64, stripped', () => {
      const r = spawnSync('file', ['-b', ARM64, X64], { encoding: 'utf8' });
      const [arm, x64] = r.stdout.trim().split('\n');
      expect(arm).toMatch(/^ELF 64-bit LSB .*ARM aarch64.*, stripped$/);
      expect(x64).toMatch(/^ELF 64-bit LSB .*x86-64.*, stripped$/);
    });

    it('needs glibc 2.28 and GLIBCXX_3.4.21 at most, the floor the README states (RHEL/Rocky/Alma 8 have glibc 2.28)', () => {
      for (const [objdump, bin] of [['objdump', X64], ['aarch64-linux-gnu-objdump', ARM64]] as const) {
        const r = spawnSync(objdump, ['-T', bin], { encoding: 'utf8', maxBuffer: 64 << 20 });
        expect(r.status, r.stderr).toBe(0);
        const newest = (prefix: string) => [...new Set(r.stdout.match(new RegExp(`\\b${prefix}_[0-9.]+`, 'g')))].map((v) => v.slice(prefix.length + 1)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1);
        expect([bin, newest('GLIBC'), newest('GLIBCXX')]).toEqual([bin, '2.28', '3.4.21']);
      }
    });

    it('prints the same version on both architectures', () => {
      const arm = agent('arm64', ['--version']);
      expect(arm.status, arm.stderr).toBe(0);
      expect(arm.stdout).toBe(`${pkg.version}\n`);
      expect(agent('x64', ['--version']).stdout).toBe(arm.stdout);
    });

    it('lists the same checks on both architectures', () => {
      const arm = agent('arm64', ['list', '--format', 'json']);
      expect(arm.status, arm.stderr).toBe(0);
      expect((JSON.parse(arm.stdout) as unknown[]).length).toBeGreaterThan(20);
      expect(arm.stdout).toBe(agent('x64', ['list', '--format', 'json']).stdout);
    });

    it('gives the same report over a fixture image tree, with its own architecture in it', () => {
      const args = ['--root', ROOT, '--require', ALL_FEATURES, '--format', 'json'];
      const arm = agent('arm64', args);
      const x64 = agent('x64', args);
      expect(arm.stderr).toBe(x64.stderr);
      expect(arm.status).toBe(x64.status);
      expect(JSON.parse(arm.stdout).host.arch).toBe('arm64');
      expect(JSON.parse(x64.stdout).host.arch).toBe('x64');
      const report = comparable(arm.stdout) as { checks: { status: string }[] };
      // A run that checked nothing would compare equal too: this one must have verdicts to compare.
      expect(report.checks.filter((c) => c.status === 'pass').length).toBeGreaterThan(3);
      expect(report.checks.filter((c) => c.status === 'fail').length).toBeGreaterThan(0);
      expect(report).toEqual(comparable(x64.stdout));
    });
  },
);
