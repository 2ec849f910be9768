import { afterEach, describe, expect, it, vi } from 'vitest';
import { osDistro } from '../../checks/os-distro';
import { runCheck, tempTree } from '../helpers/host';

const osRelease = (id: string, version: string, extra = '') => tempTree({ '/etc/os-release': `ID=${id}\nVERSION_ID="${version}"\nPRETTY_NAME="${id} ${version}"\n${extra}` });
const UBUNTU_AGENT = { family: 'ubuntu', version: '22.04', nodeAgent: 'batch.node.ubuntu 22.04' };
const EL9_AGENT = { family: 'el', version: '9', nodeAgent: 'batch.node.el 9' };

afterEach(() => {
  vi.useRealTimers();
});

describe('os.distro', () => {
  it('passes Azure Linux 3.0 (batch.node.azurelinux, node agent 1.12.15+)', async () => {
    const r = await runCheck(osDistro, osRelease('azurelinux', '3.0'));
    expect(r.status).toBe('pass');
    expect(r.message).toBe('azurelinux 3.0 is supported by Azure Batch (node agent batch.node.azurelinux 3.0)');
    const pooled = await runCheck(osDistro, osRelease('azurelinux', '3.0'), { settings: { expectedDistro: { family: 'azurelinux', version: '3.0', nodeAgent: 'batch.node.azurelinux 3.0' } } });
    expect(pooled.status).toBe('pass');
  });

  it.each([
    ['almalinux', '9.4'],
    ['rocky', '8.9'],
    ['azurelinux', '3.0'],
  ])('fails %s %s when the pool installs Singularity: node prep uses zypper there', async (id, v) => {
    const r = await runCheck(osDistro, osRelease(id, v), { features: ['docker', 'singularity'] });
    expect(r.status).toBe('fail');
    expect(r.message).toBe(
      `the pool installs Singularity, and Batch Shipyard node prep installs its prerequisites with zypper on ${id} ${v} (it uses apt only for ubuntu/debian and yum only for centos/rhel), but zypper is not installed: node prep retries for about two minutes and exits`,
    );
    expect(r).toMatchObject({ category: 'config', retryable: false });
    // Without Singularity node prep installs nothing on a custom image: no zypper needed.
    expect((await runCheck(osDistro, osRelease(id, v))).status).toBe('pass');
  });

  it('Singularity on RHEL (yum) or on an image that has zypper is fine', async () => {
    expect((await runCheck(osDistro, osRelease('rhel', '9.4'), { features: ['singularity'] })).status).toBe('pass');
    const withZypper = tempTree({ '/etc/os-release': 'ID=almalinux\nVERSION_ID="9.4"\n', '/usr/bin/zypper': '#!/bin/sh\nexit 0\n' });
    expect((await runCheck(osDistro, withZypper, { features: ['singularity'] })).status).toBe('pass');
  });

  it('Ubuntu 22.04 passes with the announced end of support, and is retired from 2027-06-30', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2027-01-01T12:00:00Z'));
    const before = await runCheck(osDistro, osRelease('ubuntu', '22.04'));
    expect(before.status).toBe('pass');
    expect(before.message).toBe('ubuntu 22.04 is supported by Azure Batch (node agent batch.node.ubuntu 22.04); note: Azure Batch ends support for batch.node.ubuntu 22.04 on 2027-06-30 (in 180 days)');
    vi.setSystemTime(new Date('2027-06-30T00:00:00Z'));
    const after = await runCheck(osDistro, osRelease('ubuntu', '22.04'));
    expect(after.status).toBe('warn');
    expect(after.message).toBe('ubuntu 22.04 is retired by Azure Batch (node agent batch.node.ubuntu 22.04 retired on 2027-06-30)');
  });

  it('passes a supported distribution (fixture tree)', async () => {
    const r = await runCheck(osDistro, 'hosts/storage-ubuntu-good');
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ id: 'ubuntu', versionId: '22.04', nodeAgent: 'batch.node.ubuntu 22.04' });
  });

  it('matches RHEL 9.4 against the el 9 node agent by major version', async () => {
    const r = await runCheck(osDistro, 'hosts/storage-el9-bad', { settings: { expectedDistro: EL9_AGENT } });
    expect(r.status).toBe('pass');
    expect(r.message).toContain('batch.node.el 9');
  });

  it.each([
    ['almalinux', '9.3'],
    ['rocky', '8.9'],
  ])('passes %s %s with the matching el agent', async (id, v) => {
    const r = await runCheck(osDistro, osRelease(id, v), { settings: { expectedDistro: { family: 'el', version: v.split('.')[0], nodeAgent: `batch.node.el ${v.split('.')[0]}` } } });
    expect(r.status).toBe('pass');
  });

  it('takes the family of a node agent from the one table the requirements use: SLES under batch.node.sles is not a mismatch', async () => {
    const { nodeAgentExpectations } = await import('../../src/requirements/node-agent');
    const expectedDistro = nodeAgentExpectations('batch.node.sles 15');
    const r = await runCheck(osDistro, osRelease('sles', '15'), { settings: { expectedDistro } });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/not a distribution Azure Batch supports/);
  });

  it('does not take Oracle Linux for the el node agent', async () => {
    const r = await runCheck(osDistro, osRelease('ol', '9.3'), { settings: { expectedDistro: EL9_AGENT } });
    expect(r.status).toBe('fail');
  });

  it('fails an Ubuntu node agent on a RHEL image', async () => {
    const r = await runCheck(osDistro, 'hosts/storage-el9-bad', { settings: { expectedDistro: UBUNTU_AGENT } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/Red Hat Enterprise Linux 9\.4.*batch\.node\.ubuntu 22\.04/);
    expect(r.remediation).toContain('batch.node.el 9');
  });

  it('fails a version mismatch within the family', async () => {
    const r = await runCheck(osDistro, 'hosts/storage-bare', { settings: { expectedDistro: UBUNTU_AGENT } });
    expect(r.status).toBe('fail');
    expect(r.message).toContain('Ubuntu 24.04');
  });

  it.each([
    ['ubuntu', '20.04', /retired on 2025-04-23/],
    ['ubuntu', '18.04', /retired/],
    ['centos', '7', /retired.*2024-07-01/],
    ['debian', '10', /retired/],
    ['debian', '12', /not a distribution Azure Batch supports/],
    ['sles', '15.5', /not a distribution Azure Batch supports/],
  ])('warns about %s %s', async (id, v, msg) => {
    const r = await runCheck(osDistro, osRelease(id, v));
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(msg);
    expect(r.remediation).toContain('Ubuntu 22.04');
  });

  it('fails when os-release and lsb-release are missing (tool missing)', async () => {
    const r = await runCheck(osDistro, tempTree({ '/etc/hostname': 'x\n' }));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/does not exist and neither does \/etc\/lsb-release/);
  });

  it('points at /usr/lib/os-release when only the /etc link is gone', async () => {
    const r = await runCheck(osDistro, tempTree({ '/usr/lib/os-release': 'ID=ubuntu\nVERSION_ID="22.04"\n' }));
    expect(r.status).toBe('fail');
    expect(r.remediation).toContain('ln -s ../usr/lib/os-release /etc/os-release');
  });

  it.each([
    ['empty', '', /empty/],
    ['truncated', 'NAME="Ubuntu"\nVERSION="22.04.4 LTS (Jam', /no ID and VERSION_ID.*truncated/],
    ['garbage', '\u0000\u00ff\u0001binary\n', /no ID and VERSION_ID/],
  ])('fails an %s os-release (broken)', async (_, text, msg) => {
    const r = await runCheck(osDistro, tempTree({ '/etc/os-release': text }));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(msg);
  });

  it('falls back to /etc/lsb-release as Shipyard does, and warns that os-release is missing', async () => {
    const r = await runCheck(osDistro, tempTree({ '/etc/lsb-release': 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\n' }));
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/from \/etc\/lsb-release/);
    expect(r.evidence).toMatchObject({ source: '/etc/lsb-release', id: 'ubuntu' });
  });

  it.each([
    ['ID', 'VERSION_ID="22.04"\nNAME="Ubuntu"\n'],
    ['VERSION_ID', 'ID=debian\nPRETTY_NAME="Debian GNU/Linux trixie/sid"\n'],
  ])('fails an os-release without %s: node prep needs both', async (lacking, text) => {
    const r = await runCheck(osDistro, tempTree({ '/etc/os-release': text }));
    expect(r.status).toBe('fail');
    expect(r.message).toBe(`/etc/os-release has no ${lacking} (it looks truncated or damaged); Batch Shipyard node prep cannot tell the distribution and exits`);
  });

  it('calls an os-release of blank lines empty', async () => {
    const r = await runCheck(osDistro, tempTree({ '/etc/os-release': '\n\n' }));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/has no ID and VERSION_ID \(the file is empty\)/);
  });

  it.each([
    ['DISTRIB_ID', 'DISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\n'],
    ['DISTRIB_RELEASE', 'DISTRIB_ID=Ubuntu\nDISTRIB_CODENAME=jammy\n'],
  ])('fails an lsb-release without %s when os-release is missing', async (_, text) => {
    const r = await runCheck(osDistro, tempTree({ '/etc/lsb-release': text }));
    expect(r.status).toBe('fail');
    expect(r.message).toBe('/etc/os-release does not exist and /etc/lsb-release lacks DISTRIB_ID/DISTRIB_RELEASE; Batch Shipyard node prep cannot tell the distribution and exits');
  });

  it('does not offer to restore the /etc/os-release link when /usr/lib/os-release cannot be looked at either', async () => {
    const r = await runCheck(osDistro, tempTree({ '/usr/lib/os-release': { link: '/usr/lib/os-release' } }));
    expect(r.status).toBe('fail');
    expect(r.remediation).not.toContain('ln -s');
    expect(r.remediation).toContain('base-files');
  });

  it('errors when os-release is missing and lsb-release cannot be read', async () => {
    const r = await runCheck(osDistro, tempTree({ '/etc/lsb-release': { link: '/etc/lsb-release' } }));
    expect(r.status).toBe('error');
    expect(r.message).toContain('/etc/lsb-release');
  });

  it('asks to restore os-release too when a retired distribution was read from lsb-release, and only then', async () => {
    const fromLsb = await runCheck(osDistro, tempTree({ '/etc/lsb-release': 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=20.04\n' }));
    expect(fromLsb.status).toBe('warn');
    expect(fromLsb.remediation).toMatch(/ Restore \/etc\/os-release too\.$/);
    const fromOsRelease = await runCheck(osDistro, osRelease('ubuntu', '20.04'));
    expect(fromOsRelease.status).toBe('warn');
    expect(fromOsRelease.remediation).not.toContain('Restore /etc/os-release');
  });

  it('takes a node agent family it has no table row for (batch.node.fedora) as the os-release ID itself', async () => {
    const { nodeAgentExpectations } = await import('../../src/requirements/node-agent');
    const expectedDistro = nodeAgentExpectations('batch.node.fedora 40');
    const same = await runCheck(osDistro, osRelease('fedora', '40'), { settings: { expectedDistro } });
    expect(same.status).toBe('warn');
    expect(same.message).toBe('fedora 40 is not a distribution Azure Batch supports for Linux node agents');
    const other = await runCheck(osDistro, osRelease('ubuntu', '22.04'), { settings: { expectedDistro } });
    expect(other.status).toBe('fail');
  });

  it('names the expected family and version in a mismatch, and no stray space when the node agent has no version', async () => {
    const r = await runCheck(osDistro, osRelease('rhel', '9.4'), { settings: { expectedDistro: UBUNTU_AGENT } });
    expect(r.message).toBe("the image is rhel 9.4, but the pool's node agent batch.node.ubuntu 22.04 expects ubuntu 22.04");
    expect(r.remediation).toBe('Use the node agent SKU that matches the image (batch.node.el 9), or build the image from ubuntu 22.04.');
    const { nodeAgentExpectations } = await import('../../src/requirements/node-agent');
    const unversioned = await runCheck(osDistro, osRelease('rhel', '9.4'), { settings: { expectedDistro: nodeAgentExpectations('batch.node.ubuntu') } });
    expect(unversioned.message).toBe("the image is rhel 9.4, but the pool's node agent batch.node.ubuntu expects ubuntu");
    expect(unversioned.remediation).toBe('Use the node agent SKU that matches the image (batch.node.el 9), or build the image from ubuntu.');
  });

  it('counts the days to the end of support by calendar day, not by the hour', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2027-01-01T23:59:00Z'));
    const r = await runCheck(osDistro, osRelease('ubuntu', '22.04'));
    expect(r.message).toMatch(/on 2027-06-30 \(in 180 days\)$/);
  });

  it('errors when os-release cannot be read', async () => {
    const root = tempTree({ '/etc/os-release': { link: '/etc/os-release' } });
    const r = await runCheck(osDistro, root);
    expect(r.status).toBe('error');
  });
});
