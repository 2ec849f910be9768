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

  it('warns when only blobfuse2 is installed on RHEL: node prep (yum branch) installs v1 itself, saying why v1', async () => {
    const r = await runCheck(blobfuse, 'hosts/storage-el9-bad', { live: false });
    expect(r.status, r.message).toBe('warn');
    expect(r.message).toMatch(/only blobfuse2 is installed .*yum list installed blobfuse.*v1 command line.*: node prep installs blobfuse v1 itself \(`yum install blobfuse` after adding packages\.microsoft\.com\/config\/rhel\/9\.4\//);
    // RHEL's VERSION_ID carries the minor: the path node prep builds may not exist, which the message admits.
    expect(r.message).toMatch(/may have no config\/rhel\/9\.4\/ path or no blobfuse v1 package for this release \(not checked here\)/);
    expect(r.evidence).toMatchObject({ fusermount: '/usr/bin/fusermount3' });
  });

  // shipyard_nodeprep.sh mount_azureblob_container: the apt branch adds config/ubuntu/$DISTRIB_RELEASE and runs
  // `install_packages blobfuse`; packages.microsoft.com has no v1 package after 20.04 (azure-storage-fuse issues 742, 808).
  it("fails on Ubuntu 24.04 without blobfuse v1: node prep's apt install of blobfuse cannot succeed there", async () => {
    const r = await runCheck(blobfuse, 'hosts/storage-bare', { live: false });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^blobfuse is not installed, and node prep cannot install blobfuse v1 here: .*no blobfuse v1 package after Ubuntu 20\.04 \(Azure\/azure-storage-fuse issues 742, 808\)/);
    expect(r).toMatchObject({ retryable: false });
    // fusermount comes with the blobfuse package: not a second finding while blobfuse is missing.
    expect(r.findings).toHaveLength(1);
  });

  it('fails on Ubuntu 22.04 when blobfuse v1 was removed (only the 20.04 package could be put there by hand)', async () => {
    const root = tempTree({}, 'hosts/storage-ubuntu-good');
    rmSync(path.join(root, 'usr/bin/blobfuse'));
    for (const mode of ['image', 'start-task'] as const) {
      const r = await runCheck(blobfuse, root, { live: false, settings: { mode } });
      expect(r.status, r.message).toBe('fail');
      expect(r.message).toContain('packages.microsoft.com/config/ubuntu/22.04/packages-microsoft-prod.deb');
    }
  });

  it('fails when blobfuse is installed but neither fusermount nor fusermount3 is', async () => {
    const r = await runCheck(blobfuse, tempTree({ 'usr/bin/blobfuse2': '#!/bin/sh\n' }, 'hosts/storage-bare'), { live: false, settings: { target: 'batch' } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/neither fusermount nor fusermount3/);
    expect(r.remediation).toContain('apt-get install -y fuse');
  });

  // PACKAGER= block: an ID other than ubuntu/debian/centos*/rhel takes the zypper branch.
  it.each([
    ['almalinux', '9.3'],
    ['rocky', '9.4'],
    ['azurelinux', '3.0'],
  ])('fails on %s without blobfuse v1: node prep takes its zypper branch there', async (id, version) => {
    const r = await runCheck(blobfuse, tempTree({ 'etc/os-release': `ID="${id}"\nVERSION_ID="${version}"\n`, 'usr/bin/fusermount3': '#!/bin/sh\n' }), { live: false });
    expect(r.status, r.message).toBe('fail');
    expect(r.message).toContain(`ID=${id} takes its zypper (SLES) branch`);
    expect(r.evidence).toMatchObject({ nodePrepInstall: expect.stringContaining('zypper') });
  });

  it('warns on Ubuntu 20.04 without blobfuse: node prep installs v1 from packages.microsoft.com itself (image and start-task mode)', async () => {
    const root = tempTree({ 'etc/os-release': 'ID=ubuntu\nVERSION_ID="20.04"\n' }, 'hosts/storage-ubuntu-good');
    rmSync(path.join(root, 'usr/bin/blobfuse'));
    for (const mode of ['image', 'start-task'] as const) {
      const r = await runCheck(blobfuse, root, { live: false, settings: { mode } });
      expect(r.status, r.message).toBe('warn');
      expect(r.message).toMatch(/^blobfuse is not installed: node prep installs blobfuse v1 itself \(`apt-get install blobfuse` after adding packages\.microsoft\.com\/config\/ubuntu\/20\.04\/packages-microsoft-prod\.deb\)/);
    }
  });

  it('is an error, never a pass, when the distribution cannot be told and blobfuse v1 is missing', async () => {
    const r = await runCheck(blobfuse, tempTree({ 'usr/bin/fusermount': '#!/bin/sh\n' }), { live: false });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/whether node prep can install it cannot be told/);
  });

  // Azure docs "Mount a virtual file system on a Batch pool" (azure-docs articles/batch/virtual-file-mount.md,
  // Networking requirements): nodes download blobfuse from packages.microsoft.com themselves.
  it('under --target batch: a missing blobfuse warns (the node agent installs it), never speaking of node prep', async () => {
    const r = await runCheck(blobfuse, 'hosts/storage-bare', { live: false, settings: { target: 'batch' } });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/the Batch node agent installs blobfuse itself .*packages\.microsoft\.com/);
    expect(`${r.message} ${r.remediation}`).not.toMatch(/node prep|shipyard/i);
    const v2 = await runCheck(blobfuse, 'hosts/storage-el9-bad', { live: false, settings: { target: 'batch' } });
    expect(v2.status, v2.message).toBe('pass');
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
    expect(r.status).toBe('fail');
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
