import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { sshd } from '../../checks/sshd';
import { runCheck, tempTree } from '../helpers/host';

const READY = 'hosts/ubuntu2204-ready';
const NO_LISTENER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0\n';

describe('sshd', () => {
  it('passes when installed, enabled at boot and listening on 22', async () => {
    const r = await runCheck(sshd, READY);
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ binary: '/usr/sbin/sshd', listeningOn22: ['0.0.0.0', '::'] });
  });

  it('fails when nothing listens on TCP 22', async () => {
    const root = tempTree({ 'proc/net/tcp': NO_LISTENER, 'proc/net/tcp6': '' }, READY);
    const r = await runCheck(sshd, root);
    expect(r).toMatchObject({ status: 'fail', message: 'sshd is installed and enabled, but nothing listens on TCP 22' });
    expect(r.remediation).toContain('systemctl start ssh.service');
  });

  it('fails when not installed, with the install command for the family', async () => {
    const root = tempTree({}, READY);
    rmSync(path.join(root, 'usr/sbin/sshd'));
    const r = await runCheck(sshd, root);
    expect(r).toMatchObject({ status: 'fail', message: 'sshd is not installed' });
    expect(r.remediation).toBe('apt-get update && apt-get install -y openssh-server');
  });

  it('fails when the unit is not enabled at boot', async () => {
    const root = tempTree({}, READY);
    rmSync(path.join(root, 'etc/systemd/system/multi-user.target.wants/ssh.service'));
    const r = await runCheck(sshd, root);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/ssh.service is disabled/);
  });

  it('errors when the listening sockets cannot be read (garbage /proc/net/tcp)', async () => {
    const root = tempTree({ 'proc/net/tcp': '\u0000\u0001garbage\nmore garbage\n' }, READY);
    const r = await runCheck(sshd, root);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/could not read the listening sockets/);
  });

  it('checks only installation and enablement when the host is not live', async () => {
    const root = tempTree({ 'proc/net/tcp': NO_LISTENER }, READY);
    const r = await runCheck(sshd, root, { live: false, canExec: false });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/listening not checked: not a live host/);
  });
});
