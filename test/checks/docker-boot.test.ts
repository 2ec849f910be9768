import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { dockerBoot } from '../../checks/docker-boot';
import { runCheck, tempTree } from '../helpers/host';
import { startFakeDocker, type FakeDocker } from '../helpers/fake-docker';

let fake: FakeDocker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const offline = { live: false, canExec: false } as const;
const enabled = {
  'etc/systemd/system/multi-user.target.wants/docker.service': { link: '/lib/systemd/system/docker.service' },
  'etc/systemd/system/sockets.target.wants/docker.socket': { link: '/lib/systemd/system/docker.socket' },
};
const ubuntu = { 'etc/os-release': 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\n' };

describe('docker.boot', () => {
  it('passes with the default data root, whatever starts at boot', async () => {
    const r = await runCheck(dockerBoot, tempTree(enabled, 'hosts/docker-ok'), offline);
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/data root \(\/var\/lib\/docker\) is not on the resource disk \(\/mnt or \/mnt\/resource\)/);
    expect(r.message).toMatch(/not asked: not a live host/);
  });

  it('fails when the data root is on the temp disk and docker starts at boot, explaining the race', async () => {
    const r = await runCheck(dockerBoot, 'hosts/docker-boot-race', offline);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/data root \/mnt\/resource\/docker from "data-root" in \/etc\/docker\/daemon\.json is on the resource disk \/mnt\/resource/);
    expect(r.message).toMatch(/docker\.service and docker\.socket are enabled at boot: Docker may start before the temp disk is mounted/);
    expect(r.remediation).toBe('systemctl disable docker.service docker.socket');
    expect(r.evidence).toMatchObject({ units: { 'docker.service': 'enabled', 'docker.socket': 'enabled' } });
  });

  it('with the distribution unknown, a data root under either temp disk place (/mnt or /mnt/resource) is at risk', async () => {
    const onMnt = { 'etc/docker/daemon.json': '{"data-root": "/mnt/docker"}' };
    // Debian: the node agent's default is /mnt/resource, but node prep accepts /mnt too: the risk is conditional.
    const debian = await runCheck(dockerBoot, tempTree(onMnt, 'hosts/docker-boot-race'), offline);
    expect(debian.status).toBe('warn');
    expect(debian.message).toMatch(/is on the resource disk \/mnt if the image mounts the temp disk there \(node prep accepts it; the node agent default on debian is \/mnt\/resource\)/);
    const r = await runCheck(dockerBoot, tempTree({ ...onMnt, 'etc/os-release': '' }, 'hosts/docker-boot-race'), offline);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/data root \/mnt\/docker from "data-root" in \/etc\/docker\/daemon\.json is on the resource disk \/mnt,/);
    expect(r.evidence).toMatchObject({ nodeAgentDefault: expect.stringMatching(/^unknown: the distribution is unknown/) });
  });

  it('passes when the data root is on the temp disk and neither unit is enabled', async () => {
    const r = await runCheck(dockerBoot, tempTree({ 'etc/docker/daemon.json': '{"data-root": "/mnt/resource/docker"}' }, 'hosts/docker-ok'), offline);
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/docker\.service and docker\.socket are not enabled at boot/);
  });

  it('reads the legacy "graph" key', async () => {
    const r = await runCheck(dockerBoot, tempTree({ ...enabled, 'etc/docker/daemon.json': '{"graph": "/mnt/resource/docker"}' }, 'hosts/docker-ok'), offline);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/from "graph"/);
  });

  it('follows a /var/lib/docker symlink onto the temp disk', async () => {
    const root = tempTree({ ...enabled, 'var/lib/docker': { link: '/mnt/resource/docker' }, 'mnt/resource/docker/.keep': '' }, 'hosts/docker-ok');
    const r = await runCheck(dockerBoot, root, offline);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/\/var\/lib\/docker \(-> \/mnt\/resource\/docker\) from the default/);
  });

  it('uses /mnt on Ubuntu, and the pool setting when given', async () => {
    const files = { ...enabled, ...ubuntu, 'etc/docker/daemon.json': '{"data-root": "/mnt/docker"}' };
    expect((await runCheck(dockerBoot, tempTree(files, 'hosts/docker-ok'), offline)).status).toBe('fail');
    const debian = tempTree({ ...enabled, 'etc/docker/daemon.json': '{"data-root": "/mnt/docker"}' }, 'hosts/docker-ok');
    expect((await runCheck(dockerBoot, debian, offline)).status).toBe('warn');
    expect((await runCheck(dockerBoot, debian, { ...offline, settings: { expectedResourceMount: '/mnt' } })).status).toBe('fail');
  });

  it('finds --data-root passed in a drop-in', async () => {
    const root = tempTree(
      { ...enabled, 'etc/systemd/system/docker.service.d/data.conf': '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H fd:// --data-root=/mnt/resource/docker\n' },
      'hosts/docker-ok',
    );
    const r = await runCheck(dockerBoot, root, offline);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/from docker\.service ExecStart \(\/etc\/systemd\/system\/docker\.service\.d\/data\.conf\)/);
  });

  it("asks the running daemon for its DockerRootDir on a live host", async () => {
    const root = tempTree(enabled, 'hosts/docker-ok');
    mkdirSync(path.join(root, 'var/run'), { recursive: true });
    const socket = path.join(root, 'var/run/docker.sock');
    fake = await startFakeDocker(socket, { info: { DockerRootDir: '/mnt/resource/docker' } });
    const r = await runCheck(dockerBoot, root, { live: true, canExec: false, dockerSocket: socket });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/from the running daemon \(\/info DockerRootDir\)/);
  });

  it('fails when daemon.json sets hosts and the unit passes -H', async () => {
    const r = await runCheck(dockerBoot, 'hosts/docker-boot-hosts', offline);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/"hosts" is set in \/etc\/docker\/daemon\.json and docker\.service passes -H \(fd:\/\/\)/);
    expect(r.remediation).toMatch(/ExecStart=\\nExecStart=\/usr\/sbin\/dockerd/);
  });

  it('sees -H/--host added by a drop-in', async () => {
    const r = await runCheck(dockerBoot, 'hosts/docker-boot-dropin', offline);
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({
      hostFlags: ['tcp://127.0.0.1:2375'],
      dropIns: ['/etc/systemd/system/docker.service.d/10-limits.conf', '/etc/systemd/system/docker.service.d/20-listen.conf'],
    });
  });

  it('passes hosts in daemon.json when a drop-in clears the -H of the packaged unit', async () => {
    const root = tempTree({ 'etc/systemd/system/docker.service.d/override.conf': '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd\n' }, 'hosts/docker-boot-hosts');
    const r = await runCheck(dockerBoot, root, offline);
    expect(r.status).toBe('pass');
  });

  it('sees -H hidden in $DOCKER_OPTS from the EnvironmentFile (Debian packaging)', async () => {
    const root = tempTree(
      {
        'etc/systemd/system/docker.service.d/opts.conf': '[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=\nExecStart=/usr/bin/dockerd $DOCKER_OPTS\n',
        'etc/default/docker': '# Options for dockerd\nDOCKER_OPTS="-H unix:///var/run/docker.sock --debug"\n',
      },
      'hosts/docker-boot-hosts',
    );
    const r = await runCheck(dockerBoot, root, offline);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/passes -H \(unix:\/\/\/var\/run\/docker\.sock\) in ExecStart \(with variables from \/etc\/default\/docker\)/);
  });

  it('passes $DOCKER_OPTS when the optional EnvironmentFile is missing', async () => {
    const root = tempTree({ 'etc/systemd/system/docker.service.d/opts.conf': '[Service]\nEnvironmentFile=-/etc/default/docker\nExecStart=\nExecStart=/usr/bin/dockerd $DOCKER_OPTS\n' }, 'hosts/docker-boot-hosts');
    expect((await runCheck(dockerBoot, root, offline)).status).toBe('pass');
  });

  it('fails when a required EnvironmentFile is missing (systemd would not start docker)', async () => {
    const root = tempTree({ 'etc/systemd/system/docker.service.d/opts.conf': '[Service]\nEnvironmentFile=/etc/default/docker\n' }, 'hosts/docker-ok');
    const r = await runCheck(dockerBoot, root, offline);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/requires EnvironmentFile \/etc\/default\/docker, which does not exist/);
  });

  it('fails on a daemon.json dockerd cannot read, with the line', async () => {
    const r = await runCheck(dockerBoot, 'hosts/docker-boot-comment', offline);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/line 3: column 3: .*comments are not allowed.*so dockerd would not start/);
    expect(r.remediation).toMatch(/at line 3/);
  });

  it('reads daemon.json from --config-file in ExecStart', async () => {
    const root = tempTree(
      {
        'etc/systemd/system/docker.service.d/cfg.conf': '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd --config-file /etc/docker/batch.json\n',
        'etc/docker/batch.json': '{"data-root": "/mnt/resource/docker"}',
        ...enabled,
      },
      'hosts/docker-ok',
    );
    const r = await runCheck(dockerBoot, root, offline);
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({ daemonJson: '/etc/docker/batch.json' });
  });

  it('warns on an empty daemon.json', async () => {
    const r = await runCheck(dockerBoot, tempTree({ 'etc/docker/daemon.json': '\n' }, 'hosts/docker-ok'), offline);
    expect(r.status).toBe('warn');
    expect(r.remediation).toMatch(/Write \{\}/);
  });

  it('errors when daemon.json cannot be read', async () => {
    const r = await runCheck(dockerBoot, tempTree({ 'etc/docker/daemon.json/x': '' }, 'hosts/docker-missing'), offline);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/could not read \/etc\/docker\/daemon\.json/);
  });

  it('fails when the data root is the temp disk mount point itself', async () => {
    const r = await runCheck(dockerBoot, tempTree({ ...enabled, 'etc/docker/daemon.json': '{"data-root": "/mnt/resource"}' }, 'hosts/docker-ok'), offline);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/data root \/mnt\/resource from "data-root" .* is on the resource disk \/mnt\/resource,/);
  });

  it('ignores an empty "data-root" (dockerd then uses the default) and judges the default', async () => {
    const root = tempTree({ ...enabled, 'etc/docker/daemon.json': '{"data-root": ""}', 'var/lib/docker': { link: '/mnt/resource/docker' }, 'mnt/resource/docker/.keep': '' }, 'hosts/docker-ok');
    const r = await runCheck(dockerBoot, root, offline);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/\/var\/lib\/docker \(-> \/mnt\/resource\/docker\) from the default/);
  });

  it('does not judge the default data root when daemon.json sets another one', async () => {
    const root = tempTree({ ...enabled, 'etc/docker/daemon.json': '{"data-root": "/srv/docker"}', 'var/lib/docker': { link: '/mnt/resource/docker' }, 'mnt/resource/docker/.keep': '' }, 'hosts/docker-ok');
    const r = await runCheck(dockerBoot, root, offline);
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/data root \(\/srv\/docker\) is not on the resource disk/);
  });

  it('passes when there is no daemon.json and the default data root is off the temp disk', async () => {
    const root = tempTree(enabled, 'hosts/docker-ok');
    rmSync(path.join(root, 'etc/docker/daemon.json'));
    const r = await runCheck(dockerBoot, root, offline);
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ daemonJsonState: 'absent' });
  });

  it('does not ask a daemon when checking an offline root (that daemon is not the image\'s)', async () => {
    const root = tempTree(enabled, 'hosts/docker-ok');
    mkdirSync(path.join(root, 'var/run'), { recursive: true });
    const socket = path.join(root, 'var/run/docker.sock');
    fake = await startFakeDocker(socket, { info: { DockerRootDir: '/mnt/resource/docker' } });
    const r = await runCheck(dockerBoot, root, { ...offline, dockerSocket: socket });
    expect(r.status).toBe('pass');
    expect(fake.requests).toEqual([]);
  });

  it('on a live host whose daemon does not answer, judges the configured data root and says the running one is unknown', async () => {
    const root = tempTree(enabled, 'hosts/docker-ok');
    const r = await runCheck(dockerBoot, root, { live: true, canExec: false, dockerSocket: path.join(root, 'var/run/docker.sock') });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/data root \(\/var\/lib\/docker\) is not on the resource disk .* \(the running daemon's data root is not known: /);
    expect(r.message).not.toMatch(/not asked/);
  });

  it("judges the default data root too when only the running daemon names another (it starts with the default at boot)", async () => {
    const root = tempTree({ ...enabled, 'var/lib/docker': { link: '/mnt/resource/docker' }, 'mnt/resource/docker/.keep': '', 'var/run/.keep': '' }, 'hosts/docker-ok');
    const socket = path.join(root, 'var/run/docker.sock');
    fake = await startFakeDocker(socket, { info: { DockerRootDir: '/srv/docker' } });
    const r = await runCheck(dockerBoot, root, { live: true, canExec: false, dockerSocket: socket });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/\/var\/lib\/docker \(-> \/mnt\/resource\/docker\) from the default/);
  });

  it('does not judge the default data root when daemon.json sets one, whatever the running daemon says', async () => {
    const root = tempTree(
      { ...enabled, 'etc/docker/daemon.json': '{"data-root": "/srv/docker"}', 'var/lib/docker': { link: '/mnt/resource/docker' }, 'mnt/resource/docker/.keep': '', 'var/run/.keep': '' },
      'hosts/docker-ok',
    );
    const socket = path.join(root, 'var/run/docker.sock');
    fake = await startFakeDocker(socket, { info: { DockerRootDir: '/srv/docker' } });
    const r = await runCheck(dockerBoot, root, { live: true, canExec: false, dockerSocket: socket });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/data root \(\/srv\/docker, \/srv\/docker\) is not on the resource disk/);
    expect(r.message).not.toMatch(/not known|not asked/);
  });

  it("names the data root at the node agent's temp disk place before one at the other place", async () => {
    // Debian: /mnt/resource is the node agent default (sure: fail); /mnt only if the image mounts the disk there (warn).
    const root = tempTree({ ...enabled, 'etc/docker/daemon.json': '{"data-root": "/mnt/resource/docker"}', 'var/run/.keep': '' }, 'hosts/docker-ok');
    const socket = path.join(root, 'var/run/docker.sock');
    fake = await startFakeDocker(socket, { info: { DockerRootDir: '/mnt/docker' } });
    const r = await runCheck(dockerBoot, root, { live: true, canExec: false, dockerSocket: socket });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^the data root \/mnt\/resource\/docker from "data-root"/);
  });

  it('errors, never passes, when docker.service cannot be read (a symlink loop)', async () => {
    const r = await runCheck(dockerBoot, tempTree({ 'etc/systemd/system/docker.service': { link: 'docker.service' } }, 'hosts/docker-ok'), offline);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read \/etc\/systemd\/system\/docker\.service/);
  });

  it('errors, never passes, when the data root is on the temp disk and docker.socket cannot be read', async () => {
    const root = tempTree({ 'etc/docker/daemon.json': '{"data-root": "/mnt/resource/docker"}', 'etc/systemd/system/docker.socket': { link: 'docker.socket' } }, 'hosts/docker-ok');
    const r = await runCheck(dockerBoot, root, offline);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read \/etc\/systemd\/system\/docker\.socket/);
  });
});

// moby daemon/config/config.go findConfigurationConflicts: every daemon.json key must be a flag's name,
// a named option's name or skipped; none may also be given as a flag (runtimes excepted: merged).
// Keys of each release line: src/data/dockerd-options.ts, read from moby's sources at each tag.
describe('docker.boot: daemon.json directives dockerd refuses', () => {
  const dockerdAt = (version: string, validate = '') =>
    `#!/bin/sh\n# Stub: prints what dockerd ${version} prints for --version${validate ? ' and --validate' : ''}.\ncase "$1" in\n  --version) echo "Docker version ${version}, build 0000000" ;;\n  --validate) ${validate || 'echo "unknown flag: --validate" >&2; exit 125'} ;;\n  *) exit 2 ;;\nesac\n`;
  const execStart = (flags: string) => ({ 'etc/systemd/system/docker.service.d/flags.conf': `[Service]\nExecStart=\nExecStart=/usr/bin/dockerd ${flags}\n` });
  const run = (files: Parameters<typeof tempTree>[0], opts: Parameters<typeof runCheck>[2] = { live: false, canExec: true }) => runCheck(dockerBoot, tempTree(files, 'hosts/docker-ok'), opts);

  it('fails when a directive is set both in daemon.json and as a flag (--containerd in the packaged unit)', async () => {
    const r = await run({ 'etc/docker/daemon.json': '{"containerd": "/run/containerd/containerd.sock"}' });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^"containerd" is set in \/etc\/docker\/daemon\.json and docker\.service passes --containerd in ExecStart: dockerd refuses to start/);
    expect(r.evidence).toMatchObject({ directivesGivenTwice: ['containerd (--containerd)'] });
  });

  it('fails on a boolean flag given too (--debug, -D) and a named option (--label / "labels")', async () => {
    const r = await run({ ...execStart('-D --label a=b'), 'etc/docker/daemon.json': '{"debug": true, "labels": ["x=y"]}' });
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({ directivesGivenTwice: ['debug (--debug)', 'labels (--label)'] });
  });

  it('fails on "hosts" inside an object that is not flat: dockerd judges the members (one finding, not two, for a top-level "hosts")', async () => {
    const nested = await run({ 'etc/docker/daemon.json': '{"listen": {"hosts": ["tcp://127.0.0.1:2375"]}}' });
    expect(nested.status).toBe('fail');
    expect(nested.evidence).toMatchObject({ directivesGivenTwice: ['hosts (--host)'] });
    const top = await run({ 'etc/docker/daemon.json': '{"hosts": ["tcp://127.0.0.1:2375"]}' });
    expect(top.evidence?.directivesGivenTwice).toBeUndefined();
    expect(top.message).toMatch(/^"hosts" is set in \/etc\/docker\/daemon\.json and docker\.service passes -H/);
  });

  it('passes "runtimes" with --add-runtime: dockerd merges them (skipDuplicates)', async () => {
    const r = await run({ ...execStart('--add-runtime nvidia=/usr/bin/nvidia-container-runtime'), 'etc/docker/daemon.json': '{"runtimes": {"x": {"path": "/usr/bin/x"}}}' });
    expect(r.status).toBe('pass');
  });

  it('fails on a key dockerd 24.0 does not know', async () => {
    const r = await run({ 'etc/docker/daemon.json': '{"storage-options": ["overlay2.size=10G"], "log-level": "warn"}' });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/has "storage-options", which dockerd 24\.0 does not know: it refuses to start \("the following directives don't match any configuration option"\)/);
  });

  it('fails on "graph", which dockerd 24.0 no longer knows (removed after 23.0), and passes it on 23.0', async () => {
    const files = { 'etc/docker/daemon.json': '{"graph": "/var/lib/docker"}' };
    const r24 = await run(files);
    expect(r24.status).toBe('fail');
    expect(r24.message).toMatch(/"graph", which dockerd 24\.0 does not know/);
    expect((await run({ ...files, 'usr/bin/dockerd': dockerdAt('23.0.6') })).status).toBe('pass');
  });

  it('fails on "cdi-spec-dirs" for dockerd 20.10 and passes it for 25.0 (new in 25.0)', async () => {
    const files = { 'etc/docker/daemon.json': '{"cdi-spec-dirs": ["/etc/cdi"]}' };
    expect((await run({ ...files, 'usr/bin/dockerd': dockerdAt('20.10.24+dfsg1') })).status).toBe('fail');
    expect((await run({ ...files, 'usr/bin/dockerd': dockerdAt('25.0.5') })).status).toBe('pass');
  });

  it('judges the members of an object that is not flat ("proxies" -> http-proxy, known from 23.0)', async () => {
    const files = { 'etc/docker/daemon.json': '{"proxies": {"http-proxy": "http://proxy:3128"}}' };
    expect((await run(files)).status).toBe('pass');
    const r = await run({ ...files, 'usr/bin/dockerd': dockerdAt('20.10.24') });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/has "http-proxy", which dockerd 20\.10 does not know/);
  });

  it('keeps a flat object whole ("log-opts", "features")', async () => {
    expect((await run({ 'etc/docker/daemon.json': '{"log-opts": {"max-size": "10m"}, "features": {"buildkit": true}}' })).status).toBe('pass');
  });

  it('only warns on an unknown key when the engine is newer than the release lines read', async () => {
    const r = await run({ 'etc/docker/daemon.json': '{"brand-new-option": 1}', 'usr/bin/dockerd': dockerdAt('30.1.0') });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/which no dockerd from 19\.03 to 29\.7 knows .*; this engine, 30\.1\.0, is newer than those read/);
  });

  it('only warns, with the reason, on an unknown key when the engine version cannot be told (dockerd hangs)', async () => {
    const root = tempTree({ 'etc/docker/daemon.json': '{"storage-options": []}' }, 'hosts/docker-dockerd-hang');
    const r = await runCheck(dockerBoot, root, { live: false, canExec: true, commandTimeoutMs: 300 });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/the engine's version is not known$/);
  });

  describe('on a live host with Docker 23 or later: dockerd --validate', () => {
    const live = { live: true, canExec: true } as const;
    const refuses = 'echo "unable to configure the Docker daemon with file $3: the following directives don\'t match any configuration option: storage-options" >&2; exit 1';

    it('passes what dockerd --validate accepts, even a key the offline rules do not know', async () => {
      const r = await run({ 'etc/docker/daemon.json': '{"brand-new-option": 1}', 'usr/bin/dockerd': dockerdAt('24.0.7', 'echo "configuration OK" >&2') }, live);
      expect(r.status).toBe('pass');
      expect(r.evidence).toMatchObject({ dockerdValidate: 'configuration OK' });
    });

    it('fails with dockerd --validate\'s own reason', async () => {
      const r = await run({ 'etc/docker/daemon.json': '{"storage-options": []}', 'usr/bin/dockerd': dockerdAt('24.0.7', refuses) }, live);
      expect(r.status).toBe('fail');
      expect(r.message).toBe(
        "dockerd --validate refuses /etc/docker/daemon.json: unable to configure the Docker daemon with file /etc/docker/daemon.json: the following directives don't match any configuration option: storage-options",
      );
    });

    it('falls back to the offline rules when dockerd --validate hangs or crashes', async () => {
      for (const validate of ['sleep 30', 'kill -SEGV $$']) {
        const r = await run({ 'etc/docker/daemon.json': '{"storage-options": []}', 'usr/bin/dockerd': dockerdAt('24.0.7', validate) }, { ...live, commandTimeoutMs: 300 });
        expect(r.status).toBe('fail');
        expect(r.message).toMatch(/which dockerd 24\.0 does not know/);
        expect(r.evidence?.dockerdValidate).toMatch(/^unknown: dockerd --validate did not finish/);
      }
    });

    it('does not run --validate on an engine before 23.0 (20.10 has no such flag)', async () => {
      const r = await run({ 'etc/docker/daemon.json': '{"storage-options": []}', 'usr/bin/dockerd': dockerdAt('20.10.24') }, live);
      expect(r.status).toBe('fail');
      expect(r.evidence?.dockerdValidate).toBeUndefined();
    });
  });
});
