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

  it('errors on values it cannot interpret, never passes', async () => {
    expect((await runCheck(selinuxMode, tempTree({ 'etc/selinux/config': config('sometimes') }))).status).toBe('error');
    expect((await runCheck(selinuxMode, tempTree({ 'sys/fs/selinux/enforce': 'garbage' }))).status).toBe('error');
    expect((await runCheck(selinuxMode, tempTree({ 'etc/selinux/config/oops': 'x' }))).status).toBe('error');
  });
});
