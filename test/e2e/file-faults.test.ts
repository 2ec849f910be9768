// Damaged and hostile files under --root, end to end through the built bundle: unreadable files
// (seen by an unprivileged run), symlink loops, links that point out of the root, a directory where
// a file belongs, an empty and a truncated /etc/os-release. Each run must give a valid report and
// exit 0 or 1 (never 2 or 3); the affected checks must say what happened (never a pass from data
// outside the root) and the others answer as on the intact tree.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE } from '../helpers/bundle';
import { FIXTURES } from '../helpers/host';
import { schemaErrors } from '../helpers/schema';

const ONLY = 'os.distro,selinux.mode,sshd,waagent.resource-disk,docker.group,docker.boot';
const READY = path.join(FIXTURES, 'hosts/ubuntu2204-ready');
const isRoot = process.getuid?.() === 0;
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

interface Outcome {
  id: string;
  status: string;
  message: string;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A world-readable directory holding `root/` (a copy of the ready Ubuntu host) and files beside it, outside the root. */
function tree(change: (root: string, outside: string) => void = () => {}): string {
  const outside = mkdtempSync(path.join(os.tmpdir(), 'bp-faults-'));
  dirs.push(outside);
  chmodSync(outside, 0o755);
  const root = path.join(outside, 'root');
  cpSync(READY, root, { recursive: true, verbatimSymlinks: true });
  writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\ndocker:x:999:\n');
  change(root, outside);
  return root;
}

function agent(args: string[], asNobody = false) {
  const argv = [process.execPath, BUNDLE, ...args];
  const [file, ...rest] = asNobody ? [...NOBODY, ...argv] : argv;
  const r = spawnSync(file!, rest, { encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function inspect(root: string, asNobody = false) {
  const r = agent(['--root', root, '--format', 'json', '--only', ONLY], asNobody);
  expect([0, 1], r.stderr).toContain(r.status);
  const report = JSON.parse(r.stdout);
  expect(schemaErrors(report)).toBe('');
  const byId: Record<string, Outcome> = Object.fromEntries(report.checks.map((c: Outcome) => [c.id, c]));
  return { status: r.status, byId };
}

/** The checks not named answer exactly as on the intact tree. */
function othersUnaffected(byId: Record<string, Outcome>, affected: string[]) {
  for (const id of ONLY.split(',').filter((i) => !affected.includes(i))) expect(byId[id]!.status, `${id}: ${byId[id]!.message}`).toBe('pass');
}

// Node prep accepts /mnt or /mnt/resource on any distribution: the place needs no distribution to judge.
const EITHER_PLACE = /^ResourceDisk\.MountPoint=\/mnt \(node prep accepts \/mnt or \/mnt\/resource\)/;

describe('damaged files under --root', () => {
  it('the intact tree passes every selected check (the baseline the others compare with)', () => {
    const r = inspect(tree());
    othersUnaffected(r.byId, []);
    expect(r.status).toBe(0);
  });

  describe.runIf(isRoot)('unreadable to an unprivileged run (mode 000)', () => {
    it('/etc/os-release: os.distro errors "permission denied"; the temp disk place is judged without it', () => {
      const r = inspect(tree((root) => chmodSync(path.join(root, 'etc/os-release'), 0)), true);
      expect(r.byId['os.distro']).toMatchObject({ status: 'error', message: 'could not read /etc/os-release: permission denied' });
      expect(r.byId['waagent.resource-disk']!.message).toMatch(EITHER_PLACE);
      othersUnaffected(r.byId, ['os.distro']);
      expect(r.status).toBe(1);
    });

    it('/etc/waagent.conf: waagent.resource-disk errors "permission denied"', () => {
      const r = inspect(tree((root) => chmodSync(path.join(root, 'etc/waagent.conf'), 0)), true);
      expect(r.byId['waagent.resource-disk']).toMatchObject({ status: 'error', message: 'could not read /etc/waagent.conf: permission denied' });
      othersUnaffected(r.byId, ['waagent.resource-disk']);
      expect(r.status).toBe(1);
    });

    it('/etc/systemd/system: the unit checks error instead of calling ssh.service "disabled"', () => {
      const r = inspect(tree((root) => chmodSync(path.join(root, 'etc/systemd/system'), 0)), true);
      // Both unit names are looked up at once; whichever is refused first is named.
      expect(r.byId['sshd']).toMatchObject({ status: 'error', message: expect.stringMatching(/^could not read \/etc\/systemd\/system\/sshd?\.service: permission denied$/) });
      expect(r.byId['docker.boot']).toMatchObject({ status: 'error', message: 'could not read /etc/systemd/system/docker.service: permission denied' });
      othersUnaffected(r.byId, ['sshd', 'docker.boot']);
      expect(r.status).toBe(1);
    });

    it('--report into a directory it cannot write: exit 2 with one clear line, no stack trace', () => {
      const root = tree();
      const ro = path.join(path.dirname(root), 'read-only');
      mkdirSync(ro, { mode: 0o555 });
      const r = agent(['--root', root, '--only', ONLY, '--report', path.join(ro, 'report.json')], true);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`batch-preflight: --report ${ro}/report.json: directory ${ro} is not writable\n`);
      expect(r.stdout).toBe('');
    });
  });

  it('a symlink loop at /etc/os-release: os.distro errors "too many levels of symbolic links"', () => {
    const r = inspect(
      tree((root) => {
        rmSync(path.join(root, 'etc/os-release'));
        symlinkSync('os-release.d', path.join(root, 'etc/os-release'));
        symlinkSync('os-release', path.join(root, 'etc/os-release.d'));
      }),
    );
    expect(r.byId['os.distro']).toMatchObject({ status: 'error', message: 'could not read /etc/os-release: too many levels of symbolic links' });
    expect(r.byId['waagent.resource-disk']!.message).toMatch(EITHER_PLACE);
    othersUnaffected(r.byId, ['os.distro']);
  });

  it('a symlink loop at a .wants directory: sshd errors instead of "disabled"', () => {
    const r = inspect(
      tree((root) => {
        const wants = path.join(root, 'etc/systemd/system/multi-user.target.wants');
        rmSync(wants, { recursive: true });
        symlinkSync('multi-user.target.wants', wants);
      }),
    );
    expect(r.byId['sshd']).toMatchObject({ status: 'error', message: 'could not read /etc/systemd/system/multi-user.target.wants: too many levels of symbolic links' });
    othersUnaffected(r.byId, ['sshd']);
  });

  it('a relative link climbing out of the root to a valid os-release: refused, never read', () => {
    const root = tree((root, outside) => {
      cpSync(path.join(root, 'etc/os-release'), path.join(outside, 'os-release'));
      rmSync(path.join(root, 'etc/os-release'));
      symlinkSync('../../os-release', path.join(root, 'etc/os-release'));
    });
    // The link does lead to a readable Ubuntu os-release on this machine.
    expect(readFileSync(path.join(root, 'etc/os-release'), 'utf8')).toMatch(/^ID=ubuntu$/m);
    const r = inspect(root);
    expect(r.byId['os.distro']).toMatchObject({ status: 'error', message: `could not read /etc/os-release: climbs above the inspected root ${root}` });
    expect(r.byId['waagent.resource-disk']!.message).toMatch(EITHER_PLACE);
    othersUnaffected(r.byId, ['os.distro']);
  });

  it('an absolute link is re-anchored in the root: the file inside decides, not the one outside', () => {
    const conf = (mount: string) => readFileSync(path.join(READY, 'etc/waagent.conf'), 'utf8').replace(/^ResourceDisk\.MountPoint=.*$/m, `ResourceDisk.MountPoint=${mount}`);
    const root = tree((root, outside) => {
      // Outside: the right value (would pass); at the same path inside the root: a wrong one.
      writeFileSync(path.join(outside, 'waagent.conf'), conf('/mnt'));
      mkdirSync(path.join(root, outside), { recursive: true });
      writeFileSync(path.join(root, outside, 'waagent.conf'), conf('/data/scratch'));
      rmSync(path.join(root, 'etc/waagent.conf'));
      symlinkSync(path.join(outside, 'waagent.conf'), path.join(root, 'etc/waagent.conf'));
    });
    const r = inspect(root);
    expect(r.byId['waagent.resource-disk']!.status).toBe('fail');
    expect(r.byId['waagent.resource-disk']!.message).toMatch(/^ResourceDisk\.MountPoint=\/data\/scratch at \/etc\/waagent\.conf line \d+: Batch Shipyard node prep exits unless the temp disk is at \/mnt or \/mnt\/resource/);
    othersUnaffected(r.byId, ['waagent.resource-disk']);
    expect(r.status).toBe(1);
  });

  it('/etc/waagent.conf is a directory: waagent.resource-disk errors "is a directory"', () => {
    const r = inspect(
      tree((root) => {
        rmSync(path.join(root, 'etc/waagent.conf'));
        mkdirSync(path.join(root, 'etc/waagent.conf'));
      }),
    );
    expect(r.byId['waagent.resource-disk']).toMatchObject({ status: 'error', message: 'could not read /etc/waagent.conf: is a directory, not a file' });
    othersUnaffected(r.byId, ['waagent.resource-disk']);
    expect(r.status).toBe(1);
  });

  it.each([
    ['empty', '', 'the file is empty'],
    ['truncated', 'PRETTY_NAME="Ubuntu 22.04.4 LT', 'it looks truncated or damaged'],
  ])('an %s /etc/os-release: os.distro fails saying so', (_name, content, why) => {
    const r = inspect(tree((root) => writeFileSync(path.join(root, 'etc/os-release'), content)));
    expect(r.byId['os.distro']!.status).toBe('fail');
    expect(r.byId['os.distro']!.message).toBe(`/etc/os-release has no ID and VERSION_ID (${why}); Batch Shipyard node prep cannot tell the distribution and exits`);
    expect(r.byId['waagent.resource-disk']!.message).toMatch(EITHER_PLACE);
    othersUnaffected(r.byId, ['os.distro']);
    expect(r.status).toBe(1);
  });
});
