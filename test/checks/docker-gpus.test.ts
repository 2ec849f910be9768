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

// Sources: moby daemon/nvidia_linux.go (v19.03-v28: the --gpus driver is registered only when
// exec.LookPath finds nvidia-container-runtime-hook) and daemon/devices_nvidia_linux.go (from
// docker-v29.2.0, commit 86f122af27: also nvidia-cdi-hook + a CDI spec for nvidia.com/gpu);
// NVIDIA/nvidia-container-toolkit packaging/debian/*.install (the hook is in nvidia-container-toolkit,
// nvidia-cdi-hook in nvidia-container-toolkit-base).
const dockerdAt = (version: string) => `#!/bin/sh\necho "Docker version ${version}, build 0000000"\n`;
const hookAndCli = { 'usr/bin/nvidia-container-cli': stub('cli'), 'usr/bin/nvidia-container-runtime-hook': stub('hook') };
/** An engine of `version` with nvidia-cdi-hook and nvidia-container-cli but no runtime hook, as nvidia-container-toolkit-base + libnvidia-container-tools install it. */
const cdiOnly = (version: string, extra: Parameters<typeof tempTree>[0] = {}) =>
  tempTree({ 'usr/bin/dockerd': dockerdAt(version), 'usr/bin/nvidia-cdi-hook': stub('cdi-hook'), ...extra }, 'hosts/docker-gpu-cdi');

describe('docker.gpus', () => {
  it('passes with nvidia-container-runtime-hook and nvidia-container-cli on PATH', async () => {
    const r = await runCheck(dockerGpus, 'hosts/docker-gpu-ok', gpu);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('Docker 24.0.7 serves --gpus through /usr/bin/nvidia-container-runtime-hook (with /usr/bin/nvidia-container-cli)');
    expect(r.evidence).toMatchObject({ engine: { version: '24.0.7' } });
  });

  it('fails when daemon.json registers an nvidia runtime but the hook is missing: the runtime serves --runtime=nvidia, not --gpus', async () => {
    const root = tempTree({}, 'hosts/docker-gpu-ok');
    rmSync(path.join(root, 'usr/bin/nvidia-container-runtime-hook'));
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^Docker 24\.0\.7 cannot serve --gpus: nvidia-container-runtime-hook \(package nvidia-container-toolkit\) is not on dockerd's PATH; found only: \/etc\/docker\/daemon\.json registers an nvidia runtime \(serves --runtime=nvidia, not --gpus\)$/);
    expect(r.remediation).toMatch(/apt-get install -y nvidia-container-toolkit && systemctl restart docker\.service/);
  });

  it('fails with an NVIDIA CDI spec on Docker 24 (CDI serves --gpus only from 29.2.0)', async () => {
    const r = await runCheck(dockerGpus, 'hosts/docker-gpu-cdi', gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/found only: CDI spec \/etc\/cdi\/nvidia\.yaml \(serves --device nvidia\.com\/gpu=all; --gpus uses it only from Docker 29\.2\.0/);
  });

  it('fails on Docker 29.1.5 with nvidia-cdi-hook and a CDI spec: the CDI way came in 29.2.0', async () => {
    const r = await runCheck(dockerGpus, cdiOnly('29.1.5'), gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^Docker 29\.1\.5 cannot serve --gpus/);
  });

  it('passes on Docker 29.2.0 with nvidia-cdi-hook and a CDI spec for nvidia.com/gpu', async () => {
    const r = await runCheck(dockerGpus, cdiOnly('29.2.0'), gpu);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('Docker 29.2.0 serves --gpus through CDI: /usr/bin/nvidia-cdi-hook is on PATH and /etc/cdi/nvidia.yaml describes nvidia.com/gpu devices');
  });

  it('fails on Docker 29.2.0 when daemon.json turns CDI off', async () => {
    const r = await runCheck(dockerGpus, cdiOnly('29.2.0', { 'etc/docker/daemon.json': '{ "features": { "cdi": false } }' }), gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/nvidia-cdi-hook is on PATH but CDI is turned off in daemon\.json/);
  });

  it('reads the CDI specs from daemon.json "cdi-spec-dirs" in place of the defaults', async () => {
    const moved = cdiOnly('29.2.0', { 'etc/docker/daemon.json': '{ "cdi-spec-dirs": ["/opt/cdi"] }' });
    expect((await runCheck(dockerGpus, moved, gpu)).status).toBe('fail');
    const there = cdiOnly('29.2.0', { 'etc/docker/daemon.json': '{ "cdi-spec-dirs": ["/opt/cdi"] }', 'opt/cdi/nvidia.yaml': nvidiaCdiSpec });
    expect((await runCheck(dockerGpus, there, gpu)).message).toMatch(/\/opt\/cdi\/nvidia\.yaml describes nvidia\.com\/gpu/);
  });

  it('is an error on Docker 29.2.0 with nvidia-cdi-hook when docker.service cannot be read (dockerd may read another daemon.json)', async () => {
    const root = cdiOnly('29.2.0', { 'etc/systemd/system/docker.service.d/loop.conf': { link: 'loop.conf' } });
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/docker.service could not be read/);
  });

  it('passes offline, from the package database', async () => {
    const r = await runCheck(dockerGpus, 'hosts/docker-gpu-ok', { ...gpu, canExec: false });
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ engine: { source: expect.stringMatching(/^package docker-ce /) } });
  });

  it('fails when the NVIDIA container toolkit is missing, naming the package that ships the hook', async () => {
    const r = await runCheck(dockerGpus, 'hosts/docker-ok', gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/cannot serve --gpus: nvidia-container-runtime-hook \(package nvidia-container-toolkit\) is not on dockerd's PATH$/);
    expect(r.remediation).toMatch(/apt-get install -y nvidia-container-toolkit/);
  });

  it('fails with only nvidia-container-toolkit-base (nvidia-ctk, nvidia-cdi-hook) on Docker 24', async () => {
    const root = tempTree({ 'usr/bin/nvidia-ctk': stub('nvidia-ctk'), 'usr/bin/nvidia-cdi-hook': stub('cdi-hook'), 'usr/bin/nvidia-container-cli': stub('cli') }, 'hosts/docker-ok');
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/nvidia-container-runtime-hook \(package nvidia-container-toolkit\) is not on dockerd's PATH/);
  });

  it("fails with the hook but without nvidia-container-cli: Shipyard's node prep requires it", async () => {
    const r = await runCheck(dockerGpus, tempTree({ 'usr/bin/nvidia-container-runtime-hook': stub('hook') }, 'hosts/docker-ok'), gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/but nvidia-container-cli is not on PATH, and Batch Shipyard's node preparation requires it on PATH$/);
    expect(r.remediation).toBe('apt-get install -y libnvidia-container-tools nvidia-container-toolkit');
  });

  it('under target batch says why nvidia-container-cli matters without speaking of Shipyard', async () => {
    const r = await runCheck(dockerGpus, tempTree({ 'usr/bin/nvidia-container-runtime-hook': stub('hook') }, 'hosts/docker-ok'), { ...gpu, settings: { target: 'batch' } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/nvidia-container-runtime-hook runs it to set up every GPU container$/);
    expect(`${r.message} ${r.remediation}`).not.toMatch(/shipyard|node prep/i);
  });

  it('under target batch passes the CDI way without nvidia-container-cli (only node prep needs it there)', async () => {
    const root = cdiOnly('29.2.0');
    rmSync(path.join(root, 'usr/bin/nvidia-container-cli'));
    expect((await runCheck(dockerGpus, root, { ...gpu, settings: { target: 'batch' } })).status).toBe('pass');
    expect((await runCheck(dockerGpus, root, gpu)).status).toBe('fail');
  });

  it("fails with only an nvidia runtime in the running daemon's /info", async () => {
    const r = await runLive(tempTree({ 'usr/bin/nvidia-container-cli': stub('cli') }, 'hosts/docker-ok'), {});
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/found only: the running daemon has an nvidia runtime \(serves --runtime=nvidia, not --gpus\)/);
  });

  it('passes live with the hook, whatever the daemon says about runtimes', async () => {
    const r = await runLive(tempTree(hookAndCli, 'hosts/docker-ok'), { info: { Runtimes: { runc: { path: 'runc' } } } });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/^Docker 20\.10\.24\+dfsg1 serves --gpus through/);
  });

  it('fails on an engine older than 19.03', async () => {
    const r = await runCheck(dockerGpus, tempTree(hookAndCli, 'hosts/docker-old'), gpu);
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
    const root = cdiOnly('29.2.0', { 'etc/cdi/nvidia.yml': nvidiaCdiSpec, 'var/run/cdi/nvidia.yaml.bak': nvidiaCdiSpec });
    rmSync(path.join(root, 'etc/cdi/nvidia.yaml'));
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/no CDI spec describes nvidia\.com\/gpu devices/);
  });

  it('does not count a spec for other NVIDIA devices (only nvidia.com/gpu serves --gpus)', async () => {
    const root = cdiOnly('29.2.0', { 'etc/cdi/nvidia.yaml': nvidiaCdiSpec.replaceAll('nvidia.com/gpu', 'nvidia.com/mofed') });
    expect((await runCheck(dockerGpus, root, gpu)).status).toBe('fail');
  });

  it('skips a CDI spec link whose target is gone', async () => {
    const root = cdiOnly('29.2.0', { 'var/run/cdi/nvidia.yaml': { link: '/etc/cdi/removed.yaml' } });
    rmSync(path.join(root, 'etc/cdi/nvidia.yaml'));
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('fail');
    expect(r.evidence?.cdiSpecs).toBeUndefined();
  });

  it('skips a folder in /etc/cdi, even one named like a spec, as the CDI library does', async () => {
    const root = cdiOnly('29.2.0', { 'etc/cdi/x.yaml/nvidia.yaml': nvidiaCdiSpec });
    rmSync(path.join(root, 'etc/cdi/nvidia.yaml'));
    expect((await runCheck(dockerGpus, root, gpu)).status).toBe('fail');
  });

  it('is an error when a CDI spec exists but cannot be read', async () => {
    const r = await runCheck(dockerGpus, cdiOnly('29.2.0', { 'var/run/cdi/nvidia.yaml': { link: 'nvidia.yaml' } }), gpu);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read \/var\/run\/cdi\/nvidia\.yaml: /);
  });

  it('passes on Docker 19.03.0, the first release with --gpus', async () => {
    const root = tempTree({ 'usr/bin/dockerd': dockerdAt('19.03.0'), ...hookAndCli }, 'hosts/docker-old');
    const r = await runCheck(dockerGpus, root, gpu);
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/^Docker 19\.03\.0 /);
  });

  it('fails, not errors, when daemon.json is invalid and the hook is missing on an engine without the CDI way', async () => {
    const root = tempTree({ 'usr/bin/nvidia-container-cli': stub('cli'), 'etc/docker/daemon.json': '{ "runtimes": {\n' }, 'hosts/docker-ok');
    expect((await runCheck(dockerGpus, root, gpu)).status).toBe('fail');
  });

  it('is an error on Docker 29.2 with nvidia-cdi-hook when daemon.json is invalid (CDI may be on or off)', async () => {
    const r = await runCheck(dockerGpus, cdiOnly('29.2.0', { 'etc/docker/daemon.json': '{ "features": {\n' }), gpu);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/could serve --gpus through CDI, but \/etc\/docker\/daemon\.json could not be read/);
  });

  it('fails, not crashes, when the daemon answers /info with JSON null', async () => {
    const r = await runLive(tempTree({ 'usr/bin/nvidia-container-cli': stub('cli') }, 'hosts/docker-ok'), { info: null });
    expect(r.status).toBe('fail');
  });
});
