import { describe, expect, it } from 'vitest';
import { singularity } from '../../checks/singularity';
import { runCheck, tempTree } from '../helpers/host';

describe('singularity', () => {
  it('passes and reports an installed apptainer with its version; / is not nosuid', async () => {
    const r = await runCheck(singularity, 'hosts/storage-ubuntu-good');
    expect(r.status).toBe('pass');
    expect(r.message).toBe('apptainer 1.3.1 is already installed at /usr/bin/apptainer; / is not mounted nosuid');
  });

  it('passes when it is missing (Shipyard installs it)', async () => {
    const r = await runCheck(singularity, 'hosts/storage-bare');
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/no singularity or apptainer is installed/);
  });

  it('fails when / is mounted nosuid', async () => {
    const r = await runCheck(singularity, 'hosts/storage-el9-bad');
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^\/ is mounted nosuid \(xfs .*singularity-ce 3\.11\.4-1\.el9 is already installed/);
    expect(r.remediation).toContain('mount -o remount,suid /');
  });

  it('offline: does not read the mount table and says so', async () => {
    const r = await runCheck(singularity, 'hosts/storage-el9-bad', { live: false, canExec: false });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/version not read.*nosuid was not checked: not a live host/);
  });

  it('warns when the installed one crashes', async () => {
    const r = await runCheck(singularity, tempTree({ '/proc/self/mounts': '/dev/sda1 / ext4 rw 0 0\n' }, 'hosts/storage-broken-crash'));
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/installed apptainer is broken: .*SIGSEGV/);
  });

  it.each([
    ['hang', /did not finish in time/],
    ['garbage', /printed something unexpected/],
  ])('errors when the installed one %s', async (kind, msg) => {
    const r = await runCheck(singularity, tempTree({ '/proc/self/mounts': '/dev/sda1 / ext4 rw 0 0\n' }, `hosts/storage-broken-${kind}`), { commandTimeoutMs: 300 });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(msg);
  });

  it('errors when the mount table is garbage', async () => {
    const r = await runCheck(singularity, tempTree({ '/proc/self/mounts': 'this is not a mount table\n' }, 'hosts/storage-bare'));
    expect(r.status).toBe('error');
    expect(r.message).toContain('could not read the mount table');
  });

  it('asks the installed one for its version with --version (without it apptainer prints its usage)', async () => {
    const apptainer = '#!/bin/sh\nif [ "$1" = --version ]; then echo "apptainer version 1.3.4"; exit 0; fi\necho "Usage:\n  apptainer [global options...] <command>" >&2\nexit 1\n';
    const r = await runCheck(singularity, tempTree({ '/usr/bin/apptainer': apptainer, '/proc/self/mounts': '/dev/sda1 / ext4 rw,relatime 0 0\n' }, 'hosts/storage-bare'));
    expect(r.status, r.message).toBe('pass');
    expect(r.message).toBe('apptainer 1.3.4 is already installed at /usr/bin/apptainer; / is not mounted nosuid');
  });

  it('errors, never passes, when the mount table lists no mount at /', async () => {
    const r = await runCheck(singularity, tempTree({ '/proc/self/mounts': '/dev/sdb1 /mnt ext4 rw,nosuid 0 0\n' }, 'hosts/storage-bare'));
    expect(r.status).toBe('error');
    expect(r.message).toBe('no singularity or apptainer is installed (Batch Shipyard installs it); /proc/self/mounts lists no mount at /');
  });
});

// shipyard_nodeprep.sh install_singularity runs `install_packages squashfs-tools $cryptpkg`; the PACKAGER= block
// sends every ID but ubuntu/debian/centos*/rhel to zypper.
describe('singularity: node prep installs its prerequisites through its own distribution branch', () => {
  it.each(['almalinux', 'rocky', 'azurelinux'])('fails under shipyard on %s (zypper branch, no zypper)', async (id) => {
    const root = tempTree({ 'etc/os-release': `ID=${id}\nVERSION_ID="9.4"\n`, '/proc/self/mounts': '/dev/sda1 / ext4 rw 0 0\n' });
    const r = await runCheck(singularity, root);
    expect(r.status, r.message).toBe('fail');
    expect(r.message).toContain(`ID=${id} takes its zypper (SLES) branch`);
    expect(r).toMatchObject({ category: 'config', retryable: false });
  });

  it('under --target batch a missing one fails (Batch installs none), never speaking of Shipyard', async () => {
    const r = await runCheck(singularity, 'hosts/storage-bare', { settings: { target: 'batch' } });
    expect(r.status).toBe('fail');
    expect(`${r.message} ${r.remediation}`).not.toMatch(/shipyard|node prep/i);
  });

  it('passes on RHEL (yum branch) and never judges node prep under --target batch', async () => {
    const root = tempTree({ 'etc/os-release': 'ID=rocky\nVERSION_ID="9.4"\n', '/proc/self/mounts': '/dev/sda1 / ext4 rw 0 0\n', 'usr/bin/apptainer': '#!/bin/sh\n' });
    expect((await runCheck(singularity, root, { settings: { target: 'batch' }, canExec: false })).status).toBe('pass');
    const rhel = tempTree({ 'etc/os-release': 'ID=rhel\nVERSION_ID="9.4"\n', '/proc/self/mounts': '/dev/sda1 / ext4 rw 0 0\n' });
    expect((await runCheck(singularity, rhel)).status).toBe('pass');
  });
});
