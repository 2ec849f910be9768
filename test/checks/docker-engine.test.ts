import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { dockerEngine } from '../../checks/docker-engine';
import { runCheck, tempTree } from '../helpers/host';

describe('docker.engine', () => {
  it('passes with dockerd, docker and docker.service', async () => {
    const r = await runCheck(dockerEngine, 'hosts/docker-ok', { live: false, canExec: false });
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ dockerd: '/usr/bin/dockerd', docker: '/usr/bin/docker', unit: 'disabled', unitFile: '/lib/systemd/system/docker.service' });
  });

  it('fails when Docker is not installed, with the install command for the family', async () => {
    const r = await runCheck(dockerEngine, 'hosts/docker-missing');
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/neither dockerd nor docker/);
    expect(r.remediation).toMatch(/apt-get install -y docker\.io/);
  });

  it('fails when only the CLI is installed', async () => {
    const root = tempTree({ 'usr/bin/docker': '#!/bin/sh\necho "Docker version 24.0.7, build afdd53b"\n' }, 'hosts/docker-missing');
    const r = await runCheck(dockerEngine, root);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/partly installed: the daemon \(dockerd\) is missing/);
  });

  it('fails without a docker.service unit file (systemctl start docker.service would fail)', async () => {
    const root = tempTree({}, 'hosts/docker-ok');
    rmSync(path.join(root, 'lib/systemd/system/docker.service'));
    const r = await runCheck(dockerEngine, root);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/no docker\.service unit file/);
  });

  it('errors, never passes, when the docker.service unit file is broken (a symlink loop)', async () => {
    const root = tempTree({ 'etc/systemd/system/docker.service': { link: 'docker.service' } }, 'hosts/docker-ok');
    const r = await runCheck(dockerEngine, root);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read \/etc\/systemd\/system\/docker\.service/);
  });

  it('fails when docker.service is masked', async () => {
    const root = tempTree({ 'etc/systemd/system/docker.service': { link: '/dev/null' } }, 'hosts/docker-ok');
    const r = await runCheck(dockerEngine, root);
    expect(r.status).toBe('fail');
    expect(r.remediation).toBe('systemctl unmask docker.service');
  });

  it('uses the RHEL family install command there', async () => {
    const root = tempTree({}, 'hosts/docker-rpm');
    rmSync(path.join(root, 'usr'), { recursive: true });
    const r = await runCheck(dockerEngine, root);
    expect(r.status).toBe('fail');
    expect(r.remediation).toMatch(/^dnf config-manager .* dnf install -y docker-ce/);
  });
});
