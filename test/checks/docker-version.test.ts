import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dockerVersion } from '../../checks/docker-version';
import { FIXTURES, runCheck, tempTree } from '../helpers/host';
import { startFakeDocker, type FakeDocker, type FakeDockerOptions } from '../helpers/fake-docker';

let fake: FakeDocker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const offline = { live: false, canExec: false } as const;
const canRun = { live: false, canExec: true } as const;

async function withDaemon(base: string, opts: FakeDockerOptions, files: Parameters<typeof tempTree>[0] = {}) {
  const root = tempTree(files, base);
  mkdirSync(path.join(root, 'var/run'), { recursive: true });
  const socket = path.join(root, 'var/run/docker.sock');
  fake = await startFakeDocker(socket, opts);
  return { root, socket };
}

describe('docker.version', () => {
  it('passes from `dockerd --version` and `docker --version`', async () => {
    const r = await runCheck(dockerVersion, 'hosts/docker-ok', canRun);
    expect(r.status).toBe('pass');
    expect(r.evidence).toEqual({
      engine: { version: '24.0.7', source: '`dockerd --version`' },
      client: { version: '24.0.7', source: '`docker --version`' },
    });
  });

  it('passes offline from the dpkg status file', async () => {
    const r = await runCheck(dockerVersion, 'hosts/docker-ok', offline);
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/Docker Engine 5:24\.0\.7-1~debian\.12~bookworm \(from package docker-ce/);
    expect(r.evidence).toMatchObject({ client: { source: expect.stringMatching(/^package docker-ce-cli/) } });
  });

  it('reads moby builds from dpkg offline', async () => {
    const r = await runCheck(dockerVersion, 'hosts/docker-dpkg-moby', offline);
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ engine: { version: '20.10.25+azure-2' }, client: { version: '20.10.25+azure-2' } });
  });

  it('asks the running daemon first on a live host', async () => {
    const { root, socket } = await withDaemon('hosts/docker-ok', { version: { Version: '24.0.9' } });
    const r = await runCheck(dockerVersion, root, { live: true, canExec: true, dockerSocket: socket });
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ engine: { version: '24.0.9', source: 'the running daemon (API /version, API 1.41)' } });
    expect(fake!.requests).toEqual(['/version']);
  });

  it('warns when the CLI is from another release line than the running daemon', async () => {
    const { root, socket } = await withDaemon('hosts/docker-ok', {});
    const r = await runCheck(dockerVersion, root, { live: true, canExec: true, dockerSocket: socket });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/CLI 24\.0\.7 .* another release line than Docker Engine 20\.10\.24\+dfsg1/);
    expect(r.remediation).toMatch(/\(20\.10\.24\)/);
  });

  it('warns on a client/server skew found from the binaries', async () => {
    const r = await runCheck(dockerVersion, 'hosts/docker-skew', canRun);
    expect(r.status).toBe('warn');
    expect(r.evidence).toMatchObject({ engine: { version: '20.10.24+dfsg1' }, client: { version: '28.2.2' } });
  });

  it('an engine older than 19.03 (the Shipyard 18.09 engine with an unpinned 19.03 CLI): fails on a GPU pool, warns elsewhere', async () => {
    const r = await runCheck(dockerVersion, 'hosts/docker-old', { ...canRun, features: ['docker', 'gpu'] });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/18\.09\.7 .* older than 19\.03, which GPU containers \(--gpus\) need/);
    expect(r.remediation).toMatch(/apt-get install -y docker\.io/);
    const cpu = await runCheck(dockerVersion, 'hosts/docker-old', canRun);
    expect(cpu.status).toBe('warn');
    expect(cpu.message).toMatch(/older than 19\.03: node prep does not check the version/);
  });

  it('falls back to the binary when the daemon is not running, and says so', async () => {
    const root = tempTree({}, 'hosts/docker-ok');
    const r = await runCheck(dockerVersion, root, { live: true, canExec: true, dockerSocket: path.join(root, 'var/run/docker.sock') });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/the daemon did not answer \/version \(.*does not exist\); used the installed engine instead/);
  });

  it('falls back to the binary when the daemon answers malformed JSON', async () => {
    const { root, socket } = await withDaemon('hosts/docker-ok', { mode: 'badjson' });
    const r = await runCheck(dockerVersion, root, { live: true, canExec: true, dockerSocket: socket });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/not JSON/);
  });

  it('does not hang on a daemon that never answers', async () => {
    const { root, socket } = await withDaemon('hosts/docker-ok', { mode: 'hang' });
    const t0 = performance.now();
    const r = await runCheck(dockerVersion, root, { live: true, canExec: true, dockerSocket: socket, commandTimeoutMs: 300 });
    expect(performance.now() - t0).toBeLessThan(2500);
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/did not answer \/version within 300 ms/);
  });

  it('errors on a version the daemon reports that is not a version', async () => {
    const { root, socket } = await withDaemon('hosts/docker-ok', { version: { Version: 'dev-nightly' } });
    const r = await runCheck(dockerVersion, root, { live: true, canExec: true, dockerSocket: socket });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/"dev-nightly"/);
  });

  it('errors when dockerd --version hangs (killed at the timeout)', async () => {
    const t0 = performance.now();
    const r = await runCheck(dockerVersion, 'hosts/docker-dockerd-hang', { ...canRun, commandTimeoutMs: 300 });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/dockerd --version did not finish/);
  });

  it('fails when dockerd crashes', async () => {
    const r = await runCheck(dockerVersion, 'hosts/docker-dockerd-crash', canRun);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/installed but broken: dockerd --version crashed/);
  });

  it('errors when dockerd prints garbage', async () => {
    const r = await runCheck(dockerVersion, 'hosts/docker-dockerd-garbage', canRun);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/gave no version I can read/);
  });

  it('fails when Docker is not installed', async () => {
    const r = await runCheck(dockerVersion, 'hosts/docker-missing', canRun);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/dockerd is not installed/);
  });

  it('says offline that the rpm database cannot be read without rpm', async () => {
    const r = await runCheck(dockerVersion, 'hosts/docker-rpm', offline);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/\/var\/lib\/rpm, and the rpm database cannot be read without running rpm/);
  });

  it('errors offline on a damaged dpkg status file', async () => {
    const root = tempTree({ 'var/lib/dpkg/status': 'Package: docker-ce\n<<garbage>>\n' }, 'hosts/docker-ok');
    const r = await runCheck(dockerVersion, root, offline);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/\/var\/lib\/dpkg\/status: line 2: not a "Field: value" line/);
  });

  it('fails when the CLI crashes even though the engine is fine', async () => {
    const root = tempTree({ 'usr/bin/docker': '#!/bin/sh\nkill -SEGV $$\n' }, 'hosts/docker-ok');
    const r = await runCheck(dockerVersion, root, canRun);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/the docker CLI is broken: docker --version crashed/);
  });

  it('passes an engine of exactly 19.03 on a GPU pool', async () => {
    const root = tempTree({ 'usr/bin/dockerd': '#!/bin/sh\n[ "$1" = "--version" ] || exit 2\necho "Docker version 19.03.5, build 633a0ea838"\n' }, 'hosts/docker-old');
    const r = await runCheck(dockerVersion, root, { ...canRun, features: ['docker', 'gpu'] });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/^Docker Engine 19\.03\.5 \(from `dockerd --version`\) is 19\.03 or newer; the CLI is 19\.03\.5/);
  });

  it('errors, never passes, when the docker CLI prints no version it can read', async () => {
    const root = tempTree({ 'usr/bin/docker': '#!/bin/sh\necho "docker: wrapper script, see /etc/docker-wrapper.conf"\n' }, 'hosts/docker-ok');
    const r = await runCheck(dockerVersion, root, canRun);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/is recent enough, but the docker CLI's version could not be told: `docker --version` gave no version I can read/);
  });

  it('passes offline on the engine alone, saying so, when no package records the CLI', async () => {
    // The docker-ok dpkg database without its docker-ce-cli entry.
    const status = readFileSync(path.join(FIXTURES, 'hosts/docker-ok/var/lib/dpkg/status'), 'utf8')
      .split(/\n\n+/)
      .filter((stanza) => !stanza.startsWith('Package: docker-ce-cli\n'))
      .join('\n\n');
    const r = await runCheck(dockerVersion, tempTree({ 'var/lib/dpkg/status': status }, 'hosts/docker-ok'), offline);
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/^Docker Engine 5:24\.0\.7-1~debian\.12~bookworm \(from package docker-ce .* is 19\.03 or newer \(CLI version not compared: /);
  });
});

// docker/docs commit b52599b ("v20.10 docs for cgroup v2 and rootless"): cgroup v2 is supported from
// Docker 20.10; the kernel's unified hierarchy has cgroup.controllers at the root of /sys/fs/cgroup.
describe('docker.version on a cgroup v2 host', () => {
  const dockerdAt = (version: string) => `#!/bin/sh\necho "Docker version ${version}, build 0000000"\n`;
  const live = { live: true, canExec: true } as const;
  const v2 = { 'sys/fs/cgroup/cgroup.controllers': 'cpuset cpu io memory hugetlb pids rdma misc\n' };

  it('fails Docker 19.03 on cgroup v2: containers cannot start', async () => {
    const r = await runCheck(dockerVersion, tempTree({ ...v2, 'usr/bin/dockerd': dockerdAt('19.03.15'), 'usr/bin/docker': dockerdAt('19.03.15') }, 'hosts/docker-ok'), live);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^Docker Engine 19\.03\.15 .* predates cgroup v2 support \(Docker 20\.10\), and this host runs cgroup v2: containers cannot start/);
    expect(r.evidence).toMatchObject({ cgroup: 'v2 (/sys/fs/cgroup/cgroup.controllers exists)' });
  });

  it('passes Docker 20.10.0 on cgroup v2, and 19.03 on cgroup v1 (no cgroup.controllers)', async () => {
    expect((await runCheck(dockerVersion, tempTree({ ...v2, 'usr/bin/dockerd': dockerdAt('20.10.0'), 'usr/bin/docker': dockerdAt('20.10.0') }, 'hosts/docker-ok'), live)).status).toBe('pass');
    expect((await runCheck(dockerVersion, tempTree({ 'usr/bin/dockerd': dockerdAt('19.03.15'), 'usr/bin/docker': dockerdAt('19.03.15') }, 'hosts/docker-ok'), live)).status).toBe('pass');
  });

  it('does not judge the cgroup version of an offline root (the kernel that boots it decides)', async () => {
    const root = tempTree({ ...v2, 'usr/bin/dockerd': dockerdAt('19.03.15'), 'usr/bin/docker': dockerdAt('19.03.15') }, 'hosts/docker-ok');
    expect((await runCheck(dockerVersion, root, canRun)).status).toBe('pass');
  });

  it('is an error when /sys/fs/cgroup cannot be read', async () => {
    const root = tempTree({ 'sys/fs/cgroup': { link: 'cgroup' }, 'usr/bin/dockerd': dockerdAt('19.03.15'), 'usr/bin/docker': dockerdAt('19.03.15') }, 'hosts/docker-ok');
    const r = await runCheck(dockerVersion, root, live);
    expect(r.status).toBe('error');
  });
});
