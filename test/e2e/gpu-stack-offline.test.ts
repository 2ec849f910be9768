// The GPU container stack and dockerd's configuration judged on an offline image root (--root): no
// command runs, versions come from the package database. Sources: moby daemon/nvidia_linux.go
// (--gpus needs nvidia-container-runtime-hook on dockerd's PATH), daemon/config/config.go
// (findConfigurationConflicts), Azure/azhpc-images (Fabric Manager on NVSwitch sizes).
import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { tempTree } from '../helpers/host';

interface Outcome {
  id: string;
  status: string;
  message: string;
}
const checks = (stdout: string): Record<string, Outcome> => Object.fromEntries((JSON.parse(stdout).checks as Outcome[]).map((c) => [c.id, c]));

describe('offline image root (--root)', () => {
  it('fails docker.boot on a daemon.json key the packaged engine (docker-ce 24.0.7) does not know, and on a flag given twice', () => {
    const root = tempTree({ 'etc/docker/daemon.json': '{"graph": "/var/lib/docker", "containerd": "/run/containerd/containerd.sock"}' }, 'hosts/docker-ok');
    const r = runCli(['--root', root, '--only', 'docker.engine,docker.boot', '--format', 'json']);
    expect(r.status).toBe(1);
    const boot = checks(r.stdout)['docker.boot']!;
    expect(boot.status).toBe('fail');
    expect(r.stdout).toMatch(/\\"graph\\", which dockerd 24\.0 does not know/);
    expect(r.stdout).toMatch(/\\"containerd\\" is set in \/etc\/docker\/daemon\.json and docker\.service passes --containerd/);
  });

  it('fails docker.gpus on an image whose only way to the GPUs is an nvidia runtime in daemon.json', () => {
    const root = tempTree({}, 'hosts/docker-gpu-ok');
    rmSync(path.join(root, 'usr/bin/nvidia-container-runtime-hook'));
    const r = runCli(['--root', root, '--require', 'gpu', '--only', 'docker.engine,docker.version,docker.gpus', '--format', 'json']);
    const gpus = checks(r.stdout)['docker.gpus']!;
    expect(gpus.status).toBe('fail');
    expect(gpus.message).toMatch(/cannot serve --gpus: nvidia-container-runtime-hook \(package nvidia-container-toolkit\) is not on dockerd's PATH/);
  });

  it('checks Fabric Manager for the pool size given with --vm-size, and passes it on an image that has it', () => {
    const ok = runCli(['--root', path.resolve(__dirname, '../../fixtures/hosts/fabricmanager-ok'), '--vm-size', 'Standard_ND96isr_H200_v5', '--only', 'nvidia.fabricmanager', '--format', 'json']);
    expect(checks(ok.stdout)['nvidia.fabricmanager']).toMatchObject({ status: 'pass' });
    const bare = runCli(['--root', tempTree({}, 'hosts/docker-ok'), '--vm-size', 'Standard_ND96isr_H200_v5', '--only', 'nvidia.fabricmanager', '--format', 'json']);
    expect(checks(bare.stdout)['nvidia.fabricmanager']!.status).toBe('fail');
    const unknownSize = runCli(['--root', tempTree({}, 'hosts/docker-ok'), '--require', 'gpu', '--only', 'nvidia.fabricmanager', '--format', 'json']);
    expect(checks(unknownSize.stdout)['nvidia.fabricmanager']!.status).toBe('skip');
  });
});
