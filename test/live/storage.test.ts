// Real storage clients from apt (nfs-common, glusterfs-client, glusterfs-server, cifs-utils) and the
// real /etc/waagent.conf and cloud-init configuration from Debian's waagent and cloud-init packages.
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

const AGENT = 'node $BUNDLE --mode image --format json';
const CLIENTS = `${AGENT} --require nfs,glusterfs,gluster-on-compute,azurefile --only nfs.client,glusterfs.client,glusterfs.server,azurefile`;

function statuses(stdout: string): Record<string, { status: string; message: string }> {
  const report = JSON.parse(stdout) as { checks: { id: string; status: string; message: string }[] };
  return Object.fromEntries(report.checks.map((c) => [c.id, { status: c.status, message: c.message }]));
}

const NEEDS = {
  commands: { 'mount.nfs4': 'nfs-common', glusterfs: 'glusterfs-client', glusterd: 'glusterfs-server', 'mount.cifs': 'cifs-utils', waagent: 'waagent', 'cloud-init': 'cloud-init', systemctl: 'systemd' },
};

describeLive('storage clients and resource disk settings (live)', NEEDS, () => {
  it('real NFS, GlusterFS and CIFS clients pass; glusterd enabled passes, disabled fails', () => {
    const enabled = runScenario({ setup: 'systemctl enable glusterd.service; [ "$(systemctl is-enabled glusterd.service)" = enabled ]', run: CLIENTS });
    const s = statuses(enabled.stdout);
    expect(s['nfs.client']).toMatchObject({ status: 'pass', message: expect.stringMatching(/`mount.nfs4 -V` reports \d/) });
    expect(s['glusterfs.client']).toMatchObject({ status: 'pass', message: expect.stringMatching(/`glusterfs -V` reports \d/) });
    expect(s['glusterfs.server']).toMatchObject({ status: 'pass', message: expect.stringContaining('glusterd.service is enabled at boot') });
    expect(s.azurefile).toMatchObject({ status: 'pass', message: expect.stringMatching(/`mount.cifs -V` reports \d/) });
    expect(enabled.status).toBe(0);

    const disabled = runScenario({ setup: 'systemctl disable glusterd.service; [ "$(systemctl is-enabled glusterd.service)" = disabled ]', run: CLIENTS });
    expect(statuses(disabled.stdout)['glusterfs.server']).toMatchObject({ status: 'fail', message: expect.stringContaining('glusterd.service is disabled') });
    expect(disabled.status).not.toBe(0);
  });

  it("Debian's own waagent.conf and cloud.cfg pass; moving the mount point with sed fails", () => {
    const run = `${AGENT} --only waagent.resource-disk`;
    const stock = statuses(runScenario({ setup: 'grep -qx ResourceDisk.MountPoint=/mnt/resource /etc/waagent.conf', run }).stdout)['waagent.resource-disk'];
    expect(stock).toMatchObject({ status: 'pass', message: expect.stringContaining('ResourceDisk.MountPoint=/mnt/resource') });

    const moved = runScenario({ setup: "sed -i 's|^ResourceDisk.MountPoint=.*|ResourceDisk.MountPoint=/mnt/scratch|' /etc/waagent.conf; grep -qx ResourceDisk.MountPoint=/mnt/scratch /etc/waagent.conf", run });
    expect(statuses(moved.stdout)['waagent.resource-disk']).toMatchObject({ status: 'fail', message: expect.stringContaining('ResourceDisk.MountPoint=/mnt/scratch at /etc/waagent.conf line') });

    const cloud = runScenario({ setup: "printf 'fs_setup:\\n  - {filesystem: xfs, device: ephemeral0.1}\\n' > /etc/cloud/cloud.cfg.d/50-scratch.cfg", run });
    expect(statuses(cloud.stdout)['waagent.resource-disk']).toMatchObject({ status: 'fail', message: expect.stringContaining('/etc/cloud/cloud.cfg.d/50-scratch.cfg key fs_setup[0].filesystem formats ephemeral0.1 as xfs') });
  });
});
