// Node prep's distribution switch, as scripts/shipyard_nodeprep.sh (Batch Shipyard 3.9.1) writes it:
// the `PACKAGER=` block and mount_azureblob_container's packages.microsoft.com URLs.
import { describe, expect, it } from 'vitest';
import { nodePrepBlobfuseInstall, nodePrepCanInstall, nodePrepPackager } from '../../src/data/nodeprep-distro';

describe('node prep distribution switch', () => {
  it.each([
    ['ubuntu', 'apt'],
    ['debian', 'apt'],
    ['centos', 'yum'],
    ['centos-stream', 'yum'],
    ['rhel', 'yum'],
    ['RHEL', 'yum'],
    ['almalinux', 'zypper'],
    ['rocky', 'zypper'],
    ['azurelinux', 'zypper'],
    ['mariner', 'zypper'],
    ['sles', 'zypper'],
  ])('ID=%s takes the %s branch', (id, packager) => {
    expect(nodePrepPackager(id)).toBe(packager);
  });

  it('can install packages through zypper only on SUSE', () => {
    expect(nodePrepCanInstall('sles')).toMatchObject({ ok: true, packager: 'zypper' });
    expect(nodePrepCanInstall('opensuse-leap')).toMatchObject({ ok: true });
    expect(nodePrepCanInstall('almalinux')).toMatchObject({ ok: false, why: expect.stringContaining('ID=almalinux takes its zypper (SLES) branch') });
  });

  it('installs blobfuse v1 on Ubuntu up to 20.04, Debian 9, CentOS and SLES; not on Ubuntu 22.04+, other Debian or zypper-on-EL', () => {
    expect(nodePrepBlobfuseInstall('ubuntu', '18.04')).toMatchObject({ ok: true });
    expect(nodePrepBlobfuseInstall('ubuntu', '20.04')).toMatchObject({ ok: true });
    expect(nodePrepBlobfuseInstall('ubuntu', '22.04')).toMatchObject({ ok: false });
    expect(nodePrepBlobfuseInstall('ubuntu', '24.04')).toMatchObject({ ok: false });
    expect(nodePrepBlobfuseInstall('debian', '9')).toMatchObject({ ok: true, how: expect.stringContaining('config/ubuntu/16.04') });
    expect(nodePrepBlobfuseInstall('debian', '12')).toMatchObject({ ok: false, why: expect.stringContaining('unsupported distribution for Azure blob') });
    expect(nodePrepBlobfuseInstall('centos', '7')).toEqual({ ok: true, packager: 'yum', how: expect.stringContaining('config/rhel/7/') });
    expect(nodePrepBlobfuseInstall('rhel', '8.10')).toMatchObject({ ok: true, unsure: expect.stringContaining('config/rhel/8.10/') });
    expect(nodePrepBlobfuseInstall('sles', '15.5')).toMatchObject({ ok: true, how: expect.stringContaining('config/sles/15.5/') });
    expect(nodePrepBlobfuseInstall('rocky', '9.4')).toMatchObject({ ok: false });
  });
});
