import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, runCheck, tempTree } from '../helpers/host';
import { firewallInbound } from '../../checks/firewall-inbound';
import { firewallOutbound } from '../../checks/firewall-outbound';

const output = (p: string) => readFileSync(path.join(FIXTURES, 'outputs', p), 'utf8');
/** A stub command that prints a recorded output, as the real tool would. */
const prints = (text: string) => `#!/bin/sh\ncat <<'RECORDED'\n${text}RECORDED\n`;
const NO_NFT = prints('{"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}}]}\n');
const DEBIAN = { '/etc/os-release': 'ID=debian\nVERSION_ID="12"\n' };
// The default is simplified node communication; these scenarios are about a classic pool's 29876/29877.
const CLASSIC = { settings: { nodeCommunication: 'classic' as const } };

function liveTree(iptables: string, nft = NO_NFT) {
  return tempTree({ ...DEBIAN, 'usr/sbin/iptables-nft-save': iptables, 'usr/sbin/nft': nft });
}

describe('firewall.inbound on a live host (stub rule dumps)', () => {
  it('passes when the rules accept 29876, 29877 and 22', async () => {
    const r = await runCheck(firewallInbound, liveTree(prints(output('iptables/batch-chain-multiport.txt'))), CLASSIC);
    expect(r.status).toBe('pass');
    expect(r.message).toContain('lets inbound TCP 29876, 29877, 22 through');
  });

  it('fails naming 29876 and 29877 and the policy that drops them, with an iptables fix', async () => {
    const r = await runCheck(firewallInbound, liveTree(prints(output('iptables/drop-only-ssh.txt'))), CLASSIC);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/blocks inbound TCP 29876, 29877 .*policy DROP/);
    expect(r.remediation).toContain('iptables -I INPUT -p tcp -m multiport --dports 29876,29877 -j ACCEPT && netfilter-persistent save');
    expect((r.evidence?.ports as Record<string, { kind: string }>)['22']?.kind).toBe('accepted');
  });

  it('without the ssh feature, 22 is not asked about', async () => {
    const r = await runCheck(firewallInbound, liveTree(prints(output('iptables/source-restricted.txt'))), { ...CLASSIC, features: ['docker'] });
    expect(r.status).toBe('warn');
    expect(r.message).toContain('interface eth1');
    expect(r.message).not.toContain('TCP 22');
  });

  it('by default (simplified node communication): closed Batch ports pass with that note; 22 still counts', async () => {
    const tree = liveTree(prints(output('iptables/drop-only-ssh.txt')));
    const r = await runCheck(firewallInbound, tree);
    expect(r.status).toBe('pass');
    expect(r.message).toContain('simplified node communication');
    const noSsh = await runCheck(firewallInbound, liveTree(prints(output('iptables/source-restricted.txt').replace('-s 10.20.0.0/16 ', ''))));
    expect(noSsh.status).toBe('pass');
  });

  it('22 dropped: a warning when SSH is only the guide\'s "should", a failure when the pool needs SSH', async () => {
    const noSsh = prints(output('iptables/drop-only-ssh.txt').replace(/^-A INPUT -p tcp -m tcp --dport 22 .*\n/m, ''));
    const r = await runCheck(firewallInbound, liveTree(noSsh));
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^the host firewall blocks inbound TCP 22, which only Batch Shipyard's guide says should be open for SSH .*policy DROP/);
    expect(r.remediation).toContain('--dports 22 -j ACCEPT');
    const needed = await runCheck(firewallInbound, liveTree(noSsh), { features: ['docker', 'ssh', 'ssh-access'] });
    expect(needed.status).toBe('fail');
    expect(needed.message).toMatch(/blocks inbound TCP 22 \(SSH \(the pool needs it: requirement ssh-access\)\)/);
  });

  it('reads native nftables too: a drop there fails even when iptables accepts', async () => {
    const r = await runCheck(firewallInbound, liveTree(prints(output('iptables/docker.txt')), prints(output('nft/drop-only-ssh.json'))), CLASSIC);
    expect(r.status).toBe('fail');
    expect(r.message).toContain('nftables inet host/input: policy DROP');
    expect(r.remediation).toContain('nft insert rule');
  });

  it('passes, saying so, when no firewall tool is installed', async () => {
    const r = await runCheck(firewallInbound, tempTree(DEBIAN));
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/no host firewall is installed or loaded.*nft not installed/);
  });

  it.each([
    ['hangs', '#!/bin/sh\ntrap \'\' TERM\nsleep 30\n', /did not finish/],
    ['crashes', '#!/bin/sh\nkill -SEGV $$\n', /killed by SIGSEGV/],
    ['prints garbage', '#!/bin/sh\necho "Segmentation fault (core dumped) ###"\n', /not a rule set/],
    ['exits non-zero', "#!/bin/sh\necho \"iptables-nft-save: can't initialize: Permission denied\" >&2\nexit 1\n", /Permission denied/],
  ])('is an error, never a pass, when iptables-nft-save %s', async (_, stub, why) => {
    const r = await runCheck(firewallInbound, liveTree(stub), { commandTimeoutMs: 500 });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(why);
  });

  it('is an error when nft prints garbage', async () => {
    const r = await runCheck(firewallInbound, liveTree(prints(output('iptables/docker.txt')), prints('table inet filter {\n')));
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/nft -j list ruleset printed output that is not a rule set/);
  });
});

describe('firewall checks offline (saved configuration)', () => {
  const offline = { live: false, canExec: false, ...CLASSIC };
  const ufw = (enabled: string, rules: string) => ({
    ...DEBIAN,
    'etc/ufw/ufw.conf': `ENABLED=${enabled}\nLOGLEVEL=low\n`,
    'etc/default/ufw': 'DEFAULT_INPUT_POLICY="DROP"\nDEFAULT_OUTPUT_POLICY="ACCEPT"\n',
    'etc/ufw/user.rules': rules,
  });

  it('ufw enabled with the ports allowed passes, and says the kernel was not read', async () => {
    const r = await runCheck(firewallInbound, tempTree(ufw('yes', output('ufw/user.rules'))), offline);
    expect(r.status).toBe('pass');
    expect(r.message).toContain('not checked: the kernel rule sets');
  });

  it('ufw enabled without the ports fails with a ufw fix; disabled ufw passes', async () => {
    const bare = '*filter\n:ufw-user-input - [0:0]\n-A ufw-user-input -p tcp --dport 22 -j ACCEPT\nCOMMIT\n';
    const r = await runCheck(firewallInbound, tempTree(ufw('yes', bare)), offline);
    expect(r.status).toBe('fail');
    expect(r.remediation).toBe('ufw allow 29876/tcp && ufw allow 29877/tcp');
    const off = await runCheck(firewallInbound, tempTree(ufw('no', bare)), offline);
    expect(off.status).toBe('pass');
    expect(off.message).toContain('ufw installed but not enabled');
  });

  const firewalld = (zone: string) => ({
    'etc/os-release': 'ID=rocky\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n',
    'usr/lib/systemd/system/firewalld.service': '[Unit]\nDescription=firewalld\n[Install]\nWantedBy=multi-user.target\n',
    'etc/systemd/system/multi-user.target.wants/firewalld.service': { link: '/usr/lib/systemd/system/firewalld.service' },
    'etc/firewalld/firewalld.conf': 'DefaultZone=public\nFirewallBackend=nftables\n',
    'usr/lib/firewalld/zones/public.xml': zone,
    'usr/lib/firewalld/services/ssh.xml': output('firewalld/ssh.xml'),
    'usr/lib/firewalld/services/dhcpv6-client.xml': '<service><port protocol="udp" port="546"/></service>',
    'usr/lib/firewalld/services/cockpit.xml': '<service><port protocol="tcp" port="9090"/></service>',
  });

  it('firewalld enabled with the stock public zone fails with firewall-cmd commands', async () => {
    const r = await runCheck(firewallInbound, tempTree(firewalld(output('firewalld/public.xml'))), offline);
    expect(r.status).toBe('fail');
    expect(r.message).toContain('firewalld zone public: target default');
    expect(r.remediation).toBe('firewall-cmd --permanent --add-port=29876/tcp && firewall-cmd --permanent --add-port=29877/tcp && firewall-cmd --reload');
  });

  it('firewalld with the Batch ports in the zone passes; broken zone XML is an error', async () => {
    expect((await runCheck(firewallInbound, tempTree(firewalld(output('firewalld/public-batch.xml'))), offline)).status).toBe('pass');
    const broken = await runCheck(firewallInbound, tempTree(firewalld('<zone><port port="1"')), offline);
    expect(broken.status).toBe('error');
  });

  it('a saved iptables file counts only when its service is enabled', async () => {
    const files = { ...DEBIAN, 'etc/iptables/rules.v4': output('iptables/drop-only-ssh.txt') };
    expect((await runCheck(firewallInbound, tempTree(files), offline)).status).toBe('pass');
    const enabled = tempTree({
      ...files,
      'lib/systemd/system/netfilter-persistent.service': '[Service]\nType=oneshot\n[Install]\nWantedBy=multi-user.target\n',
      'etc/systemd/system/multi-user.target.wants/netfilter-persistent.service': { link: '/lib/systemd/system/netfilter-persistent.service' },
    });
    expect((await runCheck(firewallInbound, enabled, offline)).status).toBe('fail');
  });
});

describe('firewall.outbound', () => {
  it('passes when the OUTPUT chain lets 443 through', async () => {
    const r = await runCheck(firewallOutbound, liveTree(prints(output('iptables/batch-chain-multiport.txt'))));
    expect(r.status).toBe('pass');
    expect(r.message).toContain('outbound TCP 443');
  });
  it('fails when nftables drops outgoing 443, naming the rule', async () => {
    const r = await runCheck(firewallOutbound, liveTree(prints(output('iptables/docker.txt')), prints(output('nft/batch-set-vmap.json'))));
    expect(r.status).toBe('fail');
    expect(r.message).toContain('nftables inet host/output: tcp dport 443 drop');
  });
  it('is an error when the rule dump cannot be read', async () => {
    const r = await runCheck(firewallOutbound, liveTree('#!/bin/sh\nkill -SEGV $$\n'));
    expect(r.status).toBe('error');
  });
});
