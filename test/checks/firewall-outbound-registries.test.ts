// firewall.outbound names the registries a --batch-pool pulls from in its TCP 443 verdict,
// without contacting them.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { firewallOutbound } from '../../checks/firewall-outbound';
import { FIXTURES, runCheck, tempTree } from '../helpers/host';

const prints = (p: string) => `#!/bin/sh\ncat <<'RECORDED'\n${readFileSync(path.join(FIXTURES, 'outputs', p), 'utf8')}RECORDED\n`;
const registries = [
  { name: 'myregistry.azurecr.io', source: 'pool.json:$.virtualMachineConfiguration.containerConfiguration.containerImageNames[0]' },
  { name: 'docker.io', source: 'pool.json:$.virtualMachineConfiguration.containerConfiguration.containerImageNames[1]' },
];

describe('firewall.outbound with the pool\'s registries', () => {
  it('a blocked 443 names them', async () => {
    const root = tempTree({ 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n', 'usr/sbin/iptables-nft-save': prints('iptables/docker.txt'), 'usr/sbin/nft': prints('nft/batch-set-vmap.json') });
    const r = await runCheck(firewallOutbound, root, { settings: { registries } });
    expect(r.status).toBe('fail');
    expect(r.message).toContain("HTTPS to Azure Storage, Batch and registries (the pool's: myregistry.azurecr.io, docker.io)");
  });

  it('an open 443 keeps them in the evidence', async () => {
    const root = tempTree({ 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n', 'usr/sbin/iptables-nft-save': prints('iptables/batch-chain-multiport.txt'), 'usr/sbin/nft': '#!/bin/sh\necho \'{"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}}]}\'\n' });
    const r = await runCheck(firewallOutbound, root, { settings: { registries } });
    expect(r.status).toBe('pass');
    expect(JSON.stringify(r.evidence)).toContain("(the pool's: myregistry.azurecr.io, docker.io)");
  });
});
