// Decides what a rule set does with one packet: walks every base chain on the packet's hooks,
// following jumps, gotos and returns, and falls back to the chain policy. A packet must be
// accepted by every base chain (as netfilter does: an accept ends one chain, a drop ends all).
import { HOOKS_FOR, type Action, type Cond, type Packet, type Rule, type RuleSet, type Verdict } from './model';

type Match = { m: 'yes' } | { m: 'no' } | { m: 'some'; label: string } | { m: 'unknown'; label: string };

const YES: Match = { m: 'yes' };
const NO: Match = { m: 'no' };
const MAX_DEPTH = 64;

function bool(b: boolean): Match {
  return b ? YES : NO;
}

export function matchCond(c: Cond, p: Packet): Match {
  switch (c.kind) {
    case 'proto':
      return bool(c.protos.some((x) => ['tcp', '6', 'all', '0'].includes(x.toLowerCase())) !== c.negate);
    case 'dport':
      return bool(c.ranges.some(([lo, hi]) => p.dport >= lo && p.dport <= hi) !== c.negate);
    case 'ctstate':
      return bool(c.states.includes('new') !== c.negate);
    case 'peer':
      if (c.impossible) return bool(c.negate);
      return { m: 'some', label: c.negate ? `not ${c.label}` : c.label };
    case 'always':
      return YES;
    case 'never':
      return NO;
    case 'opaque':
      return { m: 'unknown', label: c.label };
  }
}

/** All conditions of a rule together: any 'no' wins, then 'unknown', then 'some'. */
export function matchRule(rule: Rule, p: Packet): Match {
  const some: string[] = [];
  let unknown: string | undefined;
  for (const c of rule.conds) {
    const r = matchCond(c, p);
    if (r.m === 'no') return NO;
    if (r.m === 'unknown') unknown ??= r.label;
    if (r.m === 'some') some.push(r.label);
  }
  if (unknown !== undefined) return { m: 'unknown', label: unknown };
  return some.length > 0 ? { m: 'some', label: some.join(' and ') } : YES;
}

/** A verdict that holds only for part of the traffic: which part, why we know, and whether it was understood. */
interface Partial {
  label: string;
  by: string;
  unknown: boolean;
}

interface Walk {
  /** What happens to the traffic no conditional rule took: fell off the end, or a decision. */
  end: 'accept' | 'drop' | 'fallthrough' | 'unknown';
  by: string;
  reason?: string;
  accepts: Partial[];
  drops: Partial[];
}

class Walker {
  constructor(
    private readonly rs: RuleSet,
    private readonly p: Packet,
  ) {}

  private describe(key: string, rule: Rule): string {
    return `${this.rs.source} ${key}: ${rule.text}`;
  }

  walk(key: string, depth: number): Walk {
    const accepts: Partial[] = [];
    const drops: Partial[] = [];
    const chain = this.rs.chains.get(key);
    if (!chain) return { end: 'unknown', by: key, reason: `chain ${key} is jumped to but does not exist`, accepts, drops };
    if (depth > MAX_DEPTH) return { end: 'unknown', by: key, reason: `jumps nest deeper than ${MAX_DEPTH} chains (a loop?)`, accepts, drops };
    for (const rule of chain.rules) {
      const m = matchRule(rule, this.p);
      if (m.m === 'no') continue;
      const by = this.describe(key, rule);
      if (m.m === 'yes') {
        const decided = this.apply(rule.action, by, depth, accepts, drops);
        if (decided) return decided;
        continue;
      }
      // The rule holds for part of the traffic only: record what it does to that part and go on.
      const partial = m.m === 'unknown';
      const label = m.label;
      const subAccepts: Partial[] = [];
      const subDrops: Partial[] = [];
      const outcome = this.apply(rule.action, by, depth, subAccepts, subDrops);
      if (outcome?.end === 'accept') accepts.push({ label, by: outcome.by, unknown: partial });
      else if (outcome?.end === 'drop') drops.push({ label, by: outcome.by, unknown: partial });
      else if (outcome?.end === 'unknown') drops.push({ label, by: outcome.by, unknown: true });
      // Conditions met inside a conditional jump hold for part of that part: keep them, qualified.
      for (const a of subAccepts) accepts.push({ label: `${label} and ${a.label}`, by: a.by, unknown: partial || a.unknown });
      for (const d of subDrops) drops.push({ label: `${label} and ${d.label}`, by: d.by, unknown: partial || d.unknown });
    }
    return { end: 'fallthrough', by: `end of ${key}`, accepts, drops };
  }

  /** What an action does to traffic that reached it; null when the walk goes on in this chain. */
  private apply(action: Action, by: string, depth: number, accepts: Partial[], drops: Partial[]): Walk | null {
    switch (action.kind) {
      case 'accept':
        return { end: 'accept', by, accepts, drops };
      case 'drop':
        return { end: 'drop', by, accepts, drops };
      case 'return':
        return { end: 'fallthrough', by, accepts, drops };
      case 'continue':
        return null;
      case 'unknown':
        return { end: 'unknown', by, reason: `target ${action.label} is not understood`, accepts, drops };
      case 'jump':
      case 'goto': {
        const sub = this.walk(action.chain, depth + 1);
        accepts.push(...sub.accepts);
        drops.push(...sub.drops);
        if (sub.end !== 'fallthrough') return { ...sub, accepts, drops };
        // A goto does not come back: falling off its target ends the calling chain too.
        return action.kind === 'goto' ? { end: 'fallthrough', by: sub.by, accepts, drops } : null;
      }
    }
  }
}

const labels = (ps: Partial[]) => [...new Set(ps.map((x) => x.label))];
const rules = (ps: Partial[]) => [...new Set(ps.map((x) => x.by))];

/** Verdict of one base chain for the packet. */
export function evaluateChain(rs: RuleSet, key: string, p: Packet): Verdict {
  const w = new Walker(rs, p).walk(key, 0);
  const chain = rs.chains.get(key);
  let end = w.end;
  let by = w.by;
  if (end === 'fallthrough') {
    end = chain?.policy === 'drop' ? 'drop' : 'accept';
    by = `${rs.source} ${key}: policy ${(chain?.policy ?? 'accept').toUpperCase()}`;
  }
  if (end === 'unknown') return { kind: 'unknown', reason: w.reason ?? 'could not follow the rules', by: [by] };
  if (end === 'accept') {
    const unknownDrops = w.drops.filter((d) => d.unknown);
    if (unknownDrops.length > 0) {
      return { kind: 'unknown', reason: `a rule that may drop it could not be evaluated (${labels(unknownDrops).join('; ')})`, by: [...rules(unknownDrops), by] };
    }
    if (w.drops.length > 0) return { kind: 'restricted', only: labels(w.drops).map((l) => `all but ${l}`), by: [...rules(w.drops), by] };
    return { kind: 'accepted', by: [by] };
  }
  const known = w.accepts.filter((a) => !a.unknown);
  if (known.length > 0) return { kind: 'restricted', only: labels(known), by: [...rules(known), by] };
  if (w.accepts.length > 0) {
    return { kind: 'unknown', reason: `only a rule that could not be evaluated may accept it (${labels(w.accepts).join('; ')})`, by: [...rules(w.accepts), by] };
  }
  return { kind: 'dropped', by: [by] };
}

/**
 * Verdicts taken together (every one must accept): a drop anywhere wins, then an unknown, then a
 * restriction; no verdicts at all means nothing filters the packet.
 */
export function combineVerdicts(vs: readonly Verdict[], none = 'no firewall rule applies'): Verdict {
  const dropped = vs.find((v) => v.kind === 'dropped');
  if (dropped) return dropped;
  const unknown = vs.find((v) => v.kind === 'unknown');
  if (unknown) return unknown;
  const restricted = vs.filter((v) => v.kind === 'restricted');
  if (restricted.length > 0) {
    return { kind: 'restricted', only: restricted.flatMap((v) => v.only), by: restricted.flatMap((v) => v.by) };
  }
  if (vs.length === 0) return { kind: 'accepted', by: [none] };
  // The rules that accepted it explicitly say more than the policies of chains it merely passed.
  const by = vs.flatMap((v) => v.by);
  const explicit = by.filter((b) => !/: policy ACCEPT$/.test(b));
  return { kind: 'accepted', by: explicit.length > 0 ? explicit : by };
}

/** Verdict of a whole rule set: every base chain on the packet's hooks, in priority order. */
export function evaluateRuleSet(rs: RuleSet, p: Packet): Verdict {
  const hooks = HOOKS_FOR[p.direction];
  const bases = rs.base.filter((b) => hooks.includes(b.hook)).sort((a, b) => hooks.indexOf(a.hook) - hooks.indexOf(b.hook) || a.priority - b.priority);
  return combineVerdicts(
    bases.map((b) => evaluateChain(rs, b.key, p)),
    `${rs.source}: no base chain on the ${hooks.join('/')} hooks`,
  );
}
