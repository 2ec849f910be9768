import { describe, expect, it } from 'vitest';
import { dockerGroup } from '../../checks/docker-group';
import { runCheck, tempTree } from '../helpers/host';

describe('docker.group', () => {
  it('passes when the docker group exists', async () => {
    const r = await runCheck(dockerGroup, 'hosts/docker-ok', { live: false, canExec: false });
    expect(r.status).toBe('pass');
    expect(r.evidence).toMatchObject({ gid: 998, members: ['_azbatch'], line: 5 });
  });

  it('fails when the docker group is missing', async () => {
    const r = await runCheck(dockerGroup, 'hosts/docker-missing');
    expect(r.status).toBe('fail');
    expect(r.remediation).toBe('groupadd --system docker');
  });

  it('does not take a commented-out or malformed line for the group', async () => {
    const root = tempTree({ 'etc/group': 'root:x:0:\n#docker:x:998:\ndocker:x:998\n' });
    const r = await runCheck(dockerGroup, root);
    expect(r.status).toBe('fail');
    expect(r.evidence).toMatchObject({ malformedLines: [3] });
  });

  it('errors when /etc/group cannot be read', async () => {
    expect((await runCheck(dockerGroup, tempTree({ 'etc/os-release': 'ID=debian\n' }))).status).toBe('error');
    const r = await runCheck(dockerGroup, tempTree({ 'etc/group': { link: '/etc/group' } }));
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/could not read/);
  });
});
