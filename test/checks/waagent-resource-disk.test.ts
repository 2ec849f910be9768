import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { waagentResourceDisk } from '../../checks/waagent-resource-disk';
import { FIXTURES, runCheck, tempTree } from '../helpers/host';

const READY = 'hosts/ubuntu2204-ready';
const conf = readFileSync(path.join(FIXTURES, READY, 'etc/waagent.conf'), 'utf8');
const RHEL = 'ID="almalinux"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"\n';

describe('waagent.resource-disk', () => {
  it('with the distribution unknown, fails a place node prep never accepts and passes either of /mnt and /mnt/resource', async () => {
    const unknown = (mount: string) => tempTree({ 'etc/os-release': '', 'etc/waagent.conf': conf.replace(/^ResourceDisk\.MountPoint=.*$/m, `ResourceDisk.MountPoint=${mount}`) }, READY);
    const elsewhere = await runCheck(waagentResourceDisk, unknown('/data/scratch'), { live: false });
    expect(elsewhere.status).toBe('fail');
    expect(elsewhere.message).toMatch(/^ResourceDisk\.MountPoint=\/data\/scratch at \/etc\/waagent\.conf line 15: Batch Shipyard node prep exits unless the temp disk is at \/mnt or \/mnt\/resource/);
    for (const place of ['/mnt', '/mnt/resource']) {
      const r = await runCheck(waagentResourceDisk, unknown(place), { live: false });
      expect(r.status).toBe('pass');
      expect(r.message).toMatch(new RegExp(`^ResourceDisk\\.MountPoint=${place} \\(node prep accepts /mnt or /mnt/resource\\)`));
    }
  });

  it('passes at the Ubuntu default /mnt', async () => {
    const r = await runCheck(waagentResourceDisk, READY);
    expect(r).toMatchObject({ status: 'pass', evidence: { value: '/mnt', nodeAgentDefault: '/mnt', line: 15 } });
  });

  it('fails when the mount point was changed, naming the line', async () => {
    const root = tempTree({ 'etc/waagent.conf': conf.replace('ResourceDisk.MountPoint=/mnt', 'ResourceDisk.MountPoint=/data') }, READY);
    const r = await runCheck(waagentResourceDisk, root);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/ResourceDisk.MountPoint=\/data at \/etc\/waagent.conf line 15: Batch Shipyard node prep exits unless the temp disk is at \/mnt or \/mnt\/resource/);
    expect(r.remediation).toBe('Set ResourceDisk.MountPoint=/mnt in /etc/waagent.conf before capturing the image.');
  });

  it("warns, not fails, when the place differs from the pool node agent's default (node prep accepts either)", async () => {
    const r = await runCheck(waagentResourceDisk, READY, { settings: { expectedResourceMount: '/mnt/resource', expectedDistro: { family: 'el', version: '9', nodeAgent: 'batch.node.el 9' } } });
    expect(r.status).toBe('warn');
    expect(r.category).toBe('config');
    expect(r.message).toMatch(/^ResourceDisk\.MountPoint=\/mnt: node prep accepts it, but the pool's node agent batch\.node\.el 9 is \/mnt\/resource/);
  });

  it('takes trailing slashes off the value before comparing it with the default', async () => {
    const root = tempTree({ 'etc/waagent.conf': conf.replace('ResourceDisk.MountPoint=/mnt', 'ResourceDisk.MountPoint=/mnt//') }, READY);
    const r = await runCheck(waagentResourceDisk, root);
    expect(r.status, r.message).toBe('pass');
  });

  it("cloud-init mounting ephemeral0 elsewhere fails; the fix names the node agent's default, or either place when it is unknown", async () => {
    const cfg = { 'etc/cloud/cloud.cfg': 'mounts:\n  - [ephemeral0, /mnt/scratch]\n' };
    const ubuntu = await runCheck(waagentResourceDisk, tempTree(cfg, READY));
    expect(ubuntu.status).toBe('fail');
    expect(ubuntu.message).toMatch(/^cloud-init changes the temp disk: \/etc\/cloud\/cloud\.cfg key mounts/);
    expect(ubuntu.remediation).toMatch(/ephemeral0 formatted ext4 and mounted at \/mnt\. /);
    const unknown = await runCheck(waagentResourceDisk, tempTree({ ...cfg, 'etc/os-release': '' }, READY), { live: false });
    expect(unknown.status).toBe('fail');
    expect(unknown.remediation).toMatch(/ephemeral0 formatted ext4 and mounted at \/mnt or \/mnt\/resource\. /);
  });

  it('tells a missing key from a changed value', async () => {
    const noKey = conf.replace(/^ResourceDisk.MountPoint=.*$/m, '');
    const onRhel = await runCheck(waagentResourceDisk, tempTree({ 'etc/os-release': RHEL, 'etc/waagent.conf': noKey }));
    expect(onRhel).toMatchObject({ status: 'pass', evidence: { value: null, nodeAgentDefault: '/mnt/resource' } });
    const onUbuntu = await runCheck(waagentResourceDisk, tempTree({ 'etc/waagent.conf': noKey }, READY));
    expect(onUbuntu.status).toBe('warn');
    expect(onUbuntu.message).toMatch(/^ResourceDisk\.MountPoint is not set, so the agent uses \/mnt\/resource: node prep accepts it, but the Ubuntu node agent default is \/mnt/);
  });

  it('warns when waagent.conf is missing and errors when it cannot be read', async () => {
    const missing = await runCheck(waagentResourceDisk, tempTree({ 'etc/os-release': RHEL }));
    expect(missing.status).toBe('warn');
    expect(missing.message).toMatch(/does not exist/);
    const dir = await runCheck(waagentResourceDisk, tempTree({ 'etc/os-release': RHEL, 'etc/waagent.conf/x': '' }));
    expect(dir.status).toBe('error');
  });
});
