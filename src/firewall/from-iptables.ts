// iptables rules (from iptables-save, saved rule files or ufw's user.rules) in the common model.
import type { IptablesSave, IptTable } from '../parsers/iptables-save';
import type { Action, BaseChain, Chain, Cond, Hook, PortRange, Rule, RuleSet } from './model';

/** Tables that can drop packets, with the hook priorities netfilter gives them. */
const TABLE_PRIORITY: Record<string, number> = { raw: -300, mangle: -150, filter: 0, security: 50 };
const BUILTIN_HOOK: Record<string, Hook> = { PREROUTING: 'prerouting', INPUT: 'input', OUTPUT: 'output', POSTROUTING: 'postrouting' };

/** Targets that never decide a packet's fate; the next rule follows. */
const NON_TERMINAL = new Set([
  'LOG', 'NFLOG', 'ULOG', 'MARK', 'CONNMARK', 'CT', 'TRACE', 'NOTRACK', 'AUDIT', 'CLASSIFY', 'TCPMSS', 'DSCP', 'TOS', 'TTL',
  'HL', 'SET', 'CHECKSUM', 'CONNSECMARK', 'SECMARK', 'IDLETIMER', 'LED', 'RATEEST', 'TEE',
]);

/** Loopback, multicast and broadcast addresses never carry the connection asked about. */
export function impossibleAddress(addr: string): boolean {
  return /^127\./.test(addr) || /^::1(\/128)?$/.test(addr) || /^2(2[4-9]|3\d)\./.test(addr) || addr.startsWith('255.255.255.255');
}

/** `22`, `1000:2000`, `:1024`, `1024:` (iptables) or `1000-2000` (ufw/nft text); null when not numeric. */
export function parsePortSpec(spec: string): PortRange | null {
  const m = /^(\d*)[:-](\d*)$/.exec(spec);
  const num = (s: string, dflt: number) => (s === '' ? dflt : Number(s));
  const [lo, hi] = m ? [num(m[1]!, 0), num(m[2]!, 65535)] : /^\d+$/.test(spec) ? [Number(spec), Number(spec)] : [NaN, NaN];
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo > hi || hi > 65535) return null;
  return [lo, hi];
}

function ports(spec: string, negate: boolean, label: string): Cond {
  const ranges = spec.split(',').map(parsePortSpec);
  if (ranges.some((r) => r === null)) return { kind: 'opaque', label: `${label} ${spec}` };
  return { kind: 'dport', ranges: ranges as PortRange[], negate };
}

const peer = (label: string, impossible: boolean, negate: boolean): Cond => ({ kind: 'peer', label, impossible, negate });

/**
 * What a match option means for the packet asked about (a new TCP connection from an unknown peer):
 * how many values follow it, and the conditions it adds.
 */
interface MatchOption {
  values: 0 | 1 | 2;
  conds: (values: readonly string[], negate: boolean, option: string) => Cond[];
}

const MATCH_OPTIONS = new Map<string, MatchOption>();
function define(names: readonly string[], option: MatchOption): void {
  for (const n of names) MATCH_OPTIONS.set(n, option);
}
const none = (): Cond[] => [];
const never = (): Cond[] => [{ kind: 'never' }];

define(['-p', '--protocol'], { values: 1, conds: ([p], negate) => [{ kind: 'proto', protos: [p!], negate }] });
define(['-s', '--source'], { values: 1, conds: ([a], negate) => [peer(`source ${a}`, impossibleAddress(a!), negate)] });
define(['-d', '--destination'], { values: 1, conds: ([a], negate) => [peer(`destination ${a}`, impossibleAddress(a!), negate)] });
define(['-i', '--in-interface'], { values: 1, conds: ([n], negate) => [peer(`interface ${n}`, n === 'lo', negate)] });
define(['-o', '--out-interface'], { values: 1, conds: ([n], negate) => [peer(`output interface ${n}`, n === 'lo', negate)] });
// The match module's name; its options follow as options of their own.
define(['-m', '--match'], { values: 1, conds: none });
define(['--dport', '--destination-port', '--dports', '--destination-ports', '--ports'], { values: 1, conds: ([spec], negate, opt) => [ports(spec!, negate, opt)] });
define(['--sport', '--source-port', '--sports', '--source-ports'], { values: 1, conds: ([spec], negate) => [peer(`source port ${spec}`, false, negate)] });
define(['--state', '--ctstate'], { values: 1, conds: ([states], negate) => [{ kind: 'ctstate', states: states!.toLowerCase().split(','), negate }] });
define(['--syn'], { values: 0, conds: (_, negate) => [{ kind: negate ? 'never' : 'always' }] });
define(
  ['--comment', '--limit', '--limit-burst', '--name', '--seconds', '--hitcount', '--mask', '--hashlimit-name', '--hashlimit-mode', '--hashlimit-burst', '--hashlimit-htable-expire', '--connlimit-mask'],
  { values: 1, conds: none },
);
// Rate limits and recent-lists: a first new connection is under every limit and on no list.
define(['--set', '--remove', '--rsource', '--rdest', '--rttl', '--reap', '--connlimit-saddr', '--connlimit-daddr', '--invert'], { values: 0, conds: none });
define(['--hashlimit-upto', '--connlimit-upto'], { values: 1, conds: none });
define(['--update', '--rcheck'], { values: 0, conds: never });
define(['--hashlimit-above', '--connlimit-above'], { values: 1, conds: never });
define(['--dst-type', '--src-type'], {
  values: 1,
  conds: ([types], negate) => {
    const unicast = types!.split(',').some((t) => t === 'LOCAL' || t === 'UNICAST');
    return [{ kind: unicast !== negate ? 'always' : 'never' }];
  },
});
define(['--pkt-type'], { values: 1, conds: ([type], negate) => [{ kind: (type === 'unicast') !== negate ? 'always' : 'never' }] });
define(['--icmp-type', '--icmpv6-type'], { values: 1, conds: never });
define(['-f', '--fragment'], { values: 0, conds: (_, negate) => [{ kind: negate ? 'always' : 'never' }] });
define(['--match-set'], { values: 2, conds: ([name, flags], negate) => [peer(`ipset ${name} (${flags})`, false, negate)] });
define(['--src-range', '--dst-range', '--mac-source', '--uid-owner', '--gid-owner'], {
  values: 1,
  conds: ([v], negate, opt) => [peer(`${opt.replace(/^--/, '')} ${v}`, false, negate)],
});

const TARGET_OPTIONS = new Set(['-j', '--jump', '-g', '--goto']);

/** Conditions and action of one rule's arguments (everything after `-A CHAIN`). */
export function convertArgs(args: readonly string[], table: string, userChains: ReadonlySet<string> = new Set()): { conds: Cond[]; action: Action } {
  const conds: Cond[] = [];
  for (let i = 0; i < args.length; i++) {
    const negate = args[i] === '!';
    if (negate) i++;
    const opt = args[i]!;
    const val = args[i + 1] ?? '';
    if (TARGET_OPTIONS.has(opt)) {
      // Everything after the target is its own options (--reject-with, --log-prefix...).
      return { conds, action: targetAction(val, opt === '-g' || opt === '--goto', table, userChains) };
    }
    const known = MATCH_OPTIONS.get(opt);
    if (known) {
      const values = Array.from({ length: known.values }, (_, k) => args[i + 1 + k] ?? '');
      conds.push(...known.conds(values, negate, opt));
      i += known.values;
    } else {
      conds.push({ kind: 'opaque', label: `${negate ? '! ' : ''}${opt}${val && !val.startsWith('-') ? ` ${val}` : ''}` });
      if (val && !val.startsWith('-') && val !== '!') i++;
    }
  }
  return { conds, action: { kind: 'continue' } };
}

function targetAction(target: string, isGoto: boolean, table: string, userChains: ReadonlySet<string>): Action {
  // A declared user chain wins over a built-in target of the same name (Docker's chain is `DOCKER`).
  if (userChains.has(target)) return { kind: isGoto ? 'goto' : 'jump', chain: `${table}/${target}` };
  if (target === 'ACCEPT') return { kind: 'accept' };
  if (target === 'DROP' || target === 'REJECT') return { kind: 'drop' };
  if (target === 'RETURN') return { kind: 'return' };
  if (NON_TERMINAL.has(target)) return { kind: 'continue' };
  if (/^[A-Z]+$/.test(target)) return { kind: 'unknown', label: target };
  return { kind: isGoto ? 'goto' : 'jump', chain: `${table}/${target}` };
}

function convertTable(t: IptTable, chains: Map<string, Chain>, base: BaseChain[]): void {
  const userChains = new Set([...t.chains.values()].filter((c) => c.policy === null).map((c) => c.name));
  for (const c of t.chains.values()) {
    const key = `${t.name}/${c.name}`;
    const rules: Rule[] = c.rules.map((r) => ({ ...convertArgs(r.args, t.name, userChains), text: r.text }));
    const policy = c.policy === null ? undefined : c.policy === 'ACCEPT' ? 'accept' : 'drop';
    chains.set(key, { key, rules, policy });
    const hook = BUILTIN_HOOK[c.name];
    if (c.policy !== null && hook) base.push({ key, hook, priority: TABLE_PRIORITY[t.name]! });
  }
}

export function iptablesRuleSet(save: IptablesSave, source: string): RuleSet {
  const chains = new Map<string, Chain>();
  const base: BaseChain[] = [];
  for (const t of save.tables) if (t.name in TABLE_PRIORITY) convertTable(t, chains, base);
  return { source, chains, base };
}
