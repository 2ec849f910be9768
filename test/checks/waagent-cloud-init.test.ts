import { describe, expect, it } from 'vitest';
import { waagentResourceDisk } from '../../checks/waagent-resource-disk';
import { runCheck, tempTree } from '../helpers/host';

describe('waagent.resource-disk', () => {
  it('passes an Ubuntu image whose agent and cloud-init both use /mnt (cloud-init files merged)', async () => {
    const r = await runCheck(waagentResourceDisk, 'hosts/storage-ubuntu-good');
    expect(r.status).toBe('pass');
    expect(r.message).toBe('ResourceDisk.MountPoint=/mnt (the Ubuntu node agent default); cloud-init leaves the temp disk (ephemeral0) alone');
    expect(r.evidence).toMatchObject({ cloudInitFiles: ['/etc/cloud/cloud.cfg', '/etc/cloud/cloud.cfg.d/90-azure-temp-disk.cfg', '/etc/cloud/cloud.cfg.d/90_dpkg.cfg'] });
  });

  it('fails naming the waagent line and every cloud-init file and key that moves or reformats the disk', async () => {
    const r = await runCheck(waagentResourceDisk, 'hosts/storage-el9-bad');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('ResourceDisk.MountPoint=/mnt/scratch at /etc/waagent.conf line 4: Batch Shipyard node prep exits unless the temp disk is at /mnt or /mnt/resource');
    expect(r.message).toContain('/etc/cloud/cloud.cfg key mounts[0] mounts ephemeral0 at /mnt/scratch, not at /mnt or /mnt/resource');
    expect(r.message).toContain('/etc/cloud/cloud.cfg.d/50-temp-disk.cfg key disk_setup.ephemeral0.layout repartitions ephemeral0');
    expect(r.message).toContain('/etc/cloud/cloud.cfg.d/50-temp-disk.cfg key fs_setup[0].filesystem formats ephemeral0.1 as xfs');
    expect(r.remediation).toMatch(/ResourceDisk\.MountPoint=\/mnt\/resource[^]*cloud-init clean/);
  });

  it('fails on cloud-init alone when waagent.conf is right', async () => {
    const r = await runCheck(waagentResourceDisk, tempTree({ '/etc/cloud/cloud.cfg.d/99-scratch.cfg': 'mounts:\n  - [ephemeral0, /scratch]\n' }, 'hosts/storage-ubuntu-good'));
    expect(r.status).toBe('fail');
    expect(r.message).toBe('cloud-init changes the temp disk: /etc/cloud/cloud.cfg.d/99-scratch.cfg key mounts[0] mounts ephemeral0 at /scratch, not at /mnt or /mnt/resource');
  });

  it('a later drop-in that restores the default mount wins over an earlier one', async () => {
    const root = tempTree(
      { '/etc/cloud/cloud.cfg.d/10-bad.cfg': 'mounts: [[ephemeral0, /scratch]]\n', '/etc/cloud/cloud.cfg.d/95-fix.cfg': 'mounts: [[ephemeral0, /mnt]]\n' },
      'hosts/storage-ubuntu-good',
    );
    expect((await runCheck(waagentResourceDisk, root)).status).toBe('pass');
  });

  it('errors naming the file and line when a cloud-init file is not valid YAML', async () => {
    const r = await runCheck(waagentResourceDisk, tempTree({ '/etc/cloud/cloud.cfg': 'users:\n  - default\nmounts:\n  - [ephemeral0, /mnt\n  foo: : bar\n' }, 'hosts/storage-ubuntu-good'));
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/cloud-init configuration \/etc\/cloud\/cloud\.cfg line \d+ is not valid YAML/);
    expect(r.evidence).toMatchObject({ file: '/etc/cloud/cloud.cfg' });
  });

  it('warns when the agent is not installed and cloud-init is absent (tool missing)', async () => {
    const r = await runCheck(waagentResourceDisk, 'hosts/storage-bare');
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/waagent\.conf does not exist/);
  });

  it('keeps the agent behaviour: unset MountPoint means /mnt/resource', async () => {
    const r = await runCheck(waagentResourceDisk, tempTree({ '/etc/waagent.conf': 'ResourceDisk.Format=y\n', '/etc/os-release': 'ID=rhel\nVERSION_ID="9.4"\n' }));
    expect(r.status).toBe('pass');
    expect(r.message).toBe('ResourceDisk.MountPoint is not set, so the agent uses /mnt/resource (the node agent default on rhel); cloud-init is not configured (no /etc/cloud/cloud.cfg)');
  });

  it('errors when a cloud-init drop-in cannot be read', async () => {
    const r = await runCheck(waagentResourceDisk, tempTree({ '/etc/cloud/cloud.cfg.d/50-loop.cfg': { link: '/etc/cloud/cloud.cfg.d/50-loop.cfg' } }, 'hosts/storage-ubuntu-good'));
    expect(r.status).toBe('error');
    expect(r.message).toContain('/etc/cloud/cloud.cfg.d/50-loop.cfg');
  });
});
