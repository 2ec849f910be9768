import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { dockerGpus } from '../../checks/docker-gpus';
import { FIXTURES, runCheck, tempTree } from '../helpers/host';
import { startFakeDocker, type FakeDocker } from '../helpers/fake-docker';

let fake: FakeDocker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const gpu = { features: ['gpu' as const], live: false, canExec: true };
const stub = (name: string) => `#!/bin/sh\necho "${name} 1.14.3"\n`;
const nvidiaCdiSpec = readFileSync(path.join(FIXTURES, 'hosts/docker-gpu-cdi/etc/cdi/nvidia.yaml'), 'utf8');

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

  it('does not count an NVIDIA spec in a file CDI does not load (only .json and .yaml are specs)', async () => {
    const root = tempTree(
      { 'usr/bin/nvidia-container-cli': stub('cli'), 'etc/cdi/nvidia.yml': nvidiaCdiSpec, 'var/run/cdi/nvidia.yaml.bak': nvidiaCdiSpec },
      'hosts/docker-ok',
    );
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/no NVIDIA CDI spec/);
  });
});
