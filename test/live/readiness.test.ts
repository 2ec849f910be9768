// --wait against real daemons that come up after the agent starts, as at boot: sshd and dockerd
// started 2.5 s into the run pass with --wait 10 and fail without it; a device that is not there
// fails at once even with --wait, saying that waiting cannot help.
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';
import { schemaErrors } from '../helpers/schema';

const SSH_READY = `
ls /etc/ssh/ssh_host_*_key >/dev/null 2>&1 || ssh-keygen -A
[ "$(systemctl is-enabled ssh.service 2>/dev/null)" = enabled ] || systemctl enable ssh.service
mkdir -p /run/sshd
echo "unit: $(systemctl is-enabled ssh.service)"
[ "$(systemctl is-enabled ssh.service)" = enabled ]
`;
// The daemon starts in the background of the run script itself, 2.5 s after the agent (whose own
// start-up takes some of that: time to ready, from the check's first attempt, is at least 1.5 s).
const LATE_SSHD = '(sleep 2.5; /usr/sbin/sshd -p 22) >/dev/null 2>&1 &';
// The packaged 20.10 CLI, not this machine's standalone one (see docker.test.ts).
const DOCKER_INSTALLED = 'rm -f /usr/local/bin/docker; echo "dockerd: $(command -v dockerd)"';
const LATE_DOCKERD = '(sleep 2.5; exec dockerd --iptables=false --bridge=none --storage-driver=vfs) >/var/log/dockerd.log 2>&1 &';

interface Outcome {
  id: string;
  status: string;
  message: string;
  retryable?: boolean;
  attempts?: number;
  readyAfterMs?: number;
  durationMs: number;
}

function agent(setup: string, background: string, flags: string) {
  const r = runScenario({ setup, run: `${background}\nnode $BUNDLE --mode image --format json ${flags}`, timeoutMs: 60_000 });
  const report = JSON.parse(r.stdout);
  expect(schemaErrors(report)).toBe('');
  const byId = Object.fromEntries((report.checks as Outcome[]).map((c) => [c.id, c]));
  return { r, report, byId };
}

describeLive('--wait against daemons still starting', { commands: { sshd: 'openssh-server', 'ssh-keygen': 'openssh-client', dockerd: 'docker.io', systemctl: 'systemd' } }, () => {
  it('sshd started 2.5 s after the agent: passes with --wait 10, the report says after how long', () => {
    const { r, byId } = agent(SSH_READY, LATE_SSHD, '--only sshd --require ssh-access --wait 10 --log-level info');
    expect(r.setupOutput).toContain('unit: enabled');
    const sshd = byId.sshd!;
    expect(sshd.status, sshd.message).toBe('pass');
    expect(sshd.attempts).toBeGreaterThan(2);
    expect(sshd.readyAfterMs).toBeGreaterThanOrEqual(1500);
    expect(sshd.readyAfterMs).toBeLessThan(6000);
    expect(r.status).toBe(0);
    // Progress is in the log on stderr (--log-level info); stdout stayed the one JSON document.
    expect(r.stderr).toMatch(/"check":"sshd","attempt":1,"status":"fail".*"msg":"readiness check not ready yet"/);
  });

  it('sshd started 2.5 s after the agent: fails without --wait', () => {
    const { r, byId } = agent(SSH_READY, LATE_SSHD, '--only sshd --require ssh-access');
    expect(byId.sshd).toMatchObject({ status: 'fail', retryable: true });
    expect(byId.sshd!.message).toMatch(/^sshd is installed and enabled, but nothing listens on TCP 22/);
    expect(byId.sshd!.attempts).toBeUndefined();
    expect(r.status).toBe(1);
  });

  it('dockerd started 2.5 s after the agent: docker.socket passes with --wait 10', () => {
    const { r, byId } = agent(DOCKER_INSTALLED, LATE_DOCKERD, '--only docker.engine,docker.socket --wait 10');
    expect(byId['docker.engine']!.status).toBe('pass');
    const socket = byId['docker.socket']!;
    expect(socket.status, socket.message).toBe('pass');
    expect(socket.message).toMatch(/answers on \/var\/run\/docker\.sock/);
    expect(socket.attempts).toBeGreaterThan(2);
    expect(socket.readyAfterMs).toBeGreaterThanOrEqual(1500);
    expect(socket.readyAfterMs).toBeLessThan(9000);
    expect(r.status).toBe(0);
    // Not a terminal and no --log-level info: no progress at all.
    expect(r.stderr).toBe('');
  });

  it('shows progress on stderr when it is a terminal, while stdout stays one JSON document', () => {
    // script(1) gives the agent a terminal; its stdout goes to a file, its stderr to the terminal.
    const r = runScenario({
      setup: SSH_READY,
      run: `${LATE_SSHD}\nscript -qec "node $BUNDLE --mode image --format json --only sshd --require ssh-access --wait 10 > /tmp/report.json" /dev/null\necho "---"; cat /tmp/report.json`,
      timeoutMs: 60_000,
    });
    const [terminal, json] = r.stdout.split('---\n');
    expect(terminal).toMatch(/^batch-preflight: waiting for sshd \(attempt 1, \d+\.\d s of 10\.0 s\): sshd is installed and enabled, but nothing listens on TCP 22.*; retrying in 0\.\d s\r?$/m);
    const report = JSON.parse(json!);
    expect(schemaErrors(report)).toBe('');
    expect(report.checks.find((c: Outcome) => c.id === 'sshd')).toMatchObject({ status: 'pass' });
  });

  it('dockerd started 2.5 s after the agent: docker.socket fails without --wait', () => {
    const { r, byId } = agent(DOCKER_INSTALLED, LATE_DOCKERD, '--only docker.engine,docker.socket');
    expect(byId['docker.socket']).toMatchObject({ status: 'fail', retryable: true });
    expect(byId['docker.socket']!.message).toMatch(/docker\.sock does not exist/);
    expect(r.status).toBe(1);
  });

  it('a missing InfiniBand device fails at once even with --wait 10, saying waiting cannot help', () => {
    const t0 = Date.now();
    const r = runScenario({ run: 'LC_ALL=C node $BUNDLE --mode start-task --require infiniband --only rdma.devices --wait 10' });
    const ms = Date.now() - t0;
    expect(r.stdout).toMatch(/\nx FAIL {2}rdma\.devices \[config\]: no InfiniBand hardware: \/sys\/class\/infiniband is absent or empty/);
    expect(r.stdout).toMatch(/\n {8}not retried: waiting cannot change this\n/);
    expect(r.status).toBe(1);
    expect(ms).toBeLessThan(5000);
    const json = runScenario({ run: 'node $BUNDLE --mode start-task --require infiniband --only rdma.devices --wait 10 --format json' });
    const rdma = JSON.parse(json.stdout).checks.find((c: Outcome) => c.id === 'rdma.devices');
    expect(rdma).toMatchObject({ status: 'fail', retryable: false, attempts: 1 });
    expect(rdma.durationMs).toBeLessThan(1000);
  });
});
