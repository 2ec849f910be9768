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

/** Conditions and action of one rule's arguments (everything after `-A CHAIN`). */
export function convertArgs(args: readonly string[], table: string, userChains: ReadonlySet<string> = new Set()): { conds: Cond[]; action: Action } {
  const conds: Cond[] = [];
  let action: Action = { kind: 'continue' };
  for (let i = 0; i < args.length; i++) {
    let negate = false;
    if (args[i] === '!') {
      negate = true;
      i++;
    }
    const opt = args[i]!;
    const val = args[i + 1] ?? '';
    const take = (): string => {
      i++;
      return val;
    };
    switch (opt) {
      case '-p':
      case '--protocol':
        conds.push({ kind: 'proto', protos: [take()], negate });
        break;
      case '-s':
      case '--source':
        conds.push(peer(`source ${take()}`, impossibleAddress(val), negate));
        break;
      case '-d':
      case '--destination':
        conds.push(peer(`destination ${take()}`, impossibleAddress(val), negate));
        break;
      case '-i':
      case '--in-interface':
        conds.push(peer(`interface ${take()}`, val === 'lo', negate));
        break;
      case '-o':
      case '--out-interface':
        conds.push(peer(`output interface ${take()}`, val === 'lo', negate));
        break;
      case '-m':
      case '--match':
        take();
        break;
      case '--dport':
      case '--destination-port':
      case '--dports':
      case '--destination-ports':
      case '--ports':
        conds.push(ports(take(), negate, opt));
        break;
      case '--sport':
      case '--source-port':
      case '--sports':
      case '--source-ports':
        conds.push(peer(`source port ${take()}`, false, negate));
        break;
      case '--state':
      case '--ctstate':
        conds.push({ kind: 'ctstate', states: take().toLowerCase().split(','), negate });
        break;
      case '--syn':
        conds.push({ kind: negate ? 'never' : 'always' });
        break;
      case '--comment':
      case '--limit':
      case '--limit-burst':
      case '--name':
      case '--seconds':
      case '--hitcount':
      case '--mask':
      case '--hashlimit-name':
      case '--hashlimit-mode':
      case '--hashlimit-burst':
      case '--hashlimit-htable-expire':
      case '--connlimit-mask':
        take();
        break;
      // Rate limits and recent-lists: a first new connection is under every limit and on no list.
      case '--set':
      case '--remove':
      case '--rsource':
      case '--rdest':
      case '--rttl':
      case '--reap':
      case '--connlimit-saddr':
      case '--connlimit-daddr':
      case '--invert':
        break;
      case '--hashlimit-upto':
      case '--connlimit-upto':
        take();
        break;
      case '--update':
      case '--rcheck':
        conds.push({ kind: 'never' });
        break;
      case '--hashlimit-above':
      case '--connlimit-above':
        take();
        conds.push({ kind: 'never' });
        break;
      case '--dst-type':
      case '--src-type': {
        const types = take().split(',');
        const unicast = types.some((t) => t === 'LOCAL' || t === 'UNICAST');
        conds.push({ kind: unicast !== negate ? 'always' : 'never' });
        break;
      }
      case '--pkt-type':
        conds.push({ kind: (take() === 'unicast') !== negate ? 'always' : 'never' });
        break;
      case '--icmp-type':
      case '--icmpv6-type':
        take();
        conds.push({ kind: 'never' });
        break;
      case '-f':
      case '--fragment':
        conds.push({ kind: negate ? 'always' : 'never' });
        break;
      case '--match-set': {
        const name = take();
        const flags = args[i + 1] ?? '';
        i++;
        conds.push(peer(`ipset ${name} (${flags})`, false, negate));
        break;
      }
      case '--src-range':
      case '--dst-range':
      case '--mac-source':
      case '--uid-owner':
      case '--gid-owner':
        conds.push(peer(`${opt.replace(/^--/, '')} ${take()}`, false, negate));
        break;
      case '-j':
      case '--jump':
      case '-g':
      case '--goto': {
        const target = take();
        action = targetAction(target, opt === '-g' || opt === '--goto', table, userChains);
        // Everything after the target is its own options (--reject-with, --log-prefix...).
        return { conds, action };
      }
      default:
        conds.push({ kind: 'opaque', label: `${negate ? '! ' : ''}${opt}${val && !val.startsWith('-') ? ` ${val}` : ''}` });
        if (val && !val.startsWith('-') && val !== '!') i++;
    }
  }
  return { conds, action };
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
