// containerd.cri against the real containerd (apt: containerd) in a sandbox: its socket answers
// gRPC once the daemon runs; a daemon that is not running, and Docker's "cri disabled" config, fail;
// a run that may not open the socket cannot tell.
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';
import type { CheckOutcome as Outcome } from '../../src/types';

const START = 'mkdir -p /run/containerd; (containerd >/tmp/containerd.log 2>&1 &); for i in $(seq 100); do [ -S /run/containerd/containerd.sock ] && ctr version >/dev/null 2>&1 && break; sleep 0.1; done; ctr version >/dev/null && echo containerd-up';
const RUN = 'node $BUNDLE --mode image --batch-pool $REPO/fixtures/batch/pool-arm.json --only containerd.cri --format json';
const outcome = (stdout: string) => (JSON.parse(stdout) as { checks: Outcome[] }).checks.find((c) => c.id === 'containerd.cri')!;

const ENABLE = 'systemctl enable containerd.service >/dev/null 2>&1; [ "$(systemctl is-enabled containerd.service)" = enabled ]';

describeLive('containerd.cri with the real containerd', { commands: { containerd: 'containerd', ctr: 'containerd', systemctl: 'systemd', setpriv: 'util-linux' } }, () => {
  it('a criCompatible pool: passes once containerd answers on its socket', () => {
    const r = runScenario({ setup: `${ENABLE}\n${START}`, run: RUN });
    expect(r.setupOutput, 'containerd must be installed (apt: containerd)').toContain('containerd-up');
    const c = outcome(r.stdout);
    expect(c.status, c.message).toBe('pass');
    expect(c.message).toMatch(/^containerd \/usr\/bin\/containerd is installed and enabled at boot, its CRI plugin is not disabled; containerd answers on \/run\/containerd\/containerd\.sock$/);
  });

  it('not running: a failure worth retrying', () => {
    const r = runScenario({ setup: `${ENABLE}\n[ ! -e /run/containerd/containerd.sock ]`, run: RUN });
    const c = outcome(r.stdout);
    expect(c.status).toBe('fail');
    expect(c.message).toBe('containerd does not answer on /run/containerd/containerd.sock: /run/containerd/containerd.sock does not exist');
    expect([c.category, c.retryable]).toEqual(['transient', true]);
  });

  it('run as a user that may not connect (the socket is root-only): an error naming the refusal, not a fail', () => {
    const r = runScenario({ setup: `${ENABLE}\n${START}`, run: `setpriv --reuid=65534 --regid=65534 --clear-groups ${RUN}` });
    expect(r.setupOutput).toContain('containerd-up');
    const c = outcome(r.stdout);
    expect(c.status, c.message).toBe('error');
    expect(c.message).toBe('could not tell whether containerd answers: permission denied connecting to /run/containerd/containerd.sock');
  });

  it("Docker's containerd.io config (disabled_plugins = [\"cri\"]) fails, running or not", () => {
    const r = runScenario({ setup: `${ENABLE}\nprintf 'disabled_plugins = ["cri"]\\n' > /etc/containerd/config.toml\n${START}`, run: RUN });
    const c = outcome(r.stdout);
    expect(c.status).toBe('fail');
    expect(c.message).toBe('/etc/containerd/config.toml disables the CRI plugin (disabled_plugins = ["cri"])');
    expect([c.category, c.retryable]).toEqual(['image', false]);
  });
});
