// The Docker boot rule by target: plain Batch container pools need Docker started at boot
// (docker.autostart), while Batch Shipyard wants it off when its data root is on the temp disk
// (docker.boot), which with target batch does not apply.
import { describe, expect, it } from 'vitest';
import { dockerAutostart } from '../../checks/docker-autostart';
import { dockerBoot } from '../../checks/docker-boot';
import { runCheck, tempTree } from '../helpers/host';

const offline = { live: false, canExec: false } as const;
const enabled = {
  'etc/systemd/system/multi-user.target.wants/docker.service': { link: '/lib/systemd/system/docker.service' },
};
const batch = { ...offline, settings: { target: 'batch' as const } };

describe('docker.autostart', () => {
  it('passes when docker.service is enabled at boot', async () => {
    const r = await runCheck(dockerAutostart, tempTree(enabled, 'hosts/docker-ok'), batch);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('docker.service is enabled at boot (/etc/systemd/system/multi-user.target.wants/docker.service)');
    expect(r.evidence?.docs).toBe('https://learn.microsoft.com/azure/batch/batch-docker-container-workloads');
  });

  it('passes with socket activation alone', async () => {
    const r = await runCheck(dockerAutostart, tempTree({ 'etc/systemd/system/sockets.target.wants/docker.socket': { link: '/lib/systemd/system/docker.socket' } }, 'hosts/docker-ok'), batch);
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/^docker\.socket is enabled at boot/);
  });

  it('fails when neither unit starts at boot', async () => {
    const r = await runCheck(dockerAutostart, 'hosts/docker-ok', batch);
    expect(r.status).toBe('fail');
    expect(r.message).toBe("neither docker.service nor docker.socket is enabled at boot (docker.service disabled, docker.socket disabled): nothing starts Docker before Batch pulls the pool's container images");
    expect(r.remediation).toBe('systemctl enable docker.service');
  });

  it('cites the Batch container documentation in explain', () => {
    expect(dockerAutostart.description).toContain('https://learn.microsoft.com/azure/batch/batch-docker-container-workloads');
    expect(dockerAutostart.targets).toEqual(['batch']);
  });
});

describe('docker.boot by target', () => {
  it('a data root on the temp disk with Docker enabled at boot fails for Shipyard, not for plain Batch', async () => {
    const shipyard = await runCheck(dockerBoot, 'hosts/docker-boot-race', offline);
    expect(shipyard.status).toBe('fail');
    const plain = await runCheck(dockerBoot, 'hosts/docker-boot-race', batch);
    expect(plain.status).toBe('pass');
    expect(plain.message).toMatch(/on the resource disk \/mnt\/resource; with target batch Docker must start at boot all the same \(docker\.autostart\)/);
  });

  it('the daemon.json rules apply to both targets', async () => {
    const r = await runCheck(dockerBoot, 'hosts/docker-boot-hosts', batch);
    expect(r.status).toBe('fail');
  });
});
