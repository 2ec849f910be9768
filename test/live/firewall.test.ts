// Real rule sets loaded into a real kernel (inside the sandbox's network namespace), judged by the agent.
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

// The scenarios about 29876/29877 say --node-communication classic; the default (simplified) needs no inbound Batch port.
const RUN = 'node $BUNDLE --mode image --only firewall.inbound,firewall.outbound --format json';
const CLASSIC = `${RUN} --node-communication classic`;

interface Outcome {
  id: string;
  status: string;
  message: string;
  evidence?: Record<string, unknown>;
}

function outcomes(setup: string, run = CLASSIC): Record<string, Outcome> {
  const r = runScenario({ setup, run });
  let parsed: { checks?: Outcome[]; results?: Outcome[] };
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    throw new Error(`agent printed no JSON\nsetup: ${r.setupOutput}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  const list = parsed.checks ?? parsed.results ?? [];
  return Object.fromEntries(list.map((o) => [o.id, o]));
}

const DROP_ONLY_SSH = (cmd: string) => `
${cmd} -P INPUT DROP
${cmd} -A INPUT -i lo -j ACCEPT
${cmd} -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
${cmd} -A INPUT -p tcp --dport 22 -j ACCEPT
${cmd} -S INPUT | grep -cx -- '-P INPUT DROP'
${cmd} -S INPUT | grep -c -- '--dport 22 -j ACCEPT'
`;

const NEEDS = {
  commands: { iptables: 'iptables', 'iptables-nft': 'iptables', 'iptables-legacy': 'iptables', nft: 'nftables', ufw: 'ufw', firewalld: 'firewalld', 'firewall-cmd': 'firewalld', 'dbus-daemon': 'dbus' },
};

describeLive('firewall checks against real kernel rule sets', NEEDS, () => {
  it('no rules loaded: both pass', () => {
    const o = outcomes('[ -z "$(nft list ruleset)" ] && [ -z "$(iptables-legacy-save)" ]');
    expect(o['firewall.inbound']?.status).toBe('pass');
    expect(o['firewall.outbound']?.status).toBe('pass');
  });

  it('by default (simplified node communication), policy DROP with only 22 open passes', () => {
    const o = outcomes(DROP_ONLY_SSH('iptables-nft'), RUN);
    expect(o['firewall.inbound']?.status, o['firewall.inbound']?.message).toBe('pass');
    expect(o['firewall.inbound']?.message).toMatch(/TCP 22 through; TCP 29876, 29877 not open, which is fine: simplified node communication/);
    expect(o['firewall.outbound']?.status).toBe('pass');
  });

  it('classic: iptables (nft backend), policy DROP and only 22 open: inbound fails naming 29876 and 29877', () => {
    const o = outcomes(DROP_ONLY_SSH('iptables-nft'));
    expect(o['firewall.inbound']?.status).toBe('fail');
    expect(o['firewall.inbound']?.message).toMatch(/29876, 29877/);
    expect(o['firewall.inbound']?.message).toMatch(/policy DROP/);
    expect(o['firewall.outbound']?.status).toBe('pass');
  });

  it('iptables-legacy, policy DROP and only 22 open: inbound fails', () => {
    const o = outcomes(DROP_ONLY_SSH('iptables-legacy'));
    expect(o['firewall.inbound']?.status).toBe('fail');
    expect(o['firewall.inbound']?.message).toMatch(/iptables \(legacy\) filter\/INPUT: policy DROP/);
  });

  it('iptables with the ports in a user chain: pass; a source-restricted accept: warn', () => {
    const open = outcomes(`${DROP_ONLY_SSH('iptables')}
iptables -N BATCH
iptables -A INPUT -j BATCH
iptables -A BATCH -p tcp -m multiport --dports 29876:29877 -j ACCEPT
iptables -A BATCH -j RETURN
iptables -S BATCH | grep -c -- '--dports 29876:29877 -j ACCEPT'`);
    expect(open['firewall.inbound']?.status).toBe('pass');
    const restricted = outcomes(`${DROP_ONLY_SSH('iptables')}
iptables -A INPUT -s 10.0.0.0/8 -p tcp -m multiport --dports 29876,29877 -j ACCEPT
iptables -S INPUT | grep -c -- '-s 10.0.0.0/8'`);
    expect(restricted['firewall.inbound']?.status).toBe('warn');
    expect(restricted['firewall.inbound']?.message).toContain('source 10.0.0.0/8');
  });

  it('outbound 443 dropped by iptables: outbound fails', () => {
    const o = outcomes("iptables -A OUTPUT -p tcp --dport 443 -j REJECT\niptables -S OUTPUT | grep -c -- '--dport 443 -j REJECT'");
    expect(o['firewall.outbound']?.status).toBe('fail');
    expect(o['firewall.outbound']?.message).toContain('-A OUTPUT -p tcp -m tcp --dport 443 -j REJECT');
  });

  it('native nftables table: drop policy fails, accepting the ports passes', () => {
    const base = `nft add table inet host
nft 'add chain inet host input { type filter hook input priority 0; policy drop; }'
nft add rule inet host input ct state established,related accept
nft add rule inet host input tcp dport 22 accept
nft list chain inet host input | grep -c 'policy drop'
`;
    expect(outcomes(base)['firewall.inbound']?.status).toBe('fail');
    const o = outcomes(`${base}nft add rule inet host input tcp dport '{ 29870-29880 }' accept\nnft list chain inet host input | grep -c 29870-29880`);
    expect(o['firewall.inbound']?.status).toBe('pass');
    expect(o['firewall.inbound']?.message).not.toMatch(/could not/);
  });

  it('ufw enabled with the ports allowed: pass; without: fail', () => {
    const ufw = (extra: string) => `mkdir -p /tmp/ufw && cp -a /etc/ufw/. /tmp/ufw/ && mount --bind /tmp/ufw /etc/ufw
ufw allow 22/tcp >/dev/null
${extra}
ufw --force enable
ufw status | grep -c 'Status: active'`;
    expect(outcomes(ufw(''))['firewall.inbound']?.status).toBe('fail');
    expect(outcomes(ufw('ufw allow 29876:29877/tcp >/dev/null\nufw show added | grep -c 29876:29877/tcp'))['firewall.inbound']?.status).toBe('pass');
  });

  const firewalld = (extra: string) => `mkdir -p /tmp/fwd /run/dbus && cp -a /etc/firewalld/. /tmp/fwd/ && mount --bind /tmp/fwd /etc/firewalld
dbus-daemon --system --fork
(firewalld --nofork --nopid >/tmp/firewalld.log 2>&1 &)
for i in $(seq 1 60); do [ "$(firewall-cmd --state 2>/dev/null)" = running ] && break; sleep 0.5; done
firewall-cmd --state
${extra}`;

  it('firewalld running: without the ports fails, with them passes', () => {
    const closed = outcomes(firewalld(''));
    expect(closed['firewall.inbound']?.status).toBe('fail');
    expect(closed['firewall.inbound']?.message).toContain('firewalld is running');
    const open = outcomes(firewalld('firewall-cmd --add-port=29876-29877/tcp\nfirewall-cmd --list-ports | grep -c 29876-29877/tcp'));
    expect(open['firewall.inbound']?.status).toBe('pass');
  });
});
