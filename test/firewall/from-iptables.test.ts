// Verdicts that depend on how iptables-save arguments are read (src/firewall/from-iptables.ts).
// Each case was found by mutation testing (docs/mutation/firewall-iptables.md): a surviving mutant
// changed its verdict without any other test noticing.
import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../../src/parsers/iptables-save';
import { impossibleAddress, iptablesRuleSet, parsePortSpec } from '../../src/firewall/from-iptables';
import { evaluateRuleSet } from '../../src/firewall/evaluate';
import type { Packet } from '../../src/firewall/model';

const pkt = (dport: number, direction: Packet['direction'] = 'in'): Packet => ({ proto: 'tcp', dport, direction });
/** A filter table whose INPUT chain holds `rules` (each `-A INPUT` written out by the caller). */
const save = (rules: string, policy = 'DROP', chains: string[] = []) =>
  iptablesRuleSet(parseIptablesSave(`*filter\n:INPUT ${policy} [0:0]\n${chains.map((c) => `:${c} - [0:0]\n`).join('')}${rules}\nCOMMIT\n`), 'iptables');
const verdict = (rules: string, policy = 'DROP', dport = 29876) => evaluateRuleSet(save(rules, policy), pkt(dport));

describe('addresses that never carry the connection asked about', () => {
  it('loopback, multicast and broadcast are impossible peers; look-alikes are not', () => {
    for (const a of ['127.0.0.1', '127.0.0.0/8', '::1', '::1/128', '224.0.0.251', '230.1.2.3', '239.255.255.250/32', '255.255.255.255/32']) {
      expect(impossibleAddress(a), a).toBe(true);
    }
    for (const a of ['10.127.0.1', 'fe80::1', '::10', '10.224.0.1', '10.0.0.0/8']) expect(impossibleAddress(a), a).toBe(false);
  });

  it('a DROP from loopback or multicast leaves the port accepted; a DROP from a real network restricts it', () => {
    expect(verdict('-A INPUT -s 127.0.0.0/8 -j DROP', 'ACCEPT').kind).toBe('accepted');
    expect(verdict('-A INPUT -d 224.0.0.0/4 -j DROP', 'ACCEPT').kind).toBe('accepted');
    expect(verdict('-A INPUT -s 10.127.0.0/16 -j DROP', 'ACCEPT')).toMatchObject({ kind: 'restricted', only: ['all but source 10.127.0.0/16'] });
  });
});

describe('port specs', () => {
  it('single ports, open-ended and dash ranges; anything else is not a port', () => {
    expect(parsePortSpec('22')).toEqual([22, 22]);
    expect(parsePortSpec('65535')).toEqual([65535, 65535]);
    expect(parsePortSpec('1024:')).toEqual([1024, 65535]);
    expect(parsePortSpec(':1024')).toEqual([0, 1024]);
    expect(parsePortSpec('1000-2000')).toEqual([1000, 2000]);
    for (const s of ['2000:1000', '70000', '1:70000', 'ssh', 'a1:2', '1:2x']) expect(parsePortSpec(s), s).toBeNull();
  });

  it('an open-ended range accepts the ports above its start', () => {
    expect(verdict('-A INPUT -p tcp -m tcp --dport 29000: -j ACCEPT').kind).toBe('accepted');
  });

  it('a service name (iptables-restore resolves it) is not understood: unknown, never a crash or a pass', () => {
    const v = verdict('-A INPUT -p tcp -m tcp --dport ssh -j ACCEPT', 'DROP', 22);
    expect(v).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('--dport ssh') });
    expect(verdict('-A INPUT -p tcp -m multiport --dports 29876,https -j ACCEPT').kind).toBe('unknown');
  });
});

describe('match options', () => {
  it('an accept to one destination address is restricted to it', () => {
    expect(verdict('-A INPUT -d 10.0.0.4/32 -p tcp -m tcp --dport 29876 -j ACCEPT')).toMatchObject({ kind: 'restricted', only: ['destination 10.0.0.4/32'] });
  });

  it('an outbound DROP on eth0 restricts; one on lo does not apply', () => {
    const out = (rule: string) =>
      evaluateRuleSet(iptablesRuleSet(parseIptablesSave(`*filter\n:OUTPUT ACCEPT [0:0]\n${rule}\nCOMMIT\n`), 'iptables'), pkt(443, 'out'));
    expect(out('-A OUTPUT -o eth0 -p tcp -m tcp --dport 443 -j DROP')).toMatchObject({ kind: 'restricted', only: ['all but output interface eth0'] });
    expect(out('-A OUTPUT -o lo -p tcp -m tcp --dport 443 -j DROP').kind).toBe('accepted');
  });

  it('an accept for some source ports is restricted', () => {
    expect(verdict('-A INPUT -p tcp -m tcp --sport 1024:65535 --dport 29876 -j ACCEPT')).toMatchObject({ kind: 'restricted', only: ['source port 1024:65535'] });
  });

  it('--syn holds for a new connection, ! --syn does not', () => {
    expect(verdict('-A INPUT -p tcp -m tcp --syn --dport 29876 -j ACCEPT').kind).toBe('accepted');
    expect(verdict('-A INPUT -p tcp -m tcp ! --syn -j ACCEPT').kind).toBe('dropped');
  });

  it('addrtype: LOCAL and UNICAST destinations hold, BROADCAST does not, negation flips it', () => {
    expect(verdict('-A INPUT -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 29876 -j ACCEPT').kind).toBe('accepted');
    expect(verdict('-A INPUT -m addrtype --dst-type UNICAST -p tcp -m tcp --dport 29876 -j ACCEPT').kind).toBe('accepted');
    expect(verdict('-A INPUT -m addrtype --dst-type LOCAL,MULTICAST -p tcp -m tcp --dport 29876 -j ACCEPT').kind).toBe('accepted');
    expect(verdict('-A INPUT -m addrtype --dst-type BROADCAST -j DROP', 'ACCEPT').kind).toBe('accepted');
    expect(verdict('-A INPUT -m addrtype ! --dst-type LOCAL -j DROP', 'ACCEPT').kind).toBe('accepted');
  });

  it('pkttype: unicast holds, broadcast does not, negation flips it', () => {
    expect(verdict('-A INPUT -m pkttype --pkt-type unicast -p tcp -m tcp --dport 29876 -j ACCEPT').kind).toBe('accepted');
    expect(verdict('-A INPUT -m pkttype --pkt-type broadcast -j DROP', 'ACCEPT').kind).toBe('accepted');
    expect(verdict('-A INPUT -m pkttype ! --pkt-type unicast -j DROP', 'ACCEPT').kind).toBe('accepted');
  });

  it('a new connection is not a fragment', () => {
    expect(verdict('-A INPUT -f -j DROP', 'ACCEPT').kind).toBe('accepted');
    expect(verdict('-A INPUT ! -f -p tcp -m tcp --dport 29876 -j ACCEPT').kind).toBe('accepted');
  });

  it('ipset and address-range accepts are restricted, naming the set and the range', () => {
    expect(verdict('-A INPUT -m set --match-set trusted src -p tcp -m tcp --dport 29876 -j ACCEPT')).toMatchObject({ kind: 'restricted', only: ['ipset trusted (src)'] });
    expect(verdict('-A INPUT -m iprange --src-range 10.0.0.1-10.0.0.9 -j ACCEPT')).toMatchObject({ kind: 'restricted', only: ['src-range 10.0.0.1-10.0.0.9'] });
  });

  it('! negates the option after it', () => {
    expect(verdict('-A INPUT -p tcp -m tcp ! --dport 22 -j DROP', 'ACCEPT', 22).kind).toBe('accepted');
    expect(verdict('-A INPUT -p tcp -m tcp ! --dport 22 -j DROP', 'ACCEPT', 29876).kind).toBe('dropped');
  });

  it('an unknown option without a value does not swallow the target: the accept stays unknown', () => {
    const v = verdict('-A INPUT -m physdev --physdev-is-bridged -j ACCEPT');
    expect(v).toMatchObject({ kind: 'unknown', reason: 'only a rule that could not be evaluated may accept it (--physdev-is-bridged)' });
  });

  it('an unknown option with a value names both; a ! after an unknown option negates the next one', () => {
    expect(verdict('-A INPUT -m time --timestart 09:00 -j DROP', 'ACCEPT')).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('(--timestart 09:00)') });
    expect(verdict('-A INPUT -m physdev --physdev-is-in ! -p tcp -j DROP', 'ACCEPT').kind).toBe('accepted');
  });
});

describe('targets', () => {
  it('--goto, like -g, does not come back: the later ACCEPT is never reached', () => {
    const rs = save('-A INPUT --goto USER\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT', 'DROP', ['USER']);
    expect(evaluateRuleSet(rs, pkt(22)).kind).toBe('dropped');
  });

  it('REJECT drops', () => {
    expect(verdict('-A INPUT -p tcp -m tcp --dport 29876 -j REJECT --reject-with tcp-reset', 'ACCEPT')).toEqual({
      kind: 'dropped',
      by: ['iptables filter/INPUT: -A INPUT -p tcp -m tcp --dport 29876 -j REJECT --reject-with tcp-reset'],
    });
  });
});
