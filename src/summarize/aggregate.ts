// The fleet summary: folds node digests one at a time (memory grows with nodes and distinct
// messages, never with report size), then sorts everything into a deterministic result.
import { STATUSES, type Status } from '../types';
import type { NodeDigest } from './digest';
import { CategoryCollector, type CategoryGroup } from './categories';

export type StatusCounts = Record<Status, number>;

export interface CheckSummary {
  id: string;
  title: string;
  counts: StatusCounts;
  /** Nodes where this check said fail / error, sorted. */
  failed: string[];
  errored: string[];
}

export interface FailureMessage {
  check: string;
  status: 'fail' | 'error';
  message: string;
  count: number;
}

export interface ReportProblem {
  node: string;
  source: string;
  reason: string;
}

export interface FleetSummary {
  reports: number;
  /** Nodes whose report is complete and shows no fail/error and summary.ok true. */
  readyNodes: number;
  /** Nodes with a fail or error, or summary.ok false, sorted. */
  failedNodes: string[];
  checks: CheckSummary[];
  /** Failing nodes grouped by who must act (a node may be in several groups), largest first. */
  categories: CategoryGroup[];
  /** Most common fail/error messages, most frequent first. */
  failureMessages: FailureMessage[];
  /** How many distinct fail/error messages there were (failureMessages may hold fewer). */
  distinctFailureMessages: number;
  /** Reports that were unreadable or incomplete: no verdict can be trusted for these nodes. */
  problems: ReportProblem[];
  /**
   * Reports whose file root does not own: the agent writes its start-task report as root, so any
   * task user could have written (forged) these. Not counted against the fleet: listed, sorted.
   */
  notWrittenByRoot: { node: string; source: string; owner: number }[];
  /** Node names that more than one report claimed, with how many and the one counted (the newest). */
  duplicateNodes: { node: string; reports: number; counted: string }[];
  /** True when every report was whole and no node failed. */
  ok: boolean;
}

export const TOP_MESSAGES = 20;

/** Node names in natural order (tvm-2 before tvm-10); everything else by code point, as everywhere. */
const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const zero = (): StatusCounts => Object.fromEntries(STATUSES.map((s) => [s, 0])) as StatusCounts;

/** Whether `a` is the newer report of a node: the later start, else (no start, or the same) the later file name. */
/**
 * Whether `a` rather than `b` is the node's report that counts: one root wrote beats one it did not
 * (any task user could have forged that, with a later date), then the newer.
 */
function newer(a: NodeDigest, b: NodeDigest): boolean {
  const ra = a.owner === 0;
  if (ra !== (b.owner === 0)) return ra;
  const ta = a.startedAtMs ?? -Infinity;
  const tb = b.startedAtMs ?? -Infinity;
  return ta !== tb ? ta > tb : a.source > b.source;
}

/**
 * Reports are folded one node at a time; a node that wrote several (reruns at reboot, a copy in
 * two directories) is counted once, by its newest report, so one node cannot weigh as two.
 */
export class FleetAggregator {
  private readonly newest = new Map<string, NodeDigest>();
  private readonly countedSource = new Map<string, string>();
  private reports = 0;
  private ready = 0;
  private readonly failedNodes: string[] = [];
  private readonly checks = new Map<string, CheckSummary>();
  /** Key: check, status and message joined by NULs (none of them contain one in practice). */
  private readonly messages = new Map<string, FailureMessage>();
  private readonly problems: ReportProblem[] = [];
  private readonly seen = new Map<string, number>();
  private readonly categories = new CategoryCollector();
  private readonly notByRoot: { node: string; source: string; owner: number }[] = [];

  add(d: NodeDigest): void {
    this.seen.set(d.node, (this.seen.get(d.node) ?? 0) + 1);
    // Every one is listed, also those not counted: a forgery beside root's report is still news.
    if (d.owner !== undefined && d.owner !== 0) this.notByRoot.push({ node: d.node, source: d.source, owner: d.owner });
    const kept = this.newest.get(d.node);
    if (!kept || newer(d, kept)) this.newest.set(d.node, d);
  }

  private fold(d: NodeDigest): void {
    this.reports++;
    this.countedSource.set(d.node, d.source);
    for (const reason of d.problems) this.problems.push({ node: d.node, source: d.source, reason });
    let failed = d.ok === false;
    for (const c of d.checks) {
      let cs = this.checks.get(c.id);
      if (!cs) this.checks.set(c.id, (cs = { id: c.id, title: c.title ?? c.id, counts: zero(), failed: [], errored: [] }));
      if (cs.title === cs.id && c.title) cs.title = c.title;
      cs.counts[c.status]++;
      if (c.status === 'fail' || c.status === 'error') {
        failed = true;
        (c.status === 'fail' ? cs.failed : cs.errored).push(d.node);
        const message = c.message ?? '(no message)';
        const key = `${c.id}\0${c.status}\0${message}`;
        const m = this.messages.get(key);
        if (m) m.count++;
        else this.messages.set(key, { check: c.id, status: c.status, message, count: 1 });
      }
    }
    this.categories.add(d.node, d.checks.filter((c) => c.status === 'fail' || c.status === 'error'));
    if (failed) this.failedNodes.push(d.node);
    else if (d.problems.length === 0) this.ready++;
  }

  result(topMessages = TOP_MESSAGES): FleetSummary {
    for (const d of this.newest.values()) this.fold(d);
    this.newest.clear();
    const checks = [...this.checks.values()]
      .sort((a, b) => byCode(a.id, b.id))
      .map((c) => ({ ...c, failed: [...c.failed].sort(byName), errored: [...c.errored].sort(byName) }));
    const messages = [...this.messages.values()].sort(
      (a, b) => b.count - a.count || byCode(a.check, b.check) || byCode(a.status, b.status) || byCode(a.message, b.message),
    );
    const problems = [...this.problems].sort((a, b) => byName(a.source, b.source) || byCode(a.reason, b.reason));
    const duplicateNodes = [...this.seen]
      .filter(([, n]) => n > 1)
      .map(([node, reports]) => ({ node, reports, counted: this.countedSource.get(node)! }))
      .sort((a, b) => byName(a.node, b.node));
    return {
      reports: this.reports,
      readyNodes: this.ready,
      failedNodes: [...this.failedNodes].sort(byName),
      checks,
      categories: this.categories.result(this.reports),
      failureMessages: messages.slice(0, topMessages),
      distinctFailureMessages: messages.length,
      problems,
      notWrittenByRoot: [...this.notByRoot].sort((a, b) => byName(a.source, b.source)),
      duplicateNodes,
      ok: this.failedNodes.length === 0 && problems.length === 0,
    };
  }
}

/** Convenience for callers that already hold every digest (tests, small fleets). */
export function aggregate(digests: Iterable<NodeDigest>, topMessages = TOP_MESSAGES): FleetSummary {
  const agg = new FleetAggregator();
  for (const d of digests) agg.add(d);
  return agg.result(topMessages);
}
