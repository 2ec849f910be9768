import { describe, expect, it } from 'vitest';
import { beeond } from '../../checks/beeond';
import { runCheck, tempTree } from '../helpers/host';

describe('beeond', () => {
  it('passes: installed, and the first PermitRootLogin (from an Included drop-in) allows key login', async () => {
    const r = await runCheck(beeond, 'hosts/storage-ubuntu-good');
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/\/usr\/bin\/beeond.*PermitRootLogin prohibit-password, \/etc\/ssh\/sshd_config\.d\/50-batch\.conf line 1/);
  });

  it('finds beeond in /opt/beegfs/sbin, and warns when a drop-in forbids root login (first value wins)', async () => {
    const r = await runCheck(beeond, 'hosts/storage-el9-bad');
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/\/opt\/beegfs\/sbin\/beeond.*01-permitrootlogin\.conf line 2 sets PermitRootLogin no/);
    expect(r.evidence).toMatchObject({ sshdFiles: ['/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d/01-permitrootlogin.conf', '/etc/ssh/sshd_config.d/50-redhat.conf'] });
  });

  it('ignores PermitRootLogin inside a Match block, and a relative Include resolves under /etc/ssh', async () => {
    const root = tempTree(
      {
        '/etc/ssh/sshd_config': 'Include conf.d/*.conf\nMatch Address 10.0.0.0/8\n  PermitRootLogin no\n',
        '/etc/ssh/conf.d/a.conf': 'Port 22\n',
        '/etc/ssh/conf.d/.hidden.conf': 'PermitRootLogin no\n',
      },
      'hosts/storage-ubuntu-good',
    );
    const r = await runCheck(beeond, root);
    expect(r.status).toBe('pass');
    expect(r.message).toContain('not set: prohibit-password');
  });

  it('warns on forced-commands-only in the main file', async () => {
    const r = await runCheck(beeond, tempTree({ '/etc/ssh/sshd_config': 'PermitRootLogin forced-commands-only\n' }, 'hosts/storage-ubuntu-good'));
    expect(r.status).toBe('warn');
    expect(r.remediation).toContain('/etc/ssh/sshd_config line 1');
  });

  it('fails when beeond is missing', async () => {
    const r = await runCheck(beeond, 'hosts/storage-bare');
    expect(r.status).toBe('fail');
    expect(r.message).toContain('beeond is not installed');
  });

  it('fails when beeond is a dangling link (broken install)', async () => {
    const r = await runCheck(beeond, tempTree({ '/usr/bin/beeond': { link: '/opt/beegfs/sbin/beeond' } }, 'hosts/storage-bare'));
    expect(r.status).toBe('fail');
  });

  it('errors when the sshd configuration cannot be parsed, naming file and line', async () => {
    const r = await runCheck(beeond, tempTree({ '/etc/ssh/sshd_config.d/50-batch.conf': 'AcceptEnv "LANG\n' }, 'hosts/storage-ubuntu-good'));
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/\/etc\/ssh\/sshd_config\.d\/50-batch\.conf line 1: unterminated/);
  });

  it('errors on an Include loop instead of hanging', async () => {
    const r = await runCheck(beeond, tempTree({ '/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config\n' }, 'hosts/storage-ubuntu-good'));
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/nested deeper/);
  });

  it('warns when there is no sshd_config at all', async () => {
    const r = await runCheck(beeond, tempTree({ '/usr/bin/beeond': '#!/bin/sh\nexit 0\n' }));
    expect(r.status).toBe('warn');
    expect(r.message).toContain('no /etc/ssh/sshd_config');
  });

  it('warns, never passes, on a PermitRootLogin sshd rejects (no value, or an unknown one): sshd does not start', async () => {
    const none = await runCheck(beeond, tempTree({ '/etc/ssh/sshd_config': 'PermitRootLogin\n' }, 'hosts/storage-ubuntu-good'));
    expect(none.status).toBe('warn');
    expect(none.message).toMatch(/\/etc\/ssh\/sshd_config line 1 sets PermitRootLogin without a value, which sshd rejects/);
    expect(none.evidence).toMatchObject({ permitRootLogin: { value: null, file: '/etc/ssh/sshd_config', line: 1 } });
    const unknown = await runCheck(beeond, tempTree({ '/etc/ssh/sshd_config': 'PermitRootLogin maybe\n' }, 'hosts/storage-ubuntu-good'));
    expect(unknown.status).toBe('warn');
    expect(unknown.message).toMatch(/sets PermitRootLogin to "maybe", which sshd rejects/);
    expect(unknown.remediation).toBe('Set PermitRootLogin prohibit-password in /etc/ssh/sshd_config line 1, check with sshd -t, and reload sshd.');
  });

  it('takes PermitRootLogin values in any case, as sshd does', async () => {
    const blocked = await runCheck(beeond, tempTree({ '/etc/ssh/sshd_config': 'PermitRootLogin No\n' }, 'hosts/storage-ubuntu-good'));
    expect(blocked.status).toBe('warn');
    expect(blocked.message).toMatch(/sets PermitRootLogin No: Batch Shipyard's autoscratch logs in/);
    const allowed = await runCheck(beeond, tempTree({ '/etc/ssh/sshd_config': 'PermitRootLogin Without-Password\n' }, 'hosts/storage-ubuntu-good'));
    expect(allowed.status, allowed.message).toBe('pass');
  });
});
