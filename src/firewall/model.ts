// One rule-set model for every host firewall (iptables, nftables, ufw files), so that a single
// evaluator decides what happens to a packet. Backends translate their own syntax into it.

/** The packet asked about: a new TCP connection to `dport`, from or to an unspecified peer (IPv4). */
export interface Packet {
  proto: 'tcp';
  dport: number;
  direction: 'in' | 'out';
}

export type PortRange = readonly [number, number];

/** One condition of a rule, as far as the evaluator needs to understand it. */
export type Cond =
  /** Layer-4 protocol by name or number ('tcp', '6', 'all'); negate for `! -p`. */
  | { kind: 'proto'; protos: readonly string[]; negate: boolean }
  | { kind: 'dport'; ranges: readonly PortRange[]; negate: boolean }
  /** Connection-tracking states (lower case); a new connection is in state 'new'. */
  | { kind: 'ctstate'; states: readonly string[]; negate: boolean }
  /**
   * A match on who the peer is (source/destination address, interface, source port, ipset):
   * true for some packets only. `impossible`: never the traffic asked about (loopback, multicast, broadcast).
   */
  | { kind: 'peer'; label: string; impossible: boolean; negate: boolean }
  /** Holds for the packet asked about (e.g. `--syn`, comments, a rate limit not yet reached). */
  | { kind: 'always' }
  /** Never holds for the packet asked about (e.g. IPv6-only matches, UDP-only matches). */
  | { kind: 'never' }
  /** A match the evaluator cannot decide. */
  | { kind: 'opaque'; label: string };

export type Action =
  | { kind: 'accept' }
  | { kind: 'drop' }
  | { kind: 'return' }
  /** A target that does not decide (LOG, counters, MARK...): the next rule follows. */
  | { kind: 'continue' }
  | { kind: 'jump'; chain: string }
  | { kind: 'goto'; chain: string }
  | { kind: 'unknown'; label: string };

export interface Rule {
  conds: readonly Cond[];
  action: Action;
  /** The rule as the tool prints it, for evidence. */
  text: string;
}

export interface Chain {
  /** Unique key within the rule set, e.g. 'filter/INPUT' or 'inet filter/input'. */
  key: string;
  rules: readonly Rule[];
  /** Base chains only: what happens to packets that fall off the end. */
  policy?: 'accept' | 'drop';
}

export type Hook = 'prerouting' | 'input' | 'output' | 'postrouting';

export interface BaseChain {
  key: string;
  hook: Hook;
  priority: number;
}

export interface RuleSet {
  /** Where it came from: 'iptables (nf_tables)', 'nftables', 'ufw (/etc/ufw)'... */
  source: string;
  chains: ReadonlyMap<string, Chain>;
  base: readonly BaseChain[];
}

/** What a firewall (or all of them together) does with the packet. */
export type Verdict =
  | { kind: 'accepted'; by: string[] }
  | { kind: 'dropped'; by: string[] }
  /** Accepted only for some peers (`only`, in words), or for all but some. */
  | { kind: 'restricted'; only: string[]; by: string[] }
  | { kind: 'unknown'; reason: string; by: string[] };

export const HOOKS_FOR: Record<Packet['direction'], readonly Hook[]> = {
  in: ['prerouting', 'input'],
  out: ['output', 'postrouting'],
};

/** One firewall that applies to the host. */
export type FirewallSource =
  | { state: 'active'; name: string; detail: string; evaluate: (p: Packet) => Verdict }
  /** It applies, but what it does could not be read: its verdicts are unknown. */
  | { state: 'error'; name: string; reason: string };
