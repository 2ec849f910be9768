// Real dockerd (apt docker.io) inside the scenario sandbox: the Docker checks against a running
// daemon, a GPU runtime registration, a daemon killed with its socket left behind, and the boot race.
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

interface Outcome {
  id: string;
  status: string;
  message: string;
  durationMs: number;
  evidence?: Record<string, unknown>;
}

const byId = (json: string): Record<string, Outcome> => Object.fromEntries((JSON.parse(json).checks as Outcome[]).map((c) => [c.id, c]));

// This development machine has a standalone docker 28 CLI in /usr/local/bin that shadows the packaged
// 20.10 one (a real client/server skew that docker.version warns about); remove it in the sandbox.
const START_DOCKERD = (extra = '') => `
rm -f /usr/local/bin/docker
dockerd --iptables=false --bridge=none --storage-driver=vfs ${extra} > /var/log/dockerd.log 2>&1 &
echo $! > /run/dockerd.pid
for i in $(seq 1 100); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
docker version --format 'dockerd up: {{.Server.Version}}' || { cat /var/log/dockerd.log; exit 1; }
`;

const AGENT = 'node $BUNDLE --mode image --format json';

describeLive('Docker checks against a real dockerd', { commands: { dockerd: 'docker.io', docker: 'docker.io', systemctl: 'systemd' } }, () => {
  it('passes docker.socket and docker.version against the running daemon', () => {
    const r = runScenario({
      setup: START_DOCKERD(),
      run: `${AGENT} --only docker.engine,docker.socket,docker.version,docker.group,docker.boot`,
    });
    expect(r.setupOutput).toContain('dockerd up: 20.10');
    const c = byId(r.stdout);
    expect(c['docker.socket']).toMatchObject({ status: 'pass', evidence: { socket: '/var/run/docker.sock', kind: 'socket', ping: 'OK' } });
    expect(c['docker.version']!.status).toBe('pass');
    expect(c['docker.version']!.evidence).toMatchObject({ engine: { source: expect.stringMatching(/^the running daemon \(API \/version/) } });
    expect(c['docker.engine']!.status).toBe('pass');
    expect(c['docker.group']!.status).toBe('pass');
    expect(c['docker.boot']!.status).toBe('pass');
    expect(c['docker.boot']!.evidence).toMatchObject({ dataRoots: expect.arrayContaining([expect.objectContaining({ path: '/var/lib/docker', source: 'the running daemon (/info DockerRootDir)' })]) });
  });

  // moby daemon/nvidia_linux.go (20.10 here): --gpus gets a device driver only when dockerd finds
  // nvidia-container-runtime-hook on its PATH at start-up. The real daemon shows it: an nvidia
  // runtime alone leaves `docker run --gpus` with "could not select device driver"; a hook (a stub
  // that exits 0, run by runc as the prestart hook) makes the same command start the container.
  const GPU_RUN = `
tar cf /tmp/empty.tar --files-from /dev/null && docker import /tmp/empty.tar empty >/dev/null
docker run --rm --gpus all --network none -v /usr:/usr:ro -v /lib:/lib:ro -v /lib64:/lib64:ro -v /bin:/bin:ro empty /bin/true 2>&1 && echo 'docker run --gpus: started' || true`;
  const CLI_STUB = `printf '#!/bin/sh\\necho "cli-version: 1.14.3 (stub)"\\n' > /usr/local/bin/nvidia-container-cli; chmod +x /usr/local/bin/nvidia-container-cli`;

  it('fails docker.gpus with only an nvidia runtime registered, as the real daemon refuses --gpus', () => {
    const r = runScenario({
      setup: `${CLI_STUB}
${START_DOCKERD('--add-runtime nvidia=/usr/sbin/runc')}
docker info --format '{{json .Runtimes}}' | grep -c '"nvidia"' && echo 'nvidia runtime registered'
${GPU_RUN}`,
      run: `${AGENT} --require gpu --only docker.gpus`,
    });
    expect(r.setupOutput).toContain('nvidia runtime registered');
    expect(r.setupOutput).toMatch(/could not select device driver "" with capabilities: \[\[gpu\]\]/);
    const c = byId(r.stdout);
    expect(c['docker.gpus']!.status, c['docker.gpus']!.message).toBe('fail');
    expect(c['docker.gpus']!.message).toMatch(/nvidia-container-runtime-hook \(package nvidia-container-toolkit\) is not on dockerd's PATH; found only: the running daemon has an nvidia runtime/);
  });

  it('passes docker.gpus with nvidia-container-runtime-hook on PATH, with which the real daemon runs --gpus', () => {
    const r = runScenario({
      setup: `${CLI_STUB}
printf '#!/bin/sh\\nexit 0\\n' > /usr/local/bin/nvidia-container-runtime-hook; chmod +x /usr/local/bin/nvidia-container-runtime-hook
${START_DOCKERD()}
${GPU_RUN}`,
      run: `${AGENT} --require gpu --only docker.gpus`,
    });
    expect(r.setupOutput).not.toMatch(/could not select device driver/);
    expect(r.setupOutput).toContain('docker run --gpus: started');
    const c = byId(r.stdout);
    expect(c['docker.gpus']!.status, c['docker.gpus']!.message).toBe('pass');
    expect(c['docker.gpus']!.message).toMatch(/serves --gpus through \/usr\/local\/bin\/nvidia-container-runtime-hook/);
  });

  it('fails docker.socket fast, "not answering", when dockerd was killed and left its socket', () => {
    const r = runScenario({
      setup: `${START_DOCKERD()}
kill -KILL $(cat /run/dockerd.pid); sleep 0.2
if docker version >/dev/null 2>&1; then echo 'dockerd still answers'; exit 1; fi
test -S /var/run/docker.sock && echo 'socket left behind'`,
      run: `${AGENT} --only docker.socket --timeout 20`,
    });
    expect(r.setupOutput).toContain('socket left behind');
    const report = JSON.parse(r.stdout);
    const c = byId(r.stdout);
    expect(c['docker.socket']!.status).toBe('fail');
    expect(c['docker.socket']!.message).toMatch(/not answering: .*connection refused/);
    // Refused at once, not after the 20 s timeout.
    expect(c['docker.socket']!.durationMs).toBeLessThan(1000);
    expect(report.durationMs).toBeLessThan(3000);
    expect(r.status).not.toBe(0);
  });

  it('start-task mode: dockerd stopped with docker.service installed passes docker.socket (node prep starts it); docker.engine still judged', () => {
    const r = runScenario({
      setup: `${START_DOCKERD()}
kill -KILL $(cat /run/dockerd.pid); sleep 0.2
test -S /var/run/docker.sock && echo 'socket left behind'`,
      run: 'node $BUNDLE --mode start-task --format json --report /tmp/r.json --only docker.engine,docker.socket',
    });
    expect(r.setupOutput).toContain('socket left behind');
    const c = byId(r.stdout);
    expect(c['docker.socket']!.status, c['docker.socket']!.message).toBe('pass');
    expect(c['docker.socket']!.message).toMatch(/not running yet .*node prep starts it/);
    expect(c['docker.engine']!.status).toBe('pass');
    expect(r.status).toBe(0);
  });

  // moby daemon/config/config.go findConfigurationConflicts, shown by the real dockerd 20.10 (which has no
  // --validate, so the agent applies the same rules itself): an unknown key and a directive given both
  // as a flag (here through the packaged unit's $DOCKER_OPTS) and in daemon.json each stop dockerd.
  it('fails docker.boot on daemon.json directives the real dockerd refuses: an unknown key, a flag given twice', () => {
    const DOCKERD = 'timeout 10 dockerd --iptables=false --bridge=none --storage-driver=vfs';
    const r = runScenario({
      setup: `
mkdir -p /etc/docker
echo '{ "debug": true, "storage-options": [] }' > /etc/docker/daemon.json
echo 'DOCKER_OPTS="--debug"' > /etc/default/docker
(${DOCKERD} --debug 2>&1 || true) | tail -1
echo '{ "debug": true }' > /tmp/twice.json
(${DOCKERD} --debug --config-file /tmp/twice.json 2>&1 || true) | tail -1
(dockerd --validate 2>&1 || true) | head -1`,
      run: `${AGENT} --only docker.boot`,
    });
    expect(r.setupOutput).toMatch(/the following directives don't match any configuration option: storage-options/);
    expect(r.setupOutput).toMatch(/the following directives are specified both as a flag and in the configuration file: debug/);
    expect(r.setupOutput).toMatch(/unknown flag: --validate/);
    const boot = byId(r.stdout)['docker.boot']!;
    expect(boot.status).toBe('fail');
    expect(boot.evidence).toMatchObject({ directiveRules: 'dockerd 20.10', directivesGivenTwice: ['debug (--debug)'], unknownDirectives: ['storage-options'] });
    expect(boot.evidence?.dockerdValidate).toBeUndefined();
  });

  // docker/docs b52599b: cgroup v2 is supported from Docker 20.10. A real cgroup2 mount on
  // /sys/fs/cgroup (cgroup.controllers appears): the packaged 20.10 passes, a 19.03 dockerd (a stub
  // earlier on PATH, printing 19.03's --version line) fails.
  it('docker.version on a real cgroup v2 mount: 20.10 passes, 19.03 fails', () => {
    const r = runScenario({
      setup: `
rm -f /usr/local/bin/docker
mount -t cgroup2 none /sys/fs/cgroup
test -f /sys/fs/cgroup/cgroup.controllers && echo 'cgroup v2 mounted'`,
      run: `
${AGENT} --only docker.engine,docker.version > /tmp/v2010.json || true
printf '#!/bin/sh\\necho "Docker version 19.03.15, build 99e3ed8919"\\n' > /usr/local/bin/dockerd; chmod +x /usr/local/bin/dockerd
cp /usr/local/bin/dockerd /usr/local/bin/docker
${AGENT} --only docker.engine,docker.version > /tmp/v1903.json || true
cat /tmp/v2010.json; echo '@@@'; cat /tmp/v1903.json`,
    });
    expect(r.setupOutput).toContain('cgroup v2 mounted');
    const [v2010, v1903] = r.stdout.split('@@@\n').map(byId);
    expect(v2010!['docker.version']!.status, v2010!['docker.version']!.message).toBe('pass');
    expect(v1903!['docker.version']!.status).toBe('fail');
    expect(v1903!['docker.version']!.message).toMatch(/19\.03\.15 .*predates cgroup v2 support \(Docker 20\.10\), and this host runs cgroup v2/);
  });

  it('fails docker.boot with the data root on /mnt/resource and docker.service enabled, passes once disabled', () => {
    const r = runScenario({
      setup: `
mkdir -p /etc/docker
echo '{ "data-root": "/mnt/resource/docker" }' > /etc/docker/daemon.json
systemctl enable docker.service docker.socket
echo "service: $(systemctl is-enabled docker.service) socket: $(systemctl is-enabled docker.socket)"
grep -q '/mnt/resource/docker' /etc/docker/daemon.json`,
      run: `
${AGENT} --only docker.boot > /tmp/enabled.json
systemctl disable docker.service docker.socket >&2 2>&1
echo "after: $(systemctl is-enabled docker.service) $(systemctl is-enabled docker.socket)" >&2
${AGENT} --only docker.boot > /tmp/disabled.json
cat /tmp/enabled.json; echo '@@@'; cat /tmp/disabled.json`,
    });
    expect(r.setupOutput).toContain('service: enabled socket: enabled');
    expect(r.stderr).toContain('after: disabled disabled');
    const [enabled, disabled] = r.stdout.split('@@@\n').map(byId);
    expect(enabled!['docker.boot']!.status).toBe('fail');
    expect(enabled!['docker.boot']!.message).toMatch(/\/mnt\/resource\/docker .* docker\.service and docker\.socket are enabled at boot/);
    expect(disabled!['docker.boot']!.status).toBe('pass');
  });
});
