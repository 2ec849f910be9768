import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadChecksFile } from '../../src/custom/checks-file';
import { UsageError } from '../../src/errors';
import { FIXTURES, runCheck, tempTree } from '../helpers/host';

// A copy in a private directory: the trust rule judges every directory above a checks file, and a
// checkout may lie under directories that another user owns.
const SITE = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-site-')), 'site-checks.yaml');
copyFileSync(path.join(FIXTURES, 'custom/site-checks.yaml'), SITE);

function fileWith(text: string): string {
  const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-cf-')), 'checks.yaml');
  writeFileSync(f, text);
  return f;
}

function loadError(text: string): string {
  try {
    loadChecksFile(fileWith(text), new Set(['sshd']));
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message.replace(/^.*checks\.yaml/, 'FILE');
  }
  throw new Error('expected a UsageError');
}

describe('--checks-file', () => {
  const checks = loadChecksFile(SITE, new Set(['sshd']));
  const byId = Object.fromEntries(checks.map((c) => [c.id, c]));

  it('loads every kind with its metadata', () => {
    expect(checks.map((c) => [c.id, c.area, c.live, c.features])).toEqual([
      ['site.hostname-tool', 'custom', false, []],
      ['site.tool-version', 'custom', false, []],
      ['site.license', 'licensing', false, []],
      ['site.munge', 'custom', false, ['mpi']],
      ['site.metrics-port', 'custom', true, []],
      ['site.peermem', 'custom', true, ['gpu']],
      ['site.scratch', 'custom', true, []],
    ]);
  });

  it('judges commands by exit code and output, with the remediation given', async () => {
    const good = tempTree({ 'usr/bin/tool': '#!/bin/sh\necho "tool 2.4 (build 7)"\n' });
    expect((await runCheck(byId['site.tool-version']!, good)).status).toBe('pass');
    const wrong = tempTree({ 'usr/bin/tool': '#!/bin/sh\necho "usage: tool"\n' });
    expect(await runCheck(byId['site.tool-version']!, wrong)).toMatchObject({ status: 'fail', remediation: 'reinstall tool' });
    const hangs = tempTree({ 'usr/bin/tool': "#!/bin/sh\ntrap '' TERM\nsleep 30\n" });
    expect((await runCheck(byId['site.tool-version']!, hangs, { commandTimeoutMs: 200 })).status).toBe('error');
    expect((await runCheck(byId['site.tool-version']!, tempTree({}))).message).toBe('tool is not installed');
  });

  it('judges files, units and ports', async () => {
    expect((await runCheck(byId['site.license']!, tempTree({ 'etc/license.lic': 'SERVER x\nFEATURE solver vendor 1.0\n' }))).status).toBe('pass');
    expect((await runCheck(byId['site.license']!, tempTree({ 'etc/license.lic': 'FEATURE mesher\n' }))).status).toBe('fail');
    const munge = tempTree({
      'lib/systemd/system/munge.service': '[Service]\nExecStart=/usr/sbin/munged\n[Install]\nWantedBy=multi-user.target\n',
      'etc/systemd/system/multi-user.target.wants/munge.service': { link: '/lib/systemd/system/munge.service' },
    });
    expect((await runCheck(byId['site.munge']!, munge)).status).toBe('pass');
    expect((await runCheck(byId['site.munge']!, tempTree({}))).message).toMatch(/not installed/);
    const tcp = '  sl  local_address rem_address   st\n   0: 00000000:238C 00000000:0000 0A 0 0 0 0 0\n';
    expect((await runCheck(byId['site.metrics-port']!, tempTree({ 'proc/net/tcp': tcp }))).status).toBe('pass');
  });

  it('judges kernel modules and mounts', async () => {
    const modules = 'nvidia_peermem 16384 0 - Live 0x0000000000000000\nnvidia 56823808 1234 nvidia_peermem, Live 0x0000000000000000\n';
    expect((await runCheck(byId['site.peermem']!, tempTree({ 'proc/modules': modules }))).status).toBe('pass');
    expect((await runCheck(byId['site.peermem']!, tempTree({ 'proc/modules': 'nvidia 1 0 - Live 0x0\n' }))).status).toBe('fail');
    expect((await runCheck(byId['site.peermem']!, tempTree({ 'proc/modules': 'garbage\n' }))).status).toBe('error');
    const mountsText = (fs: string) => `/dev/sda1 / ext4 rw,relatime 0 0\n/dev/md0 /mnt/scratch ${fs} rw,noatime 0 0\n`;
    expect((await runCheck(byId['site.scratch']!, tempTree({ 'proc/self/mounts': mountsText('xfs') }))).status).toBe('pass');
    expect((await runCheck(byId['site.scratch']!, tempTree({ 'proc/self/mounts': mountsText('ext4') }))).message).toBe('/mnt/scratch is mounted as ext4, expected xfs');
    expect((await runCheck(byId['site.scratch']!, tempTree({ 'proc/self/mounts': '/dev/sda1 / ext4 rw 0 0\n' }))).status).toBe('fail');
  });

  it('rejects bad files with the line and what was expected', () => {
    expect(loadError('checks:\n  - port: 22\n    id: a: b\n')).toMatch(/^FILE:3: not valid YAML or JSON/);
    expect(loadError('nothing: here\n')).toBe('FILE:1: expected a mapping with a `checks:` list');
    expect(loadError('checks:\n  - id: ok.one\n    port: 22\n  - id: Bad_Id\n    port: 22\n')).toBe('FILE:4: checks.1.id: expected an id of lower-case letters, digits, dots and dashes');
    expect(loadError('checks:\n  - id: sshd\n    port: 22\n')).toMatch(/FILE:2: checks.0.id: duplicate check id sshd/);
    expect(loadError('checks:\n  - id: a.b\n    port: 70000\n')).toMatch(/FILE:3: checks.0.port: expected a TCP port/);
    expect(loadError('checks:\n  - id: a.b\n    port: 22\n    file: /x\n')).toMatch(/FILE:2: checks.0: expected exactly one of/);
    expect(loadError('checks:\n  - id: a.b\n    command: { run: "ls -l" }\n')).toMatch(/FILE:3: checks.0.command: run: expected a list of strings/);
    expect(loadError('checks:\n  - id: a.b\n    features: [warp]\n    port: 1\n')).toMatch(/FILE:3: checks.0.features.0: expected one of docker, docker-group, /);
    expect(loadError('checks:\n  - id: a.b\n    colour: red\n    port: 1\n')).toMatch(/FILE:3: checks.0.colour: unknown key \(expected one of id, title, area, features, category, readiness, dependsOn, modes, targets, needsVmSize, timeoutMs, description, consequence, remediation, /);
    expect(loadError('checks:\n  - id: a.b\n    file: { path: /x, contains: "(" }\n')).toMatch(/not a valid regular expression/);
  });

  it('keeps every documented field it declares, and rejects a wrong one at its line (one schema with --plugin)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-checks-meta-'));
    const file = path.join(dir, 'checks.yaml');
    writeFileSync(
      file,
      'checks:\n  - id: site.ib-up\n    category: node\n    readiness: true\n    modes: [start-task]\n    targets: [batch]\n    needsVmSize: true\n    timeoutMs: 2500\n    consequence: jobs hang\n    port: 8080\n  - id: site.after\n    dependsOn: [site.ib-up, sshd]\n    port: 22\n',
    );
    const [ib, after] = loadChecksFile(file, new Set(['sshd']));
    expect(ib).toMatchObject({ category: 'node', readiness: true, modes: ['start-task'], targets: ['batch'], needsVmSize: true, timeoutMs: 2500, consequence: 'jobs hang', live: true });
    expect(after!.dependsOn).toEqual(['site.ib-up', 'sshd']);
    expect(loadError('checks:\n  - id: a.b\n    modes: [boot]\n    port: 1\n')).toMatch(/FILE:3: checks.0.modes.0: expected one of start-task, image, container, offline/);
    expect(loadError('checks:\n  - id: a.b\n    readiness: "yes"\n    port: 1\n')).toMatch(/FILE:3: checks.0.readiness: expected boolean/);
    expect(loadError('checks:\n  - id: a.b\n    dependsOn: [nope]\n    port: 1\n')).toMatch(/FILE:3: checks.0.dependsOn.0: not a known check/);
    expect(loadError('checks:\n  - id: a.b\n    live: true\n    port: 1\n')).toMatch(/checks.0.live: unknown key/);
  });

  it('names a missing file', () => {
    expect(() => loadChecksFile('/no/such/checks.yaml', new Set())).toThrow('--checks-file /no/such/checks.yaml: does not exist');
  });
});
