// nfs.client, glusterfs.client, glusterfs.server and azurefile share one shape: installed, and the
// tool's self-report runs. Each is tested on the same fixture trees for every state.
import { describe, expect, it } from 'vitest';
import type { Check } from '../../src/types';
import { nfsClient } from '../../checks/nfs-client';
import { glusterfsClient } from '../../checks/glusterfs-client';
import { glusterfsServer } from '../../checks/glusterfs-server';
import { azurefile } from '../../checks/azurefile';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { runCheck, tempTree } from '../helpers/host';

const cases: [Check, string, RegExp][] = [
  [nfsClient, 'mount.nfs4 -V', /reports 2\.6\.1/],
  [glusterfsClient, 'glusterfs -V', /reports 10\.1/],
  [glusterfsServer, 'gluster --version', /glusterd\.service is enabled at boot; .*reports 10\.1/],
  [azurefile, 'mount.cifs -V', /reports 6\.14/],
];

describe.each(cases.map(([check, command, passMessage]) => [check.id, check, command, passMessage] as const))('%s', (_id, check, command, passMessage) => {
  it('passes when installed and the self-report runs', async () => {
    const r = await runCheck(check, 'hosts/storage-ubuntu-good');
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(passMessage);
  });

  it('passes offline on presence alone, saying what was not run', async () => {
    const r = await runCheck(check, 'hosts/storage-ubuntu-good', { canExec: false, live: false });
    expect(r.status).toBe('pass');
    expect(r.message).toContain(`\`${command}\` not run`);
  });

  it('fails when not installed, with the package for the family', async () => {
    const r = await runCheck(check, 'hosts/storage-bare');
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/not installed/);
    expect(r.remediation).toMatch(/^apt-get update && apt-get install -y (nfs-common|glusterfs-client|glusterfs-server|cifs-utils)$/);
  });

  it('fails when the tool crashes (installed but broken)', async () => {
    const r = await runCheck(check, 'hosts/storage-broken-crash');
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/installed but broken: .*crashed .*SIGSEGV/);
    expect(r.remediation).toContain('--reinstall');
  });

  it('errors when the tool hangs ignoring TERM (killed)', async () => {
    const started = Date.now();
    const r = await runCheck(check, 'hosts/storage-broken-hang', { commandTimeoutMs: 300 });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/could not tell whether it works: .*did not finish in time/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('errors when the tool prints garbage', async () => {
    const r = await runCheck(check, 'hosts/storage-broken-garbage');
    expect(r.status).toBe('error');
    expect(r.message).toContain('printed something unexpected');
  });
});

describe('glusterfs.client specifics', () => {
  it('fails when mount.glusterfs is missing though glusterfs runs', async () => {
    const r = await runCheck(glusterfsClient, tempTree({ '/usr/sbin/glusterfs': '#!/bin/sh\necho "glusterfs 11.1"\n', '/etc/os-release': 'ID=rhel\nVERSION_ID="9.4"\n' }));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^mount\.glusterfs is not installed/);
    expect(r.remediation).toBe('dnf install -y glusterfs-fuse');
  });

  it('fails when glusterfs is missing though mount.glusterfs is there, naming it', async () => {
    const root = tempTree({}, 'hosts/storage-ubuntu-good');
    rmSync(path.join(root, 'usr/sbin/glusterfs'));
    for (const opts of [{}, { live: false, canExec: false }]) {
      const r = await runCheck(glusterfsClient, root, opts);
      expect(r.status).toBe('fail');
      expect(r.message).toBe('glusterfs is not installed, so GlusterFS volumes cannot be mounted');
    }
  });

  it('fails a non-zero exit of glusterfs -V, quoting its output', async () => {
    const r = await runCheck(glusterfsClient, tempTree({ '/usr/sbin/glusterfs': '#!/bin/sh\necho "glusterfs: error while loading shared libraries: libglusterfs.so.0" >&2; exit 127\n' }, 'hosts/storage-ubuntu-good'));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/exited with code 127: glusterfs: error while loading shared libraries/);
  });
});

describe('glusterfs.server specifics', () => {
  it('fails when glusterd.service is installed but not enabled', async () => {
    const r = await runCheck(glusterfsServer, tempTree({ '/usr/sbin/gluster': '#!/bin/sh\necho "glusterfs 10.4"\n' }, 'hosts/storage-el9-bad'));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('glusterd.service is disabled');
    expect(r.remediation).toBe('systemctl enable glusterd.service');
  });

  it('fails a masked unit with an unmask fix', async () => {
    const r = await runCheck(glusterfsServer, tempTree({ '/etc/systemd/system/glusterd.service': { link: '/dev/null' } }, 'hosts/storage-el9-bad'));
    expect(r.status).toBe('fail');
    expect(r.remediation).toContain('systemctl unmask glusterd.service');
  });

  it('accepts the older glusterfs-server.service unit name', async () => {
    const root = tempTree(
      {
        '/lib/systemd/system/glusterfs-server.service': '[Service]\nExecStart=/usr/sbin/glusterd\n[Install]\nWantedBy=multi-user.target\n',
        '/etc/systemd/system/multi-user.target.wants/glusterfs-server.service': { link: '/lib/systemd/system/glusterfs-server.service' },
        '/usr/sbin/glusterd': '#!/bin/sh\nexit 0\n',
        '/usr/sbin/gluster': '#!/bin/sh\necho "glusterfs 3.13.2"\n',
      },
    );
    const r = await runCheck(glusterfsServer, root);
    expect(r.status).toBe('pass');
    expect(r.message).toContain('glusterfs-server.service is enabled');
  });

  it('fails when glusterd is missing though gluster is there and the unit is enabled, naming it', async () => {
    const root = tempTree({}, 'hosts/storage-ubuntu-good');
    rmSync(path.join(root, 'usr/sbin/glusterd'));
    for (const opts of [{}, { live: false, canExec: false }]) {
      const r = await runCheck(glusterfsServer, root, opts);
      expect(r.status).toBe('fail');
      expect(r.message).toBe('glusterd is not installed, so nodes cannot form a GlusterFS cluster');
    }
  });

  it('is an error, never a pass, when glusterd.service cannot be read (a symlink loop)', async () => {
    const root = tempTree({
      '/usr/lib/systemd/system/glusterd.service': { link: 'glusterd.service' },
      '/usr/sbin/glusterd': '#!/bin/sh\nexit 0\n',
      '/usr/sbin/gluster': '#!/bin/sh\necho "glusterfs 10.1"\n',
    });
    const r = await runCheck(glusterfsServer, root);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read \/usr\/lib\/systemd\/system\/glusterd\.service/);
  });

  it('names the older glusterfs-server.service in the fix when that is the unit there, and it is disabled', async () => {
    const root = tempTree({
      '/lib/systemd/system/glusterfs-server.service': '[Service]\nExecStart=/usr/sbin/glusterd\n[Install]\nWantedBy=multi-user.target\n',
      '/usr/sbin/glusterd': '#!/bin/sh\nexit 0\n',
      '/usr/sbin/gluster': '#!/bin/sh\necho "glusterfs 3.13.2"\n',
    });
    const r = await runCheck(glusterfsServer, root);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('glusterd is installed but glusterfs-server.service is disabled, so it will not start at boot');
    expect(r.remediation).toBe('systemctl enable glusterfs-server.service');
  });

  it('fails when glusterd has no unit file at all, with the fix for the usual unit name', async () => {
    const root = tempTree({ '/usr/sbin/glusterd': '#!/bin/sh\nexit 0\n', '/usr/sbin/gluster': '#!/bin/sh\necho "glusterfs 10.1"\n' });
    const r = await runCheck(glusterfsServer, root);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('glusterd is installed but no glusterd.service or glusterfs-server.service unit file was found');
    expect(r.remediation).toBe('systemctl enable glusterd.service');
  });

  it('fails when gluster is missing, naming it', async () => {
    const r = await runCheck(glusterfsServer, tempTree({ '/usr/sbin/glusterd': '#!/bin/sh\nexit 0\n' }));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^gluster is not installed/);
  });
});
