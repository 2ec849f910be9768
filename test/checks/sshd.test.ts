import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { sshd } from '../../checks/sshd';
import { runCheck, tempTree } from '../helpers/host';
import type { Feature } from '../../src/types';

const READY = 'hosts/ubuntu2204-ready';
const NOBLE = 'hosts/ubuntu2404-ssh-socket';
/** A pool that uses the host's sshd (ssh.username, Singularity MPI, autoscratch): problems fail instead of warn. */
const NEEDED: { features: Feature[] } = { features: ['docker', 'ssh', 'ssh-access'] };
const NO_LISTENER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0\n';

describe('sshd', () => {
  it('passes when installed, enabled at boot and listening on 22', async () => {
    const r = await runCheck(sshd, READY);
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ binary: '/usr/sbin/sshd', listeningOn22: ['0.0.0.0', '::'] });
  });

  it('passes on stock Ubuntu 24.04: ssh.socket enabled, ssh.service disabled (socket activation)', async () => {
    const r = await runCheck(sshd, NOBLE, NEEDED);
    expect(r.status, r.message).toBe('pass');
    expect(r.message).toBe('sshd is installed, ssh.socket is enabled at boot (socket activation), and TCP 22 is listening on ::');
    expect(r.evidence).toMatchObject({ units: { 'ssh.service': 'disabled', 'ssh.socket': 'enabled' } });
  });

  it('socket activation offline: enabled at boot, listening not checked', async () => {
    const r = await runCheck(sshd, NOBLE, { live: false, canExec: false });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/ssh\.socket is enabled at boot \(socket activation\) \(listening not checked/);
  });

  it('with the socket disabled too, it will not run: warn by default, fail when the pool needs SSH', async () => {
    const root = tempTree({}, NOBLE);
    rmSync(path.join(root, 'etc/systemd/system/sockets.target.wants/ssh.socket'));
    rmSync(path.join(root, 'etc/systemd/system/ssh.service.requires/ssh.socket'));
    expect((await runCheck(sshd, root)).status).toBe('warn');
    const r = await runCheck(sshd, root, NEEDED);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/neither its service nor its socket is enabled .*requirement ssh-access/);
  });

  it('nothing on TCP 22: warns that the guide says should; fails when the pool needs SSH; the fix starts the enabled unit', async () => {
    const root = tempTree({ 'proc/net/tcp': NO_LISTENER, 'proc/net/tcp6': '' }, READY);
    const r = await runCheck(sshd, root);
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^sshd is installed and enabled, but nothing listens on TCP 22; .*guide says the image should run one/);
    expect(r.remediation).toContain('systemctl start ssh.service');
    const needed = await runCheck(sshd, root, NEEDED);
    expect(needed.status).toBe('fail');
    expect(needed.message).toMatch(/the pool needs the host's SSH server/);
    const socket = await runCheck(sshd, tempTree({ 'proc/net/tcp6': '' }, NOBLE));
    expect(socket.remediation).toContain('systemctl start ssh.socket');
  });

  it('not installed: warns by default, fails when the pool needs SSH, with the install command for the family', async () => {
    const root = tempTree({}, READY);
    rmSync(path.join(root, 'usr/sbin/sshd'));
    const r = await runCheck(sshd, root);
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^sshd is not installed; /);
    expect(r.remediation).toBe('apt-get update && apt-get install -y openssh-server');
    expect((await runCheck(sshd, root, NEEDED)).status).toBe('fail');
  });

  it('the unit not enabled at boot: warns by default, fails when the pool needs SSH', async () => {
    const root = tempTree({}, READY);
    rmSync(path.join(root, 'etc/systemd/system/multi-user.target.wants/ssh.service'));
    const r = await runCheck(sshd, root);
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/ssh.service is disabled/);
    expect(r.remediation).toBe('systemctl enable ssh.service');
    expect((await runCheck(sshd, root, NEEDED)).status).toBe('fail');
  });

  it('errors, rather than calling sshd disabled, when a unit file cannot be read (a symlink loop)', async () => {
    const root = tempTree({ 'etc/systemd/system/ssh.service': { link: 'ssh.service' } }, READY);
    const r = await runCheck(sshd, root);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read .*ssh\.service/);
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
