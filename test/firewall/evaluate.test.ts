import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES } from '../helpers/host';
import { parseIptablesSave } from '../../src/parsers/iptables-save';
import { parseNftJson } from '../../src/parsers/nft-json';
import { parseFirewalldService, parseFirewalldZone } from '../../src/parsers/firewalld-xml';
import { iptablesRuleSet } from '../../src/firewall/from-iptables';
import { iptablesNftTables, nftRuleSet } from '../../src/firewall/from-nft';
import { ufwRuleSet } from '../../src/firewall/ufw';
import { evaluateZone } from '../../src/firewall/firewalld';
import { combineVerdicts, evaluateRuleSet, matchCond } from '../../src/firewall/evaluate';
import type { Packet, RuleSet, Verdict } from '../../src/firewall/model';

const read = (p: string) => readFileSync(path.join(FIXTURES, 'outputs', p), 'utf8');
const ipt = (p: string) => iptablesRuleSet(parseIptablesSave(read(p)), 'iptables');
const nft = (p: string) => nftRuleSet(parseNftJson(read(p)));
const pkt = (dport: number, direction: Packet['direction'] = 'in'): Packet => ({ proto: 'tcp', dport, direction });
const kind = (rs: RuleSet, dport: number, dir: Packet['direction'] = 'in') => evaluateRuleSet(rs, pkt(dport, dir)).kind;

describe('iptables rule sets', () => {
  it('default DROP with only 22 open: 22 accepted, Batch ports dropped by the policy', () => {
    const rs = ipt('iptables/drop-only-ssh.txt');
    expect(evaluateRuleSet(rs, pkt(22))).toEqual({ kind: 'accepted', by: ['iptables filter/INPUT: -A INPUT -p tcp -m tcp --dport 22 -m conntrack --ctstate NEW -j ACCEPT'] });
    expect(evaluateRuleSet(rs, pkt(29876))).toEqual({ kind: 'dropped', by: ['iptables filter/INPUT: policy DROP'] });
    expect(kind(rs, 443, 'out')).toBe('accepted');
  });

  it("Docker's rules filter forwarding only: inbound and outbound are accepted", () => {
    const rs = ipt('iptables/docker.txt');
    expect(kind(rs, 29876)).toBe('accepted');
    expect(kind(rs, 443, 'out')).toBe('accepted');
  });

  it('follows a user chain with multiport ranges, RETURN and a udp-only rule', () => {
    const rs = ipt('iptables/batch-chain-multiport.txt');
    expect(evaluateRuleSet(rs, pkt(29877)).by[0]).toContain('--dports 8080,29870:29880');
    expect(kind(rs, 29876)).toBe('accepted');
    // 80 returns from AZ-BATCH before the accept, then meets the DROP policy.
    expect(kind(rs, 80)).toBe('dropped');
    expect(kind(rs, 22)).toBe('accepted');
    expect(kind(rs, 443, 'out')).toBe('accepted');
    expect(kind(rs, 80, 'out')).toBe('dropped');
  });

  it('source- and interface-restricted accepts are restricted, naming them', () => {
    const rs = ipt('iptables/source-restricted.txt');
    const v = evaluateRuleSet(rs, pkt(29876));
    expect(v).toMatchObject({ kind: 'restricted', only: ['interface eth1', 'source 168.63.129.16/32'] });
    expect(evaluateRuleSet(rs, pkt(22))).toMatchObject({ kind: 'restricted', only: ['source 10.20.0.0/16'] });
  });

  it('accepts that only match ESTABLISHED/RELATED do not admit new connections', () => {
    const rs = ipt('iptables/established-only.txt');
    expect(kind(rs, 29876)).toBe('dropped');
    expect(kind(rs, 29877)).toBe('dropped');
    expect(kind(rs, 22)).toBe('accepted');
  });

  it('a drop rule with a match it does not understand makes the answer unknown, never accepted', () => {
    const v = evaluateRuleSet(ipt('iptables/opaque-drop.txt'), pkt(29876));
    expect(v.kind).toBe('unknown');
    expect(v.kind === 'unknown' && v.reason).toContain('--timestart');
  });

  it('a jump to a missing chain and a jump loop are unknown', () => {
    const loop = iptablesRuleSet(parseIptablesSave('*filter\n:INPUT DROP [0:0]\n:A - [0:0]\n-A INPUT -j A\n-A A -j A\nCOMMIT\n'), 'x');
    expect(evaluateRuleSet(loop, pkt(1))).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('deeper') });
    const missing = iptablesRuleSet(parseIptablesSave('*filter\n:INPUT DROP [0:0]\n-A INPUT -j nowhere\nCOMMIT\n'), 'x');
    expect(evaluateRuleSet(missing, pkt(1))).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('does not exist') });
  });

  it('an accept for all but a blocked source is restricted', () => {
    const rs = iptablesRuleSet(parseIptablesSave('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 203.0.113.0/24 -p tcp --dport 29876 -j DROP\nCOMMIT\n'), 'x');
    expect(evaluateRuleSet(rs, pkt(29876))).toMatchObject({ kind: 'restricted', only: ['all but source 203.0.113.0/24'] });
  });
});

describe('nftables rule sets', () => {
  it('policy drop with only 22 accepted', () => {
    const rs = nft('nft/drop-only-ssh.json');
    expect(kind(rs, 22)).toBe('accepted');
    expect(evaluateRuleSet(rs, pkt(29876))).toEqual({ kind: 'dropped', by: ['nftables inet host/input: policy DROP'] });
  });

  it('named interval sets, verdict maps on ct state, ipv6-only drops, restricted jumps and output drops', () => {
    const rs = nft('nft/batch-set-vmap.json');
    expect(kind(rs, 29877)).toBe('accepted');
    expect(kind(rs, 22)).toBe('accepted');
    expect(evaluateRuleSet(rs, pkt(9050))).toMatchObject({ kind: 'restricted', only: ['source 192.168.0.0/16'] });
    expect(kind(rs, 80)).toBe('dropped');
    expect(evaluateRuleSet(rs, pkt(443, 'out'))).toEqual({ kind: 'dropped', by: ['nftables inet host/output: tcp dport 443 drop'] });
  });

  it("firewalld's own nft table: open ports, a source-restricted rich rule, and the zone's reject", () => {
    const rs = nft('nft/firewalld-public-batch-ports.json');
    expect(kind(rs, 29876)).toBe('accepted');
    expect(evaluateRuleSet(rs, pkt(443))).toMatchObject({ kind: 'restricted', only: ['source 10.0.0.0/8'] });
    expect(evaluateRuleSet(rs, pkt(8000))).toMatchObject({ kind: 'dropped', by: ['nftables inet firewalld/filter_IN_public: reject'] });
  });
});

describe('ufw saved configuration', () => {
  const rs = ufwRuleSet({ inputPolicy: 'DROP', outputPolicy: 'ACCEPT', userRules: parseIptablesSave(read('ufw/user.rules')) }, 'ufw');
  it('allow and limit rules accept; source-limited allows are restricted; the rest meets the default policy', () => {
    expect(kind(rs, 29876)).toBe('accepted');
    expect(kind(rs, 22)).toBe('accepted');
    expect(evaluateRuleSet(rs, pkt(8443))).toMatchObject({ kind: 'restricted', only: ['source 10.1.0.0/16'] });
    expect(kind(rs, 80)).toBe('dropped');
    expect(kind(rs, 443, 'out')).toBe('accepted');
  });
  it('the default policies of /etc/default/ufw apply in both directions (any case)', () => {
    const none = parseIptablesSave('*filter\n:ufw-user-input - [0:0]\n:ufw-user-output - [0:0]\nCOMMIT\n');
    const open = ufwRuleSet({ inputPolicy: 'ACCEPT', outputPolicy: 'DROP', userRules: none }, 'ufw');
    expect(evaluateRuleSet(open, pkt(29876))).toEqual({ kind: 'accepted', by: ['ufw filter/INPUT: policy ACCEPT'] });
    expect(evaluateRuleSet(open, pkt(443, 'out'))).toEqual({ kind: 'dropped', by: ['ufw filter/OUTPUT: policy DROP'] });
    expect(kind(ufwRuleSet({ inputPolicy: 'accept', outputPolicy: 'accept', userRules: none }, 'ufw'), 29876)).toBe('accepted');
  });
});

describe('firewalld zones', () => {
  const services = new Map([['ssh', parseFirewalldService(read('firewalld/ssh.xml'))], ['dhcpv6-client', []], ['cockpit', null]]);
  it('a stock RHEL public zone opens ssh only', () => {
    const zone = parseFirewalldZone(read('firewalld/public.xml'));
    expect(evaluateZone('public', zone, services, pkt(22))).toEqual({ kind: 'accepted', by: ['firewalld zone public: service ssh'] });
    // cockpit has no definition here: a closed port cannot be proven closed.
    expect(evaluateZone('public', zone, services, pkt(29876)).kind).toBe('unknown');
    const known = new Map([...services, ['cockpit', [{ port: '9090', protocol: 'tcp' }]]]);
    expect(evaluateZone('public', zone, known, pkt(29876)).kind).toBe('dropped');
    // A service that opens whole protocols (ipsec: ah and esp, port "") opens no TCP port.
    const ipsec = parseFirewalldService('<service><port protocol="ah" port=""/><port protocol="esp" port=""/><port protocol="udp" port="500"/></service>');
    const withIpsec = { ...zone, services: [...zone.services, 'ipsec'] };
    expect(evaluateZone('public', withIpsec, new Map([...known, ['ipsec', ipsec]]), pkt(29876)).kind).toBe('dropped');
  });
  it('ports, rich rules with sources, and rejecting rich rules', () => {
    const zone = parseFirewalldZone(read('firewalld/public-batch.xml'));
    expect(evaluateZone('public', zone, services, pkt(29877))).toEqual({ kind: 'accepted', by: ['firewalld zone public: port 29876-29877/tcp'] });
    expect(evaluateZone('public', zone, services, pkt(8080))).toMatchObject({ kind: 'restricted', only: ['source 10.0.0.0/8'] });
    expect(evaluateZone('public', zone, services, pkt(9000)).kind).toBe('dropped');
    expect(evaluateZone('public', zone, services, pkt(443, 'out')).kind).toBe('accepted');
  });

  describe('zone edge cases', () => {
    const z = (body: string, target = '') => parseFirewalldZone(`<zone${target}>${body}</zone>`);
    const ev = (zone: ReturnType<typeof parseFirewalldZone>, dport = 29876) => evaluateZone('public', zone, services, pkt(dport));
    const open = '<port protocol="tcp" port="29876"/>';
    it('a UDP port, or a port firewalld cannot read, opens no TCP port', () => {
      expect(ev(z('<port protocol="udp" port="29876"/>')).kind).toBe('dropped');
      expect(ev(z('<port protocol="tcp" port=""/>')).kind).toBe('dropped');
    });
    it('a dropping or rejecting rich rule wins over an open port; one limited to a source restricts it', () => {
      expect(ev(z(`${open}<rule><port port="29876" protocol="tcp"/><drop/></rule>`))).toEqual({ kind: 'dropped', by: ['firewalld zone public: rule port port="29876" protocol="tcp" drop'] });
      expect(ev(z(`${open}<rule><port port="29876" protocol="tcp"/><reject/></rule>`)).kind).toBe('dropped');
      // Deny rules come first: one limited to a source leaves the port open to the rest only.
      expect(ev(z(`${open}<rule><source address="10.0.0.0/8"/><port port="29876" protocol="tcp"/><drop/></rule>`))).toEqual({
        kind: 'restricted', only: ['all but source 10.0.0.0/8'], by: ['firewalld zone public: rule source address="10.0.0.0/8" port port="29876" protocol="tcp" drop', 'firewalld zone public: port 29876/tcp'],
      });
      // ... and one that drops all but a source leaves it open to that source only (was a pass).
      const allBut = '<rule><source address="10.0.0.0/8" invert="True"/><port port="29876" protocol="tcp"/><reject/></rule>';
      expect(ev(z(`${open}${allBut}`))).toMatchObject({ kind: 'restricted', only: ['all but source not 10.0.0.0/8'] });
      expect(ev(z(allBut, ' target="ACCEPT"'))).toMatchObject({ kind: 'restricted', only: ['all but source not 10.0.0.0/8'] });
      expect(ev(z(`<service name="ssh"/>${allBut.replace('port port="29876" protocol="tcp"', 'service name="ssh"')}`), 22).kind).toBe('restricted');
      expect(ev(z(`<rule><port port="29876" protocol="tcp"/><accept/></rule>${allBut}`)).kind).toBe('restricted');
      // Without the open port, a source-limited drop restricts nothing: the zone's target drops.
      expect(ev(z('<rule><source address="10.0.0.0/8"/><port port="29876" protocol="tcp"/><drop/></rule>')).kind).toBe('dropped');
    });
    it('an accepting rich rule for everyone opens the port, also through a service it names', () => {
      expect(ev(z('<rule><port port="29876" protocol="tcp"/><accept/></rule>'))).toEqual({ kind: 'accepted', by: ['firewalld zone public: rule port port="29876" protocol="tcp" accept'] });
      expect(ev(z('<rule><service name="ssh"/><accept/></rule>'), 22).kind).toBe('accepted');
      expect(ev(z('<rule><service name="ssh"/><drop/></rule><service name="ssh"/>'), 22).kind).toBe('dropped');
    });
    it('a rich rule that names no port, service or protocol applies to every port', () => {
      // rule family="ipv4" source NOT address="10.0.0.0/8" drop: only 10/8 gets in, on any port.
      expect(ev(z(`${open}<rule family="ipv4"><source address="10.0.0.0/8" invert="True"/><drop/></rule>`))).toMatchObject({ kind: 'restricted', only: ['all but source not 10.0.0.0/8'] });
      expect(ev(z('<rule family="ipv4"><source address="10.0.0.0/8"/><accept/></rule>'))).toMatchObject({ kind: 'restricted', only: ['source 10.0.0.0/8'] });
      // An IPv6-only rule does not filter Batch's IPv4 traffic.
      expect(ev(z(`${open}<rule family="ipv6"><drop/></rule><rule family="ipv6"><port port="29876" protocol="tcp"/><reject/></rule>`)).kind).toBe('accepted');
      // A protocol, ICMP or forward-port rule does not filter TCP 29876.
      expect(ev(z(`${open}<rule><protocol value="udp"/><drop/></rule><rule><icmp-block name="echo-request"/></rule>`)).kind).toBe('accepted');
    });
    it('a rich rule that only logs or marks opens nothing', () => {
      expect(ev(z('<rule><port port="29876" protocol="tcp"/><log prefix="batch"/></rule>')).kind).toBe('dropped');
    });
    it('target ACCEPT accepts what no rule drops', () => {
      expect(ev(z('', ' target="ACCEPT"'))).toEqual({ kind: 'accepted', by: ['firewalld zone public: target ACCEPT'] });
      expect(ev(z('<rule><port port="29876" protocol="tcp"/><reject/></rule>', ' target="ACCEPT"')).kind).toBe('dropped');
    });
    it('names the rules and the zone in its evidence', () => {
      expect(ev(z('<rule><source address="10.0.0.0/8"/><port port="29876" protocol="tcp"/><accept/></rule>'))).toEqual({
        kind: 'restricted', only: ['source 10.0.0.0/8'], by: ['firewalld zone public: rule source address="10.0.0.0/8" port port="29876" protocol="tcp" accept'],
      });
      expect(ev(z('<service name="cockpit"/>'))).toEqual({ kind: 'unknown', reason: 'services without a definition: cockpit', by: ['firewalld zone public'] });
      expect(evaluateZone('public', z(''), services, pkt(443, 'out'))).toEqual({ kind: 'accepted', by: ['firewalld zone public: firewalld does not filter outgoing traffic from the host'] });
    });
  });
});

describe('combining firewalls', () => {
  const a: Verdict = { kind: 'accepted', by: ['a'] };
  const d: Verdict = { kind: 'dropped', by: ['d'] };
  const r: Verdict = { kind: 'restricted', only: ['x'], by: ['r'] };
  const u: Verdict = { kind: 'unknown', reason: 'u', by: [] };
  it('every firewall must accept: drop beats unknown beats restricted beats accepted', () => {
    expect(combineVerdicts([a, r, u, d]).kind).toBe('dropped');
    expect(combineVerdicts([a, r, u]).kind).toBe('unknown');
    expect(combineVerdicts([a, r]).kind).toBe('restricted');
    expect(combineVerdicts([a, a]).kind).toBe('accepted');
    expect(combineVerdicts([]).kind).toBe('accepted');
  });
});

// Cases found by mutation testing of the evaluator (docs/mutation.md): each pins a verdict that a
// surviving mutant changed without any other test noticing.
describe('evaluator edge cases', () => {
  const save = (rules: string, policy = 'DROP', chains: string[] = []) =>
    iptablesRuleSet(parseIptablesSave(`*filter\n:INPUT ${policy} [0:0]\n${chains.map((c) => `:${c} - [0:0]\n`).join('')}${rules}\nCOMMIT\n`), 'iptables');

  it('RETURN goes back to the caller: a later ACCEPT in the user chain is never reached', () => {
    const rs = save('-A INPUT -j USER\n-A USER -p tcp -m tcp --dport 22 -j RETURN\n-A USER -p tcp -m tcp --dport 22 -j ACCEPT', 'DROP', ['USER']);
    expect(evaluateRuleSet(rs, pkt(22))).toEqual({ kind: 'dropped', by: ['iptables filter/INPUT: policy DROP'] });
  });

  it('falling off a goto target ends the calling chain too: its later ACCEPT is never reached', () => {
    const rs = save('-A INPUT -g USER\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT', 'DROP', ['USER']);
    expect(kind(rs, 22)).toBe('dropped');
  });

  it('a non-terminal target for part of the traffic (LOG from 10/8) decides nothing', () => {
    expect(evaluateRuleSet(save('-A INPUT -s 10.0.0.0/8 -j LOG', 'ACCEPT'), pkt(22))).toEqual({ kind: 'accepted', by: ['iptables filter/INPUT: policy ACCEPT'] });
  });

  it('an unknown target for part of the traffic makes an accept unknown, never a pass', () => {
    const v = evaluateRuleSet(save('-A INPUT -s 10.0.0.0/8 -j WEIRD', 'ACCEPT'), pkt(22));
    expect(v.kind).toBe('unknown');
  });

  it('only a rule that cannot be evaluated accepts: unknown, neither restricted nor dropped', () => {
    const v = evaluateRuleSet(save('-A INPUT -m u32 --u32 0x0 -p tcp -m tcp --dport 22 -j ACCEPT'), pkt(22));
    expect(v.kind).toBe('unknown');
  });

  it('a drop for part of the traffic inside a chain jumped to under an unknown condition stays unknown', () => {
    const rs = save('-A INPUT -m u32 --u32 0x0 -j USER\n-A USER -s 10.0.0.0/8 -j DROP', 'ACCEPT', ['USER']);
    expect(kind(rs, 22)).toBe('unknown');
  });

  it('conditions inside a chain jumped to for part of the traffic narrow that part, known or unknown', () => {
    const user = (jump: string, rule: string, policy: string) => save(`-A INPUT ${jump} -j USER\n-A USER ${rule}`, policy, ['USER']);
    expect(evaluateRuleSet(user('-s 10.0.0.0/8', '-i eth1 -j ACCEPT', 'DROP'), pkt(22))).toEqual({
      kind: 'restricted', only: ['source 10.0.0.0/8 and interface eth1'], by: ['iptables filter/USER: -A USER -i eth1 -j ACCEPT', 'iptables filter/INPUT: policy DROP'],
    });
    expect(kind(user('-m u32 --u32 0x0', '-s 10.0.0.0/8 -j ACCEPT', 'DROP'), 22)).toBe('unknown');
    expect(kind(user('-s 10.0.0.0/8', '-m u32 --u32 0x0 -j ACCEPT', 'DROP'), 22)).toBe('unknown');
    expect(evaluateRuleSet(user('-s 10.0.0.0/8', '-i eth1 -j DROP', 'ACCEPT'), pkt(22))).toMatchObject({ kind: 'restricted', only: ['all but source 10.0.0.0/8 and interface eth1'] });
  });
});

describe('matchCond', () => {
  it('a protocol list matches TCP when any of its protocols is TCP', () => {
    expect(matchCond({ kind: 'proto', protos: ['udp', 'tcp'], negate: false }, pkt(22))).toEqual({ m: 'yes' });
    expect(matchCond({ kind: 'proto', protos: ['udp'], negate: false }, pkt(22))).toEqual({ m: 'no' });
    expect(matchCond({ kind: 'always' }, pkt(22))).toEqual({ m: 'yes' });
  });
});

// Cases found by mutation testing of the nft converter (docs/mutation/firewall-nft.md). The rule
// shapes are what `nft -j list ruleset` (1.0.6) prints for the nft text quoted in each title.
describe('nftables conversion edge cases', () => {
  type Item = Record<string, unknown>;
  const table = (family: string, name: string): Item => ({ table: { family, name, handle: 1 } });
  const chain = (family: string, tbl: string, name: string, base?: { hook: string; policy: string; type?: string }): Item => ({
    chain: { family, table: tbl, name, handle: 1, ...(base ? { type: base.type ?? 'filter', hook: base.hook, prio: 0, policy: base.policy } : {}) },
  });
  const rule = (family: string, tbl: string, chainName: string, expr: unknown[]): Item => ({ rule: { family, table: tbl, chain: chainName, handle: 9, expr } });
  const set = (family: string, tbl: string, name: string, elem: unknown[]): Item => ({ set: { family, table: tbl, name, type: 'inet_service', handle: 2, elem } });
  const ruleset = (items: Item[], skip?: (f: string, t: string) => boolean) => nftRuleSet(parseNftJson(JSON.stringify({ nftables: items })), skip);
  /** `table inet t { chain input { type filter hook input priority 0; policy <policy>; <rules> } }` plus extra items. */
  const input = (rules: unknown[][], policy = 'drop', extra: Item[] = []) =>
    ruleset([table('inet', 't'), ...extra, chain('inet', 't', 'input', { hook: 'input', policy }), ...rules.map((r) => rule('inet', 't', 'input', r))]);
  const m = (op: string, left: unknown, right: unknown) => ({ match: { op, left, right } });
  const payload = (protocol: string, field: string) => ({ payload: { protocol, field } });
  const meta = (key: string) => ({ meta: { key } });
  const ct = (key: string) => ({ ct: { key } });
  const dport = (op: string, right: unknown) => m(op, payload('tcp', 'dport'), right);
  const ACCEPT = { accept: null };
  const DROP = { drop: null };
  const kinds = (rs: RuleSet, ports: number[]) => ports.map((p) => kind(rs, p));

  it('tcp dport < <= > >= 100 accept exactly the ports on their side of 100', () => {
    expect(kinds(input([[dport('<', 100), ACCEPT]]), [0, 99, 100])).toEqual(['accepted', 'accepted', 'dropped']);
    expect(kinds(input([[dport('<=', 100), ACCEPT]]), [0, 100, 101])).toEqual(['accepted', 'accepted', 'dropped']);
    expect(kinds(input([[dport('>', 100), ACCEPT]]), [100, 101, 65535])).toEqual(['dropped', 'accepted', 'accepted']);
    expect(kinds(input([[dport('>=', 100), ACCEPT]]), [99, 100, 65535])).toEqual(['dropped', 'accepted', 'accepted']);
  });

  it('tcp dport != 22 drop: drops every port but 22', () => {
    expect(kinds(input([[dport('!=', 22), DROP]], 'accept'), [22, 80])).toEqual(['accepted', 'dropped']);
  });

  it('a port that is not a number (a compared or listed name) is not understood: unknown, never dropped or accepted', () => {
    expect(kind(input([[dport('<', 'ssh'), ACCEPT]]), 22)).toBe('unknown');
    expect(kind(input([[dport('==', 'ssh'), ACCEPT]]), 22)).toBe('unknown');
    expect(kind(input([[dport('==', { set: [{ range: [8000, 'x'] }] }), ACCEPT]]), 8000)).toBe('unknown');
    expect(kind(input([[dport('==', { set: [{ range: [8000] }] }), ACCEPT]]), 8000)).toBe('unknown');
  });

  it('a port written as a decimal string counts as that number', () => {
    expect(kinds(input([[dport('<', '100'), ACCEPT]]), [99, 100])).toEqual(['accepted', 'dropped']);
    expect(kinds(input([[dport('==', { set: ['22', { range: ['8000', '8010'] }] }), ACCEPT]]), [22, 8005, 8011])).toEqual(['accepted', 'accepted', 'dropped']);
  });

  it('tcp dport @ports reads the set of that name in the same family and table only', () => {
    const extra = [
      table('ip', 't'),
      set('ip', 't', 'ports', [22]),
      table('inet', 'u'),
      set('inet', 'u', 'ports', [22]),
      set('inet', 't', 'decoy', [22]),
      set('inet', 't', 'ports', [{ range: [8000, 8010] }, { elem: { val: 9000, comment: 'batch' } }]),
    ];
    const rs = input([[dport('==', '@ports'), ACCEPT]], 'drop', extra);
    expect(kinds(rs, [22, 7999, 8000, 8010, 8011, 9000])).toEqual(['dropped', 'dropped', 'accepted', 'accepted', 'dropped', 'accepted']);
    expect(kind(input([[dport('==', '@missing'), ACCEPT]]), 22)).toBe('unknown');
  });

  it('tcp dport { 22 comment "ssh", 8000-8010 } accept: a commented element is still a port (was unknown)', () => {
    const right = { set: [{ elem: { val: 22, comment: 'ssh' } }, { range: [8000, 8010] }] };
    expect(kinds(input([[dport('==', right), ACCEPT]]), [22, 8000, 23])).toEqual(['accepted', 'accepted', 'dropped']);
    const addr = { set: [{ elem: { val: { prefix: { addr: '127.0.0.0', len: 8 } }, comment: 'lo' } }] };
    expect(kind(input([[m('==', payload('ip', 'saddr'), addr), ACCEPT]]), 22)).toBe('dropped');
  });

  it('ct state new,established accept (a list, not a set) admits new connections; established,related does not', () => {
    expect(kind(input([[m('in', ct('state'), ['established', 'new']), ACCEPT]]), 22)).toBe('accepted');
    expect(kind(input([[m('in', ct('state'), ['established', 'related']), ACCEPT]]), 22)).toBe('dropped');
  });

  it('ct status dnat/snat never matches a connection to the host; other ct keys are not understood', () => {
    expect(kind(input([[m('in', ct('status'), 'dnat'), ACCEPT]]), 22)).toBe('dropped');
    expect(kind(input([[m('in', ct('status'), 'snat'), ACCEPT]]), 22)).toBe('dropped');
    expect(kind(input([[m('in', ct('status'), { set: ['dnat', 'confirmed'] }), ACCEPT]]), 22)).toBe('unknown');
    expect(kind(input([[m('in', ct('status'), 'confirmed'), ACCEPT]]), 22)).toBe('unknown');
    expect(kind(input([[m('==', ct('mark'), 1), ACCEPT]]), 22)).toBe('unknown');
    expect(kind(input([[m('in', ct('state'), '@missing'), ACCEPT]]), 22)).toBe('unknown');
  });

  it('ip saddr/daddr: loopback-only sources never match, others restrict, named by direction', () => {
    expect(kind(input([[m('==', payload('ip', 'saddr'), '127.0.0.1'), ACCEPT]]), 22)).toBe('dropped');
    expect(kind(input([[m('==', payload('ip', 'saddr'), { prefix: { addr: '127.0.0.0', len: 8 } }), ACCEPT]]), 22)).toBe('dropped');
    expect(evaluateRuleSet(input([[m('==', payload('ip', 'saddr'), { set: ['127.0.0.1', '10.0.0.1'] }), ACCEPT]]), pkt(22))).toMatchObject({ kind: 'restricted' });
    expect(evaluateRuleSet(input([[m('==', payload('ip', 'saddr'), '@missing'), ACCEPT]]), pkt(22))).toMatchObject({ kind: 'restricted', only: ['source set @missing'] });
    const empty: Item = { set: { family: 'inet', table: 't', name: 'none', type: 'ipv4_addr', handle: 2 } };
    expect(kind(input([[m('==', payload('ip', 'saddr'), '@none'), ACCEPT]], 'drop', [empty]), 22)).toBe('dropped');
    expect(evaluateRuleSet(input([[m('==', payload('ip', 'daddr'), { prefix: { addr: '10.0.0.0', len: 8 } }), ACCEPT]]), pkt(22))).toMatchObject({
      kind: 'restricted',
      only: ['destination 10.0.0.0/8'],
    });
  });

  it('th dport 200 accept admits TCP 200; tcp/th sport only restricts; tcp flags and ether saddr are not understood', () => {
    expect(kinds(input([[m('==', payload('th', 'dport'), 200), ACCEPT]]), [200, 201])).toEqual(['accepted', 'dropped']);
    expect(evaluateRuleSet(input([[m('==', payload('tcp', 'sport'), 300), ACCEPT]]), pkt(300))).toMatchObject({ kind: 'restricted', only: ['source port 300'] });
    expect(evaluateRuleSet(input([[m('==', payload('th', 'sport'), 300), ACCEPT]]), pkt(22))).toMatchObject({ kind: 'restricted', only: ['source port 300'] });
    expect(kind(input([[m('==', payload('tcp', 'flags'), 'syn'), ACCEPT]]), 22)).toBe('unknown');
    expect(kind(input([[m('==', payload('ether', 'saddr'), '00:11:22:33:44:55'), ACCEPT]]), 22)).toBe('unknown');
  });

  it('ip protocol and meta l4proto: tcp accepts, udp does not', () => {
    expect(kind(input([[m('==', payload('ip', 'protocol'), 'tcp'), ACCEPT]]), 22)).toBe('accepted');
    expect(kind(input([[m('==', payload('ip', 'protocol'), 'udp'), ACCEPT]]), 22)).toBe('dropped');
    expect(kind(input([[m('==', meta('l4proto'), 'udp'), ACCEPT]]), 22)).toBe('dropped');
    expect(kind(input([[m('==', payload('ip', 'ttl'), 64), ACCEPT]]), 22)).toBe('unknown');
  });

  it('meta nfproto / meta protocol: ipv4 or ip matches, ipv6 does not, a set matches when any member does', () => {
    expect(kind(input([[m('==', meta('nfproto'), 'ipv4'), ACCEPT]]), 22)).toBe('accepted');
    expect(kind(input([[m('==', meta('nfproto'), 'ipv6'), ACCEPT]]), 22)).toBe('dropped');
    expect(kind(input([[m('==', meta('nfproto'), { set: ['ipv4', 'ipv6'] }), ACCEPT]]), 22)).toBe('accepted');
    expect(kind(input([[m('==', meta('protocol'), 'ip'), ACCEPT]]), 22)).toBe('accepted');
    expect(kind(input([[m('==', meta('nfproto'), '@missing'), ACCEPT]]), 22)).toBe('dropped');
  });

  it('iifname "lo" never matches outside traffic; other interfaces and unknown sets restrict', () => {
    expect(kind(input([[m('==', meta('iifname'), 'lo'), ACCEPT]]), 22)).toBe('dropped');
    expect(evaluateRuleSet(input([[m('==', meta('iifname'), 'eth0'), ACCEPT]]), pkt(22))).toMatchObject({ kind: 'restricted', only: ['interface eth0'] });
    expect(kind(input([[m('==', meta('iifname'), { set: ['lo', 'eth0'] }), ACCEPT]]), 22)).toBe('restricted');
    expect(kind(input([[m('==', meta('iifname'), '@missing'), ACCEPT]]), 22)).toBe('restricted');
    expect(evaluateRuleSet(input([[m('==', meta('oifname'), 'eth0'), ACCEPT]]), pkt(22))).toMatchObject({ kind: 'restricted', only: ['output interface eth0'] });
  });

  it('meta skuid/skgid restrict to an owner (never read as a protocol number)', () => {
    expect(evaluateRuleSet(input([[m('==', meta('skuid'), 0), ACCEPT]]), pkt(22))).toMatchObject({ kind: 'restricted', only: ['owner skuid 0'] });
    expect(evaluateRuleSet(input([[m('==', meta('skgid'), 0), ACCEPT]]), pkt(22))).toMatchObject({ kind: 'restricted', only: ['owner skgid 0'] });
  });

  it('meta pkttype host/unicast matches a connection to the host, broadcast does not', () => {
    expect(kind(input([[m('==', meta('pkttype'), 'host'), ACCEPT]]), 22)).toBe('accepted');
    expect(kind(input([[m('==', meta('pkttype'), 'unicast'), ACCEPT]]), 22)).toBe('accepted');
    expect(kind(input([[m('==', meta('pkttype'), 'broadcast'), ACCEPT]]), 22)).toBe('dropped');
    expect(kind(input([[m('!=', meta('pkttype'), 'host'), ACCEPT]]), 22)).toBe('dropped');
    expect(kind(input([[m('==', meta('pkttype'), '@missing'), ACCEPT]]), 22)).toBe('dropped');
    expect(kind(input([[m('==', meta('mark'), 1), ACCEPT]]), 22)).toBe('unknown');
    expect(kind(input([[m('==', meta('pkttype'), { set: ['broadcast', 'host'] }), ACCEPT]]), 22)).toBe('accepted');
  });

  it('limit rate accepts the first connection, limit rate over does not; other statements are unknown', () => {
    expect(kind(input([[{ limit: { rate: 10, burst: 5, per: 'second' } }, ACCEPT]]), 22)).toBe('accepted');
    expect(kind(input([[{ limit: { rate: 10, burst: 5, per: 'second', inv: true } }, ACCEPT]]), 22)).toBe('dropped');
    expect(kind(input([[{ fwd: { dev: 'eth1' } }]], 'accept'), 22)).toBe('unknown');
    expect(kind(input([[42, ACCEPT]]), 22)).toBe('unknown');
  });

  it('iptables-nft xt targets and matches are not understood', () => {
    expect(kind(input([[{ xt: { type: 'target', name: 'LOG' } }]], 'accept'), 22)).toBe('unknown');
    expect(kind(input([[{ xt: { type: 'match', name: 'conntrack' } }, ACCEPT]]), 22)).toBe('unknown');
  });

  it('return leaves a user chain; continue goes on; queue is unknown', () => {
    const sub = [chain('inet', 't', 'sub'), rule('inet', 't', 'sub', [dport('==', 22), { return: null }]), rule('inet', 't', 'sub', [ACCEPT])];
    expect(kinds(input([[{ jump: { target: 'sub' } }]], 'drop', sub), [22, 80])).toEqual(['dropped', 'accepted']);
    expect(kinds(input([[dport('==', 22), { continue: null }], [ACCEPT]]), [22, 80])).toEqual(['accepted', 'accepted']);
    expect(kind(input([[{ queue: { num: 1 } }]], 'accept'), 22)).toBe('unknown');
  });

  it('tcp dport vmap { 22 : accept, 23 : drop } and a named verdict map', () => {
    const vmap = (data: unknown) => [{ vmap: { key: payload('tcp', 'dport'), data } }];
    expect(kinds(input([vmap({ set: [[22, ACCEPT], [23, DROP]] })], 'drop'), [22, 23, 24])).toEqual(['accepted', 'dropped', 'dropped']);
    const named: Item = { map: { family: 'inet', table: 't', name: 'vm', type: 'inet_service', handle: 3, map: 'verdict', elem: [[22, ACCEPT]] } };
    expect(kinds(input([vmap('@vm')], 'drop', [named]), [22, 23])).toEqual(['accepted', 'dropped']);
    expect(kind(input([vmap('@missing')], 'accept'), 22)).toBe('unknown');
  });

  it('only IPv4 families count, and a chain holds only the rules of its own family and table', () => {
    const items = [
      table('inet', 't'),
      chain('inet', 't', 'input', { hook: 'input', policy: 'drop' }),
      rule('inet', 't', 'input', [dport('==', 22), ACCEPT]),
      table('ip', 't'),
      chain('ip', 't', 'input', { hook: 'input', policy: 'accept' }),
      rule('ip', 't', 'input', [dport('==', 8000), ACCEPT]),
      table('inet', 'u'),
      chain('inet', 'u', 'input', { hook: 'input', policy: 'accept' }),
      rule('inet', 'u', 'input', [dport('==', 8001), ACCEPT]),
      table('ip6', 'v6'),
      chain('ip6', 'v6', 'input', { hook: 'input', policy: 'drop' }),
    ];
    expect(kinds(ruleset(items), [22, 8000, 8001])).toEqual(['accepted', 'dropped', 'dropped']);
    expect(kinds(ruleset(items, (_f, t) => t === 't'), [22, 8000])).toEqual(['accepted', 'accepted']);
  });

  it('a NAT chain does not decide: its drop rule is ignored', () => {
    const rs = ruleset([table('ip', 'nat'), chain('ip', 'nat', 'prerouting', { hook: 'prerouting', policy: 'accept', type: 'nat' }), rule('ip', 'nat', 'prerouting', [dport('==', 22), DROP])]);
    expect(kind(rs, 22)).toBe('accepted');
  });

  it('iptablesNftTables names the ip/ip6 tables with iptables names only', () => {
    const rs = parseNftJson(JSON.stringify({ nftables: [table('ip', 'filter'), table('ip6', 'nat'), table('inet', 'filter'), table('ip', 'mine'), table('ip', 'raw')] }));
    expect([...iptablesNftTables(rs)].sort()).toEqual(['ip filter', 'ip raw', 'ip6 nat']);
  });
});
