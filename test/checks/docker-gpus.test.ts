import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { dockerGpus } from '../../checks/docker-gpus';
import { FIXTURES, runCheck, tempTree } from '../helpers/host';
import { startFakeDocker, type FakeDocker, type FakeDockerOptions } from '../helpers/fake-docker';

let fake: FakeDocker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const gpu = { features: ['gpu' as const], live: false, canExec: true };
const stub = (name: string) => `#!/bin/sh\necho "${name} 1.14.3"\n`;
const nvidiaCdiSpec = readFileSync(path.join(FIXTURES, 'hosts/docker-gpu-cdi/etc/cdi/nvidia.yaml'), 'utf8');

/** Runs the check on a running host whose daemon is a fake on the root's /var/run/docker.sock. */
async function runLive(root: string, daemon: FakeDockerOptions) {
  mkdirSync(path.join(root, 'var/run'), { recursive: true });
  const socket = path.join(root, 'var/run/docker.sock');
  fake = await startFakeDocker(socket, daemon);
  return runCheck(dockerGpus, root, { ...gpu, live: true, dockerSocket: socket });
}

describe('docker.gpus', () => {
  it('passes with the toolkit and an nvidia runtime in daemon.json', async () => {
    const r = await runCheck(dockerGpus, 'hosts/docker-gpu-ok', gpu);
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/\/etc\/docker\/daemon\.json registers an nvidia runtime/);
    expect(r.evidence).toMatchObject({ engine: { version: '24.0.7' }, daemonJsonRuntimes: ['nvidia'] });
  });

  it('does not judge the default daemon.json when docker.service cannot be read (dockerd may use another file)', async () => {
    const root = tempTree({ 'etc/systemd/system/docker.service.d/loop.conf': { link: 'loop.conf' } }, 'hosts/docker-gpu-ok');
    // Leave daemon.json's nvidia runtime as the only way to the GPUs.
    rmSync(path.join(root, 'usr/bin/nvidia-container-runtime-hook'));
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/docker.service could not be read/);
  });

  it('passes with a CDI spec for NVIDIA devices', async () => {
    const r = await runCheck(dockerGpus, 'hosts/docker-gpu-cdi', gpu);
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ cdiSpecs: ['/etc/cdi/nvidia.yaml'] });
  });

  it('passes offline, from the package database', async () => {
    const r = await runCheck(dockerGpus, 'hosts/docker-gpu-ok', { ...gpu, canExec: false });
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ engine: { source: expect.stringMatching(/^package docker-ce /) } });
  });

  it('fails when the NVIDIA container toolkit is missing', async () => {
    const r = await runCheck(dockerGpus, 'hosts/docker-ok', gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/toolkit is not installed/);
    expect(r.remediation).toMatch(/apt-get install -y nvidia-container-toolkit/);
  });

  it("fails without nvidia-container-cli, which Shipyard's node prep requires", async () => {
    const r = await runCheck(dockerGpus, tempTree({ 'usr/bin/nvidia-ctk': stub('nvidia-ctk') }, 'hosts/docker-ok'), gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/partly installed \(nvidia-ctk\), but nvidia-container-cli is not on PATH/);
    expect(r.remediation).toBe('apt-get install -y libnvidia-container-tools');
  });

  it('fails when Docker has no way to reach the GPUs', async () => {
    const root = tempTree({ 'usr/bin/nvidia-container-cli': stub('cli'), 'etc/cdi/other.json': '{"kind": "vendor.example/fpga"}' }, 'hosts/docker-ok');
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/no way to reach the GPUs/);
  });

  it("passes with an nvidia runtime in the running daemon's /info", async () => {
    const root = tempTree({ 'usr/bin/nvidia-container-cli': stub('cli') }, 'hosts/docker-ok');
    mkdirSync(path.join(root, 'var/run'), { recursive: true });
    const socket = path.join(root, 'var/run/docker.sock');
    fake = await startFakeDocker(socket);
    const r = await runCheck(dockerGpus, root, { ...gpu, live: true, dockerSocket: socket });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/Docker 20\.10\.24\+dfsg1 .* the running daemon has an nvidia runtime/);
  });

  it('fails on an engine older than 19.03', async () => {
    const r = await runCheck(dockerGpus, tempTree({ 'usr/bin/nvidia-container-cli': stub('cli'), 'usr/bin/nvidia-container-runtime-hook': stub('hook') }, 'hosts/docker-old'), gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/18\.09\.7 has no --gpus support/);
  });

  it('errors when the engine version cannot be told (dockerd hangs)', async () => {
    const r = await runCheck(dockerGpus, 'hosts/docker-dockerd-hang', { ...gpu, commandTimeoutMs: 300 });
    expect(r.status).toBe('error');
  });

  it('fails when dockerd crashes', async () => {
    const r = await runCheck(dockerGpus, 'hosts/docker-dockerd-crash', gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/crashed/);
  });

  it('passes with nvidia-container-runtime-hook as the only way to the GPUs', async () => {
    const root = tempTree({ 'usr/bin/nvidia-container-cli': stub('cli'), 'usr/bin/nvidia-container-runtime-hook': stub('hook') }, 'hosts/docker-ok');
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/; --gpus can call \/usr\/bin\/nvidia-container-runtime-hook$/);
  });

  it('takes "runtimes": null in daemon.json for no runtimes', async () => {
    const r = await runCheck(dockerGpus, tempTree({ 'etc/docker/daemon.json': '{ "runtimes": null }\n' }, 'hosts/docker-gpu-ok'), gpu);
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ daemonJsonRuntimes: [] });
  });

  it('does not count an NVIDIA spec in a file CDI does not load (only .json and .yaml are specs)', async () => {
    const root = tempTree(
      { 'usr/bin/nvidia-container-cli': stub('cli'), 'etc/cdi/nvidia.yml': nvidiaCdiSpec, 'var/run/cdi/nvidia.yaml.bak': nvidiaCdiSpec },
      'hosts/docker-ok',
    );
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/no NVIDIA CDI spec/);
  });

  it('skips a CDI spec link whose target is gone', async () => {
    const r = await runCheck(dockerGpus, tempTree({ 'var/run/cdi/nvidia.yaml': { link: '/etc/cdi/removed.yaml' } }, 'hosts/docker-gpu-ok'), gpu);
    expect(r.status).toBe('pass');
    expect(r.evidence?.cdiSpecs).toBeUndefined();
  });

  it('skips a folder in /etc/cdi, even one named like a spec, as the CDI library does', async () => {
    const root = tempTree({ 'usr/bin/nvidia-container-cli': stub('cli'), 'etc/cdi/x.yaml/nvidia.yaml': nvidiaCdiSpec }, 'hosts/docker-ok');
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/no NVIDIA CDI spec/);
  });

  it('is an error when a CDI spec exists but cannot be read', async () => {
    const root = tempTree({ 'usr/bin/nvidia-container-cli': stub('cli'), 'etc/cdi/nvidia.yaml': { link: 'nvidia.yaml' } }, 'hosts/docker-ok');
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read \/etc\/cdi\/nvidia\.yaml: /);
  });

  it('passes on Docker 19.03.0, the first release with --gpus', async () => {
    const dockerd = '#!/bin/sh\necho "Docker version 19.03.0, build aeac949"\n';
    const root = tempTree({ 'usr/bin/dockerd': dockerd, 'usr/bin/nvidia-container-cli': stub('cli'), 'usr/bin/nvidia-container-runtime-hook': stub('hook') }, 'hosts/docker-old');
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/^Docker 19\.03\.0 /);
  });

  it('fails, not errors, when there is no daemon.json and no other way to the GPUs', async () => {
    const root = tempTree({ 'usr/bin/nvidia-container-cli': stub('cli') }, 'hosts/docker-ok');
    rmSync(path.join(root, 'etc/docker/daemon.json'));
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/no way to reach the GPUs/);
  });

  it('is an error, not a fail, when daemon.json is invalid and nothing else reaches the GPUs', async () => {
    const root = tempTree({ 'usr/bin/nvidia-container-cli': stub('cli'), 'etc/docker/daemon.json': '{ "runtimes": {\n' }, 'hosts/docker-ok');
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/not everything could be read \(\/etc\/docker\/daemon\.json could not be read/);
  });

  it("is an error, not a fail, when the running daemon's runtimes cannot be read and nothing else reaches the GPUs", async () => {
    const root = tempTree({ 'usr/bin/nvidia-container-cli': stub('cli') }, 'hosts/docker-ok');
    const r = await runCheck(dockerGpus, root, { ...gpu, live: true, dockerSocket: path.join(root, 'var/run/docker.sock') });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/not everything could be read \(the daemon's runtimes were not read/);
  });

  it("fails when the running daemon's runtimes have no nvidia runtime", async () => {
    const r = await runLive(tempTree({ 'usr/bin/nvidia-container-cli': stub('cli') }, 'hosts/docker-ok'), { info: { Runtimes: { runc: { path: 'runc' } } } });
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({ daemonRuntimes: ['runc'] });
  });

  it('fails, not crashes, when the daemon answers /info with JSON null', async () => {
    const r = await runLive(tempTree({ 'usr/bin/nvidia-container-cli': stub('cli') }, 'hosts/docker-ok'), { info: null });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/no way to reach the GPUs/);
  });
});
