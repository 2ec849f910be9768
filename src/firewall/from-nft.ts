// nftables rules (from `nft -j list ruleset`) in the common model. Only what decides an IPv4 TCP
// packet is understood; anything else becomes an opaque condition or an unknown action, never a guess.
import type { NftRule, NftRuleset } from '../parsers/nft-json';
import { impossibleAddress } from './from-iptables';
import type { Action, BaseChain, Chain, Cond, Hook, PortRange, Rule, RuleSet } from './model';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Families whose chains see IPv4 packets. */
const IPV4_FAMILIES = new Set(['ip', 'inet']);
const HOOKS = new Set<Hook>(['prerouting', 'input', 'output', 'postrouting']);
/** Statements that never decide a packet's fate. */
const NON_TERMINAL = new Set(['counter', 'log', 'mangle', 'set', 'notrack', 'dup', 'ct helper', 'ct timeout', 'ct expectation', 'synproxy']);
const NEVER_PROTOCOLS = new Set(['udp', 'udplite', 'sctp', 'dccp', 'icmp', 'icmpv6', 'ip6', 'esp', 'ah', 'comp', 'arp', 'igmp']);

/** A member of an expression's body, or undefined when the body is not an object (nft never writes that, garbage may). */
const member = (v: unknown, key: string): unknown => (isObj(v) ? v[key] : undefined);

/** A set element's value: nft writes `{"elem": {"val": ..., "comment": ...}}` for one with a comment or timeout. */
const elemValue = (e: unknown): unknown => (isObj(e) && isObj(e.elem) ? e.elem.val : e);

/** nft's own text for an expression, close enough for evidence. Total: any JSON value renders. */
export function renderExpr(e: unknown): string {
  if (e === null || e === undefined) return '';
  if (typeof e !== 'object') return String(e);
  if (Array.isArray(e)) return e.map(renderExpr).join(',');
  const [k, v] = Object.entries(e as Obj)[0] ?? ['', null];
  const at = (key: string) => String(member(v, key));
  switch (k) {
    case 'match': {
      const op = member(v, 'op');
      const shown = op === '==' || op === 'in' ? '' : ` ${String(op)}`;
      return `${renderExpr(member(v, 'left'))}${shown} ${renderExpr(member(v, 'right'))}`;
    }
    case 'payload':
      return `${at('protocol')} ${at('field')}`;
    case 'meta':
      return `meta ${at('key')}`;
    case 'ct':
      return `ct ${at('key')}`;
    case 'set':
      return `{ ${renderExpr(v)} }`;
    case 'range':
      return Array.isArray(v) ? v.map(renderExpr).join('-') : `range ${renderExpr(v)}`;
    case 'prefix':
      return `${at('addr')}/${at('len')}`;
    case 'jump':
    case 'goto':
      return `${k} ${at('target')}`;
    case 'accept':
    case 'drop':
    case 'return':
    case 'continue':
    case 'reject':
      return k;
    case 'vmap':
      return `${renderExpr(member(v, 'key'))} vmap ${renderExpr(member(v, 'data'))}`;
    case 'xt':
      return `xt ${at('type')} ${at('name')}`;
    default:
      return k;
  }
}

class Converter {
  constructor(
    private readonly rs: NftRuleset,
    private readonly family: string,
    private readonly table: string,
  ) {}

  /** Elements of a literal or a named set (`@name`). Null when they cannot be listed. */
  private elements(right: unknown): unknown[] | null {
    if (typeof right === 'string' && right.startsWith('@')) {
      const set = this.rs.sets.find((s) => s.family === this.family && s.table === this.table && s.name === right.slice(1));
      return set ? set.elem.map(elemValue) : null;
    }
    // Anonymous sets wrap an element with a comment or timeout too: `{ 22 comment "ssh" }`.
    if (isObj(right) && Array.isArray(right.set)) return right.set.map(elemValue);
    if (Array.isArray(right)) return right;
    return [right];
  }

  private portRanges(right: unknown, op: string): PortRange[] | null {
    const num = (x: unknown) => (typeof x === 'number' ? x : typeof x === 'string' && /^\d+$/.test(x) ? Number(x) : NaN);
    if (['<', '>', '<=', '>='].includes(op)) {
      const n = num(right);
      if (Number.isNaN(n)) return null;
      return [op === '<' ? [0, n - 1] : op === '<=' ? [0, n] : op === '>' ? [n + 1, 65535] : [n, 65535]];
    }
    const els = this.elements(right);
    if (!els) return null;
    const out: PortRange[] = [];
    for (const e of els) {
      if (isObj(e) && Array.isArray(e.range)) {
        const [lo, hi] = e.range.map(num);
        if (lo === undefined || hi === undefined || Number.isNaN(lo) || Number.isNaN(hi)) return null;
        out.push([lo, hi]);
      } else {
        const n = num(e);
        if (Number.isNaN(n)) return null;
        out.push([n, n]);
      }
    }
    return out;
  }

  private address(right: unknown): { label: string; impossible: boolean } {
    const els = this.elements(right);
    const text = typeof right === 'string' && right.startsWith('@') ? `set ${right}` : renderExpr(right);
    const all = els?.map((e) => (isObj(e) && isObj(e.prefix) ? String(e.prefix.addr) : String(e)));
    // An empty set matches nothing, like a set of loopback addresses.
    return { label: text, impossible: all !== undefined && all.every(impossibleAddress) };
  }

  /** Conditions of one `match` expression. */
  match(m: Obj): Cond[] {
    const op = String(m.op ?? '==');
    const negate = op === '!=';
    const left = m.left;
    const right = m.right;
    const opaque: Cond[] = [{ kind: 'opaque', label: renderExpr({ match: m }) }];
    if (!isObj(left)) return opaque;
    if (isObj(left.payload)) {
      const { protocol, field } = left.payload as Obj;
      if (NEVER_PROTOCOLS.has(String(protocol))) return [{ kind: 'never' }];
      if ((protocol === 'tcp' || protocol === 'th') && field === 'dport') {
        const ranges = this.portRanges(right, op);
        const tcp: Cond[] = protocol === 'tcp' ? [{ kind: 'proto', protos: ['tcp'], negate: false }] : [];
        return ranges ? [...tcp, { kind: 'dport', ranges, negate }] : opaque;
      }
      if ((protocol === 'tcp' || protocol === 'th') && field === 'sport') {
        return [{ kind: 'peer', label: `source port ${renderExpr(right)}`, impossible: false, negate }];
      }
      if (protocol === 'ip' && (field === 'saddr' || field === 'daddr')) {
        const a = this.address(right);
        return [{ kind: 'peer', label: `${field === 'saddr' ? 'source' : 'destination'} ${a.label}`, impossible: a.impossible, negate }];
      }
      if (protocol === 'ip' && field === 'protocol') return this.protocols(right, negate) ?? opaque;
      return opaque;
    }
    if (isObj(left.meta)) {
      const key = String((left.meta as Obj).key);
      if (key === 'l4proto') return this.protocols(right, negate) ?? opaque;
      if (key === 'nfproto' || key === 'protocol') {
        const els = this.elements(right)?.map(String) ?? [];
        return [{ kind: els.some((x) => x === 'ipv4' || x === 'ip') !== negate ? 'always' : 'never' }];
      }
      if (['iifname', 'iif', 'oifname', 'oif'].includes(key)) {
        const els = this.elements(right)?.map(String) ?? [];
        const out = key.startsWith('o') ? 'output interface' : 'interface';
        return [{ kind: 'peer', label: `${out} ${renderExpr(right)}`, impossible: els.length > 0 && els.every((x) => x === 'lo'), negate }];
      }
      if (key === 'skuid' || key === 'skgid') return [{ kind: 'peer', label: `owner ${key} ${renderExpr(right)}`, impossible: false, negate }];
      if (key === 'pkttype') {
        const els = this.elements(right)?.map(String) ?? [];
        return [{ kind: els.some((x) => x === 'host' || x === 'unicast') !== negate ? 'always' : 'never' }];
      }
      return opaque;
    }
    if (isObj(left.ct)) {
      const key = String((left.ct as Obj).key);
      const els = this.elements(right)?.map((x) => String(x).toLowerCase());
      if (key === 'state' && els) return [{ kind: 'ctstate', states: els, negate }];
      // The connection asked about goes to the host itself: it is neither DNAT-ed nor SNAT-ed.
      if (key === 'status' && els && els.every((x) => x === 'dnat' || x === 'snat')) return [{ kind: negate ? 'always' : 'never' }];
      return opaque;
    }
    return opaque;
  }

  private protocols(right: unknown, negate: boolean): Cond[] | null {
    const els = this.elements(right);
    return els ? [{ kind: 'proto', protos: els.map(String), negate }] : null;
  }

  /** One nft rule as one or more model rules (a verdict map becomes one rule per element). */
  rule(r: NftRule): Rule[] {
    const text = r.expr.map(renderExpr).filter(Boolean).join(' ');
    const conds: Cond[] = [];
    for (const e of r.expr) {
      if (!isObj(e)) return [{ conds, action: { kind: 'unknown', label: renderExpr(e) }, text }];
      const [k, v] = Object.entries(e)[0] ?? ['', null];
      const verdict = this.verdict(k, v);
      if (verdict) return [{ conds, action: verdict, text }];
      if (k === 'match' && isObj(v)) conds.push(...this.match(v));
      else if (k === 'vmap' && isObj(v)) return this.vmap(v, conds, text);
      else if (k === 'xt' && isObj(v)) {
        if (v.type === 'target') return [{ conds, action: { kind: 'unknown', label: `iptables-nft target ${String(v.name)}` }, text }];
        conds.push({ kind: 'opaque', label: `iptables-nft match ${String(v.name)}` });
      } else if (k === 'limit' && isObj(v)) {
        // A rate limit matches the first connection; `over` limits do not.
        conds.push({ kind: v.inv === true ? 'never' : 'always' });
      } else if (!NON_TERMINAL.has(k)) {
        return [{ conds, action: { kind: 'unknown', label: k }, text }];
      }
    }
    return [{ conds, action: { kind: 'continue' }, text }];
  }

  private verdict(k: string, v: unknown): Action | null {
    switch (k) {
      case 'accept':
        return { kind: 'accept' };
      case 'drop':
      case 'reject':
        return { kind: 'drop' };
      case 'return':
        return { kind: 'return' };
      case 'continue':
        return { kind: 'continue' };
      case 'jump':
      case 'goto':
        return isObj(v) && typeof v.target === 'string' ? { kind: k, chain: this.key(v.target) } : { kind: 'unknown', label: k };
      case 'queue':
        return { kind: 'unknown', label: 'queue' };
      default:
        return null;
    }
  }

  private vmap(v: Obj, conds: Cond[], text: string): Rule[] {
    const unknown = (label: string): Rule[] => [{ conds, action: { kind: 'unknown', label }, text }];
    const data = v.data;
    const pairs = typeof data === 'string' && data.startsWith('@') ? this.elements(data) : isObj(data) && Array.isArray(data.set) ? data.set : null;
    if (!pairs) return unknown('verdict map');
    const rules: Rule[] = [];
    for (const pair of pairs) {
      if (!Array.isArray(pair) || pair.length !== 2 || !isObj(pair[1])) return unknown('verdict map element');
      const [vk, vv] = Object.entries(pair[1])[0] ?? ['', null];
      const action = this.verdict(vk, vv);
      if (!action) return unknown(`verdict map element ${renderExpr(pair[1])}`);
      rules.push({ conds: [...conds, ...this.match({ op: '==', left: v.key, right: pair[0] })], action, text: `${text} (element ${renderExpr(pair[0])})` });
    }
    return rules;
  }

  key(chain: string): string {
    return `${this.family} ${this.table}/${chain}`;
  }
}

/**
 * The IPv4 part of an nftables rule set. `skipTable` leaves out tables read another way
 * (those iptables-nft manages, when iptables-nft-save already gave them).
 */
export function nftRuleSet(rs: NftRuleset, skipTable: (family: string, table: string) => boolean = () => false): RuleSet {
  const chains = new Map<string, Chain>();
  const base: BaseChain[] = [];
  const keep = (family: string, table: string) => IPV4_FAMILIES.has(family) && !skipTable(family, table);
  for (const c of rs.chains) {
    if (!keep(c.family, c.table)) continue;
    const conv = new Converter(rs, c.family, c.table);
    const key = conv.key(c.name);
    const rules = rs.rules.filter((r) => r.family === c.family && r.table === c.table && r.chain === c.name).flatMap((r) => conv.rule(r));
    const policy = c.hook ? (c.policy === 'drop' ? 'drop' : 'accept') : undefined;
    chains.set(key, { key, rules, policy });
    // NAT chains cannot drop; only filter and route chains decide.
    if (c.hook && HOOKS.has(c.hook as Hook) && c.type !== 'nat') base.push({ key, hook: c.hook as Hook, priority: c.prio ?? 0 });
  }
  return { source: 'nftables', chains, base };
}

/** Tables that iptables-nft created (its rules use xt expressions or its table names). */
export function iptablesNftTables(rs: NftRuleset): Set<string> {
  const names = new Set(['filter', 'mangle', 'raw', 'security', 'nat']);
  const out = new Set<string>();
  for (const t of rs.tables) if ((t.family === 'ip' || t.family === 'ip6') && names.has(t.name)) out.add(`${t.family} ${t.name}`);
  return out;
}
