import { describe, expect, it } from 'vitest';
import { selinuxMode } from '../../checks/selinux-mode';
import { runCheck, tempTree } from '../helpers/host';

const config = (mode: string) => `# This file controls the state of SELinux on the system.\nSELINUX=${mode}\nSELINUXTYPE=targeted\n`;

describe('selinux.mode', () => {
  it('passes when SELinux is not installed at all', async () => {
    const r = await runCheck(selinuxMode, tempTree({}));
    expect(r).toMatchObject({ status: 'pass', message: 'SELinux is disabled' });
  });

  it('passes permissive at runtime and boot', async () => {
    const r = await runCheck(selinuxMode, tempTree({ 'etc/selinux/config': config('permissive'), 'sys/fs/selinux/enforce': '0' }));
    expect(r).toMatchObject({ status: 'pass', message: 'SELinux is permissive', evidence: { bootMode: 'permissive', runningMode: 'permissive' } });
  });

  it('warns on enforcing, with the permissive-first advice', async () => {
    const r = await runCheck(selinuxMode, tempTree({ 'etc/selinux/config': config('enforcing'), 'sys/fs/selinux/enforce': '1' }));
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/enforcing \(running and configured at boot\)/);
    expect(r.remediation).toMatch(/SELINUX=permissive.*audit2allow/s);
  });

  it('warns on a runtime/boot mismatch', async () => {
    const r = await runCheck(selinuxMode, tempTree({ 'etc/selinux/config': config('disabled'), 'sys/fs/selinux/enforce': '0' }));
    expect(r.status).toBe('warn');
    expect(r.message).toBe('SELinux runs permissive but boots disabled: the next reboot changes behaviour');
  });

  it('warns on enforcing at boot in an offline image', async () => {
    const r = await runCheck(selinuxMode, tempTree({ 'etc/selinux/config': config('Enforcing') }), { live: false, canExec: false });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/configured at boot/);
  });

  it('takes a config without a SELINUX= line as disabled', async () => {
    const r = await runCheck(selinuxMode, tempTree({ 'etc/selinux/config': 'SELINUXTYPE=targeted\n' }));
    expect(r).toMatchObject({ status: 'pass', message: 'SELinux is disabled', evidence: { bootSource: '/etc/selinux/config has no SELINUX= line (treated as disabled)' } });
  });

  it('passes permissive at boot in an offline image, where the running mode is not read', async () => {
    const r = await runCheck(selinuxMode, tempTree({ 'etc/selinux/config': config('permissive') }), { live: false, canExec: false });
    expect(r).toMatchObject({ status: 'pass', message: 'SELinux is permissive at boot (running mode not read: not a live host)' });
    expect(r.evidence).not.toHaveProperty('runningMode');
  });

  it('says which side enforces: running only, or boot only', async () => {
    const running = await runCheck(selinuxMode, tempTree({ 'etc/selinux/config': config('permissive'), 'sys/fs/selinux/enforce': '1' }));
    expect(running).toMatchObject({ status: 'warn', message: 'SELinux is enforcing (running); the stock policy can block the Batch node agent and Docker' });
    // The permissive-first advice, not "make them agree" (which would make enforcing permanent).
    expect(running.remediation).toMatch(/^Set SELINUX=permissive/);
    const atBoot = await runCheck(selinuxMode, tempTree({ 'etc/selinux/config': config('enforcing'), 'sys/fs/selinux/enforce': '0' }));
    expect(atBoot).toMatchObject({ status: 'warn', message: 'SELinux is enforcing (configured at boot); the stock policy can block the Batch node agent and Docker' });
  });

  it('errors when /sys/fs/selinux/enforce cannot be read, even with SELinux disabled at boot', async () => {
    const r = await runCheck(selinuxMode, tempTree({ 'sys/fs/selinux/enforce': { link: 'enforce' } }));
    expect(r.status).toBe('error');
    expect(r.message).toContain('/sys/fs/selinux/enforce');
  });

  it('errors on values it cannot interpret, never passes', async () => {
    expect((await runCheck(selinuxMode, tempTree({ 'etc/selinux/config': config('sometimes') }))).status).toBe('error');
    expect((await runCheck(selinuxMode, tempTree({ 'sys/fs/selinux/enforce': 'garbage' }))).status).toBe('error');
    expect((await runCheck(selinuxMode, tempTree({ 'etc/selinux/config/oops': 'x' }))).status).toBe('error');
  });
});
