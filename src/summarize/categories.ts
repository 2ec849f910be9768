// The fleet's failures grouped by who must act, so that the fix fits the cause: an image defect on
// every node means rebuild the image, a hardware fault on two nodes means replace those two.
import type { Category } from '../types';

/** A failure's category; `unknown` for reports that do not say (an older agent, a custom check's error). */
export type GroupKey = Category | 'unknown';

export interface CategoryGroup {
  category: GroupKey;
  /** Nodes with at least one fail or error of this category, sorted. */
  nodes: string[];
  /** The checks behind it, with how many nodes each, most first. */
  checks: { id: string; nodes: number }[];
  /** What to do, in a sentence. */
  action: string;
}

export const ACTIONS: Record<GroupKey, { what: string; action: string }> = {
  image: { what: 'image defect', action: 'fix the image and rebuild it, then recreate or reimage the nodes' },
  config: { what: 'pool and image disagree', action: 'change the pool definition (VM size, node agent SKU, settings) or the image so they match' },
  node: { what: 'fault of these VMs', action: 'reboot, reimage or redeploy these nodes (or remove them from the pool)' },
  transient: { what: 'transient', action: 'retry: reboot the nodes or rerun their start task; raise --wait if something was still starting' },
  unknown: { what: 'not categorised', action: 'read the failure messages: the reports do not say who must act' },
};

/** Worst for the fleet first when node counts tie: an image defect affects every node built from it. */
const ORDER: GroupKey[] = ['image', 'config', 'node', 'transient', 'unknown'];

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Collects, node by node, which categories of failure each node had. */
export class CategoryCollector {
  private readonly nodes = new Map<GroupKey, Set<string>>();
  private readonly checks = new Map<GroupKey, Map<string, number>>();

  /** One node's failing checks with their categories (each check counted once per node). */
  add(node: string, failures: readonly { id: string; category?: Category }[]): void {
    const seen = new Set<string>();
    for (const f of failures) {
      const key: GroupKey = f.category ?? 'unknown';
      if (!this.nodes.has(key)) this.nodes.set(key, new Set());
      this.nodes.get(key)!.add(node);
      const mark = `${key}\0${f.id}`;
      if (seen.has(mark)) continue;
      seen.add(mark);
      const checks = this.checks.get(key) ?? new Map<string, number>();
      checks.set(f.id, (checks.get(f.id) ?? 0) + 1);
      this.checks.set(key, checks);
    }
  }

  /** The groups, largest first; `reports` is how many nodes the fleet has, for telling a fleet-wide fault from a few sick VMs. */
  result(reports: number): CategoryGroup[] {
    return [...this.nodes]
      .map(([category, nodes]) => {
        const checks = [...(this.checks.get(category) ?? [])].map(([id, n]) => ({ id, nodes: n })).sort((a, b) => b.nodes - a.nodes || (a.id < b.id ? -1 : 1));
        return { category, nodes: [...nodes].sort(byName), checks, action: actionFor(category, checks, reports) };
      })
      .sort((a, b) => b.nodes.length - a.nodes.length || ORDER.indexOf(a.category) - ORDER.indexOf(b.category));
  }
}

/**
 * What to do about a group. A node-level check that fails on most of the fleet is not the VMs'
 * fault: a sick GPU or a dead port on one VM is, the same "fault" on most VMs comes from what they
 * share (the image, the VM size, the pool), and reimaging them all would only repeat it.
 */
function actionFor(category: GroupKey, checks: readonly { id: string; nodes: number }[], reports: number): string {
  if (category !== 'node') return ACTIONS[category].action;
  const widespread = checks.filter((c) => c.nodes >= 2 && c.nodes * 2 > reports);
  if (widespread.length === 0) return ACTIONS.node.action;
  const which = widespread.map((c) => `${c.id} (${c.nodes} of ${reports})`).join(', ');
  return (
    `${which} failed on most nodes: a fault that many VMs share comes from what they have in common, not from the VMs: ` +
    'look at the image, the VM size and the pool before reimaging; reboot, reimage or redeploy only the nodes that fail alone'
  );
}

/** "image defect on 100% of nodes (300 of 300)", "fault of these VMs on 2 of 300 nodes (0.7%)". */
export function groupHeadline(g: CategoryGroup, reports: number): string {
  const share = reports > 0 ? (100 * g.nodes.length) / reports : 0;
  const pct = share === 100 || share === 0 ? `${share}%` : share >= 10 ? `${Math.round(share)}%` : `${share.toFixed(1)}%`;
  const what = ACTIONS[g.category].what;
  return share === 100 ? `${what} on 100% of nodes (${g.nodes.length} of ${reports})` : `${what} on ${g.nodes.length} of ${reports} nodes (${pct})`;
}
