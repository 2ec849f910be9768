import { describe, expect, it } from 'vitest';
import { osNodeprepFiles } from '../../checks/os-nodeprep-files';
import { runCheck, tempTree } from '../helpers/host';
import type { Feature } from '../../src/types';
import { staticSkip } from '../../src/engine/select';

const UBUNTU = { 'etc/os-release': 'ID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\n' };
const ROCKY = { 'etc/os-release': 'ID=rocky\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n' };
const SUDOERS = { 'etc/sudoers': 'Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n' };
const UNATTENDED = { 'etc/apt/apt.conf.d/50unattended-upgrades': 'Unattended-Upgrade::Package-Blacklist {\n};\n' };
const gpu = { features: ['docker', 'ssh', 'gpu'] as Feature[] };

describe('os.nodeprep-files', () => {
  it('passes with /etc/sudoers on a CPU pool (50unattended-upgrades not needed)', async () => {
    const r = await runCheck(osNodeprepFiles, tempTree({ ...UBUNTU, ...SUDOERS }));
    expect(r.status).toBe('pass');
    expect(r.message).toBe('/etc/sudoers exists for node prep to edit');
    expect(r.evidence).toMatchObject({ unattendedUpgrades: 'not needed (no gpu requirement)' });
  });

  it('fails on every pool when /etc/sudoers is missing, with a reinstall that restores a deleted conffile', async () => {
    const r = await runCheck(osNodeprepFiles, tempTree(UBUNTU));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^\/etc\/sudoers does not exist: node prep .* sed -i .*fails on a missing file/);
    expect(r.remediation).toMatch(/--force-confmiss sudo/);
    const el = await runCheck(osNodeprepFiles, tempTree(ROCKY));
    expect(el.status).toBe('fail');
    expect(el.remediation).toMatch(/^dnf reinstall -y sudo/);
    const azl = await runCheck(osNodeprepFiles, tempTree({ 'etc/os-release': 'ID=azurelinux\nVERSION_ID="3.0"\n' }));
    expect(azl.remediation).toMatch(/^tdnf reinstall -y sudo/);
  });

  it('fails when /etc/sudoers is a directory; follows a symlink to a file', async () => {
    const dir = tempTree({ ...UBUNTU, 'etc/sudoers/x': '' });
    expect((await runCheck(osNodeprepFiles, dir)).message).toMatch(/is a directory, not a file/);
    const link = tempTree({ ...UBUNTU, 'etc/sudoers.real': 'root ALL=(ALL) ALL\n', 'etc/sudoers': { link: '/etc/sudoers.real' } });
    expect((await runCheck(osNodeprepFiles, link)).status).toBe('pass');
  });

  it('Ubuntu GPU pool: 50unattended-upgrades must exist too', async () => {
    const missing = await runCheck(osNodeprepFiles, tempTree({ ...UBUNTU, ...SUDOERS }), gpu);
    expect(missing.status).toBe('fail');
    expect(missing.message).toMatch(/^\/etc\/apt\/apt\.conf\.d\/50unattended-upgrades does not exist: on Ubuntu GPU nodes/);
    expect(missing.remediation).toMatch(/unattended-upgrades/);
    const ok = await runCheck(osNodeprepFiles, tempTree({ ...UBUNTU, ...SUDOERS, ...UNATTENDED }), gpu);
    expect(ok.status).toBe('pass');
    expect(ok.message).toBe('/etc/sudoers and /etc/apt/apt.conf.d/50unattended-upgrades exist for node prep to edit');
  });

  it('node prep lower-cases the ID: ID=Ubuntu takes the Ubuntu GPU branch too', async () => {
    const r = await runCheck(osNodeprepFiles, tempTree({ 'etc/os-release': 'ID=Ubuntu\nVERSION_ID="22.04"\n', ...SUDOERS }), gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/50unattended-upgrades does not exist/);
  });

  it('a GPU pool on another distribution does not need 50unattended-upgrades', async () => {
    const r = await runCheck(osNodeprepFiles, tempTree({ ...ROCKY, ...SUDOERS }), gpu);
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ unattendedUpgrades: 'not needed (not Ubuntu)' });
  });

  it('is Batch Shipyard node prep\'s rule: skipped for a plain Batch pool', () => {
    expect(staticSkip(osNodeprepFiles, { features: new Set<Feature>(['docker']), mode: 'image', target: 'batch' })?.reason ?? null).toMatch(/--target shipyard/);
  });

  it('is an error, never a pass, when /etc/sudoers cannot be looked at (a symlink loop)', async () => {
    const r = await runCheck(osNodeprepFiles, tempTree({ ...UBUNTU, 'etc/sudoers': { link: '/etc/sudoers' } }));
    expect(r.status).toBe('error');
  });
});
