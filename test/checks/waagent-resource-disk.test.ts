import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { waagentResourceDisk } from '../../checks/waagent-resource-disk';
import { FIXTURES, runCheck, tempTree } from '../helpers/host';

const READY = 'hosts/ubuntu2204-ready';
const conf = readFileSync(path.join(FIXTURES, READY, 'etc/waagent.conf'), 'utf8');
const RHEL = 'ID="almalinux"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"\n';

describe('waagent.resource-disk', () => {
  it('with the distribution unknown, answers only what /mnt and /mnt/resource agree on', async () => {
    const unknown = (mount: string) => tempTree({ 'etc/os-release': '', 'etc/waagent.conf': conf.replace(/^ResourceDisk\.MountPoint=.*$/m, `ResourceDisk.MountPoint=${mount}`) }, READY);
    const elsewhere = await runCheck(waagentResourceDisk, unknown('/data/scratch'), { live: false });
    expect(elsewhere.status).toBe('fail');
    expect(elsewhere.message).toMatch(/MountPoint=\/data\/scratch .*\(the distribution is unknown; \/mnt, for Ubuntu node agents, gives the same answer\)$/);
    const either = await runCheck(waagentResourceDisk, unknown('/mnt'), { live: false });
    expect(either.status).toBe('error');
    expect(either.message).toMatch(/^could not check ResourceDisk\.MountPoint: the distribution is unknown/);
  });

  it('passes at the Ubuntu default /mnt', async () => {
    const r = await runCheck(waagentResourceDisk, READY);
    expect(r).toMatchObject({ status: 'pass', evidence: { value: '/mnt', expected: '/mnt', line: 15 } });
  });

  it('fails when the mount point was changed, naming the line', async () => {
    const root = tempTree({ 'etc/waagent.conf': conf.replace('ResourceDisk.MountPoint=/mnt', 'ResourceDisk.MountPoint=/data') }, READY);
    const r = await runCheck(waagentResourceDisk, root);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/ResourceDisk.MountPoint=\/data at \/etc\/waagent.conf line 15, but \/mnt is expected/);
    expect(r.remediation).toBe('Set ResourceDisk.MountPoint=/mnt in /etc/waagent.conf before capturing the image.');
  });

  it('follows the pool node agent over the distribution', async () => {
    const r = await runCheck(waagentResourceDisk, READY, { settings: { expectedResourceMount: '/mnt/resource', expectedDistro: { family: 'el', version: '9', nodeAgent: 'batch.node.el 9' } } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/batch.node.el 9/);
  });

  it('tells a missing key from a changed value', async () => {
    const noKey = conf.replace(/^ResourceDisk.MountPoint=.*$/m, '');
    const onRhel = await runCheck(waagentResourceDisk, tempTree({ 'etc/os-release': RHEL, 'etc/waagent.conf': noKey }));
    expect(onRhel).toMatchObject({ status: 'pass', evidence: { value: null, expected: '/mnt/resource' } });
    const onUbuntu = await runCheck(waagentResourceDisk, tempTree({ 'etc/waagent.conf': noKey }, READY));
    expect(onUbuntu.status).toBe('warn');
    expect(onUbuntu.message).toMatch(/not set, so the agent would use \/mnt\/resource/);
  });

  it('warns when waagent.conf is missing and errors when it cannot be read', async () => {
    const missing = await runCheck(waagentResourceDisk, tempTree({ 'etc/os-release': RHEL }));
    expect(missing.status).toBe('warn');
    expect(missing.message).toMatch(/does not exist/);
    const dir = await runCheck(waagentResourceDisk, tempTree({ 'etc/os-release': RHEL, 'etc/waagent.conf/x': '' }));
    expect(dir.status).toBe('error');
  });
});
