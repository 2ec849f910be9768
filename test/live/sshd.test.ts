// A real OpenSSH server (apt openssh-server) in the scenario sandbox: sshd passes only when its
// service or socket is enabled and something really listens on the namespace's TCP 22. SSH is the
// guide's "should": problems warn, and fail only when the pool needs it (--require ssh-access).
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';
import { schemaErrors } from '../helpers/schema';

// Host keys and an enabled unit, as an image built from openssh-server has them.
const PREPARE = `
ls /etc/ssh/ssh_host_*_key >/dev/null 2>&1 || ssh-keygen -A
[ "$(systemctl is-enabled ssh.service 2>/dev/null)" = enabled ] || systemctl enable ssh.service
echo "unit: $(systemctl is-enabled ssh.service)"
[ "$(systemctl is-enabled ssh.service)" = enabled ]
`;

const START_SSHD = `
mkdir -p /run/sshd
/usr/sbin/sshd -p 22 || exit 1
for i in $(seq 1 50); do grep -q ':0016 00000000:0000 0A' /proc/net/tcp && break; sleep 0.1; done
grep -q ':0016 00000000:0000 0A' /proc/net/tcp && echo "sshd listening"
`;

function sshdOutcome(setup: string, flags = '') {
  const r = runScenario({ setup, run: `node $BUNDLE --mode image --only sshd --format json ${flags}` });
  const report = JSON.parse(r.stdout);
  expect(schemaErrors(report)).toBe('');
  return { r, check: report.checks.find((c: { id: string }) => c.id === 'sshd') };
}

describeLive('sshd against a real OpenSSH server', { commands: { sshd: 'openssh-server', 'ssh-keygen': 'openssh-client', systemctl: 'systemd' } }, () => {
  it('passes when ssh.service is enabled and sshd listens on TCP 22', () => {
    const { r, check } = sshdOutcome(PREPARE + START_SSHD);
    expect(r.setupOutput).toMatch(/unit: enabled[\s\S]*sshd listening/);
    expect(check.status, check.message).toBe('pass');
    expect(check.message).toMatch(/^sshd is installed, ssh.service is enabled at boot, and TCP 22 is listening on /);
    expect(check.evidence).toMatchObject({ binary: '/usr/sbin/sshd', units: { 'ssh.service': 'enabled' } });
    expect(r.status).toBe(0);
  });

  it('socket activation as on Ubuntu 24.04 (ssh.socket enabled, ssh.service disabled, 22 answered): pass', () => {
    const { r, check } = sshdOutcome(`${PREPARE}systemctl disable ssh.service\nsystemctl enable ssh.socket\necho "socket: $(systemctl is-enabled ssh.socket) service: $(systemctl is-enabled ssh.service)"\n${START_SSHD}`, '--require ssh-access');
    expect(r.setupOutput).toMatch(/socket: enabled service: disabled[\s\S]*sshd listening/);
    expect(check.status, check.message).toBe('pass');
    expect(check.message).toMatch(/ssh\.socket is enabled at boot \(socket activation\)/);
    expect(r.status).toBe(0);
  });

  it('"nothing listens on TCP 22" when the enabled server is not running: warn, or fail when the pool needs SSH', () => {
    const { r, check } = sshdOutcome(PREPARE);
    expect(check.status).toBe('warn');
    expect(check.message).toMatch(/^sshd is installed and enabled, but nothing listens on TCP 22; /);
    expect(check.remediation).toMatch(/systemctl start ssh\.service/);
    expect(r.status).toBe(0);
    const needed = sshdOutcome(PREPARE, '--require ssh-access');
    expect(needed.check.status).toBe('fail');
    expect(needed.r.status).toBe(1);
  });

  it('sshd listens but neither service nor socket is enabled (it would not come back after a reboot): fail when the pool needs SSH', () => {
    const { r, check } = sshdOutcome(`${PREPARE}systemctl disable ssh.service ssh.socket\n${START_SSHD}`, '--require ssh-access');
    expect(r.setupOutput).toMatch(/sshd listening/);
    expect(check.status).toBe('fail');
    expect(check.message).toMatch(/^sshd is installed but neither its service nor its socket is enabled \(ssh.service is disabled\), so it will not start at boot; /);
    expect(r.status).toBe(1);
  });
});
