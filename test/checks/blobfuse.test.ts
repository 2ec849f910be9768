import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { blobfuse } from '../../checks/blobfuse';
import { runCheck, tempTree } from '../helpers/host';

const isRoot = process.getuid?.() === 0;

describe('blobfuse', () => {
  it('passes offline with blobfuse v1 and fusermount, saying /dev/fuse was not checked', async () => {
    const r = await runCheck(blobfuse, 'hosts/storage-ubuntu-good', { live: false, canExec: false });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/blobfuse is installed at \/usr\/bin\/blobfuse, fusermount .*\/dev\/fuse not checked/);
  });

  it.skipIf(!isRoot)('passes live when /dev/fuse is the FUSE character device (skipped unless root, which can mknod)', async () => {
    const root = tempTree({ '/dev/.keep': '' }, 'hosts/storage-ubuntu-good');
    expect(spawnSync('mknod', [path.join(root, 'dev/fuse'), 'c', '10', '229']).status).toBe(0);
    const r = await runCheck(blobfuse, root);
    expect(r.status).toBe('pass');
    expect(r.message).toContain('/dev/fuse exists');
  });

  it('fails live when /dev/fuse is missing (fuse module not loaded)', async () => {
    const r = await runCheck(blobfuse, 'hosts/storage-ubuntu-good');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('/dev/fuse does not exist');
    expect(r.remediation).toContain('modprobe fuse');
  });

  it('fails live when /dev/fuse is a plain file (broken)', async () => {
    const r = await runCheck(blobfuse, tempTree({ '/dev/fuse': 'not a device' }, 'hosts/storage-ubuntu-good'));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('/dev/fuse is a file, not the FUSE character device');
  });

  it('warns when only blobfuse2 is installed, saying why Shipyard needs v1', async () => {
    const r = await runCheck(blobfuse, 'hosts/storage-el9-bad', { live: false });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/only blobfuse2 is installed .*dpkg -s blobfuse.*v1 command line/);
    expect(r.evidence).toMatchObject({ fusermount: '/usr/bin/fusermount3' });
  });

  it('fails when neither blobfuse nor fusermount is installed', async () => {
    const r = await runCheck(blobfuse, 'hosts/storage-bare', { live: false });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/blobfuse is not installed.*neither fusermount nor fusermount3/);
    expect(r.remediation).toContain('apt-get install -y fuse');
  });

  it('absent at start-task time: warns (node prep installs blobfuse v1 when outbound access allows); image mode fails', async () => {
    const root = tempTree({}, 'hosts/storage-ubuntu-good');
    rmSync(path.join(root, 'usr/bin/blobfuse'));
    const st = await runCheck(blobfuse, root, { live: false, settings: { mode: 'start-task' } });
    expect(st.status, st.message).toBe('warn');
    expect(st.message).toMatch(/blobfuse is not installed yet: node prep installs blobfuse v1 .*packages\.microsoft\.com/);
    const image = await runCheck(blobfuse, root, { live: false, settings: { mode: 'image' } });
    expect(image.status).toBe('fail');
    // Only Batch Shipyard's node prep installs it.
    expect((await runCheck(blobfuse, root, { live: false, settings: { mode: 'start-task', target: 'batch' } })).status).toBe('fail');
  });

  it('treats a blobfuse that is not executable as not installed', async () => {
    const r = await runCheck(blobfuse, tempTree({ '/usr/bin/blobfuse': { mode: 0o644, content: '#!/bin/sh\n' } }, 'hosts/storage-bare'), { live: false });
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({ blobfuse: null });
  });

  it('warns when the blobfuse binary is not from the blobfuse package (Shipyard asks dpkg)', async () => {
    const ok = await runCheck(blobfuse, 'hosts/storage-ubuntu-good', { live: false, canExec: false });
    expect(ok.evidence).toMatchObject({ dpkgPackage: '1.4.5' });
    const root = tempTree({ 'var/lib/dpkg/status': 'Package: fuse\nStatus: install ok installed\nVersion: 2.9.9\n' }, 'hosts/storage-ubuntu-good');
    const r = await runCheck(blobfuse, root, { live: false, canExec: false });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/is not from the blobfuse package, so Batch Shipyard's `dpkg -s blobfuse` will not find it/);
  });

  it('passes with both blobfuse and blobfuse2 installed: v1 is there for Shipyard', async () => {
    const r = await runCheck(blobfuse, tempTree({ 'usr/bin/blobfuse2': '#!/bin/sh\n' }, 'hosts/storage-ubuntu-good'), { live: false, canExec: false });
    expect(r.status, r.message).toBe('pass');
  });

  it('does not ask dpkg about a blobfuse binary that is not there (only blobfuse2 installed)', async () => {
    const root = tempTree(
      { 'usr/bin/blobfuse2': '#!/bin/sh\n', 'var/lib/dpkg/status': 'Package: blobfuse2\nStatus: install ok installed\nVersion: 2.3.2\n' },
      'hosts/storage-ubuntu-good',
    );
    rmSync(path.join(root, 'usr/bin/blobfuse'));
    const r = await runCheck(blobfuse, root, { live: false, canExec: false });
    expect(r.status).toBe('warn');
    expect(r.findings).toHaveLength(1);
    expect(r.message).toMatch(/^only blobfuse2 is installed \(\/usr\/bin\/blobfuse2\)/);
    expect(r.evidence).not.toHaveProperty('dpkgPackage');
  });

  it('passes blobfuse on a host without a dpkg database (RHEL: Shipyard asks rpm there)', async () => {
    const r = await runCheck(blobfuse, tempTree({ 'usr/bin/blobfuse': '#!/bin/sh\n' }, 'hosts/storage-el9-bad'), { live: false, canExec: false });
    expect(r.status, r.message).toBe('pass');
    expect(r.evidence).toMatchObject({ dpkgPackage: 'not checked (no dpkg database)' });
  });

  it('is an error, never a pass, when /dev/fuse cannot be looked at (a symlink loop)', async () => {
    const r = await runCheck(blobfuse, tempTree({ 'dev/fuse': { link: 'fuse' } }, 'hosts/storage-ubuntu-good'));
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read \/dev\/fuse/);
  });
});
