// The fleet summary for a terminal: a table of checks, then the failing nodes per check, the most
// common failure messages and the reports that could not be used. Long node lists are cut short.
import type { FleetSummary } from './aggregate';
import { groupHeadline } from './categories';
import { terminalSafe } from '../report/terminal-text';

export const NODES_SHOWN = 20;

export function nodeList(nodes: readonly string[], shown = NODES_SHOWN): string {
  const head = nodes.slice(0, shown).join(', ');
  return nodes.length > shown ? `${head} and ${nodes.length - shown} more` : head;
}

export function verdictLine(s: FleetSummary): string {
  if (s.ok) return `READY: all ${s.reports} nodes passed`;
  const parts: string[] = [];
  if (s.failedNodes.length > 0) parts.push(`${s.failedNodes.length} of ${s.reports} nodes failed`);
  const unusable = new Set(s.problems.map((p) => p.source)).size;
  if (unusable > 0) parts.push(`${unusable} report${unusable === 1 ? '' : 's'} unreadable or incomplete`);
  return `NOT READY: ${parts.join('; ')}`;
}

export function renderHumanSummary(fleet: FleetSummary): string {
  const s = terminalSafe(fleet);
  const out: string[] = [];
  out.push(`batch-preflight fleet summary: ${s.reports} reports, ${s.readyNodes} ready, ${s.failedNodes.length} failed, ${new Set(s.problems.map((p) => p.source)).size} unreadable or incomplete`);
  if (s.checks.length > 0) {
    const w = Math.max(5, ...s.checks.map((c) => c.id.length));
    out.push('', `${'check'.padEnd(w)}  ${['pass', 'warn', 'fail', 'error', 'skip'].map((h) => h.padStart(6)).join('')}`);
    for (const c of s.checks) {
      const n = c.counts;
      out.push(`${c.id.padEnd(w)}  ${[n.pass, n.warn, n.fail, n.error, n.skip].map((v) => String(v).padStart(6)).join('')}`);
    }
  }
  if (s.categories.length > 0) {
    out.push('', 'By who must act:');
    for (const g of s.categories) {
      out.push(`  ${g.category}: ${groupHeadline(g, s.reports)}: ${g.action}`);
      out.push(`    checks: ${g.checks.map((c) => `${c.id} (${c.nodes})`).join(', ')}`);
      out.push(`    nodes: ${nodeList(g.nodes)}`);
    }
  }
  const failing = s.checks.filter((c) => c.failed.length + c.errored.length > 0);
  if (failing.length > 0) {
    out.push('', 'Failing nodes by check:');
    for (const c of failing) {
      if (c.failed.length > 0) out.push(`  ${c.id} fail (${c.failed.length}): ${nodeList(c.failed)}`);
      if (c.errored.length > 0) out.push(`  ${c.id} error (${c.errored.length}): ${nodeList(c.errored)}`);
    }
  }
  if (s.failureMessages.length > 0) {
    const more = s.distinctFailureMessages - s.failureMessages.length;
    out.push('', `Most common failure messages${more > 0 ? ` (top ${s.failureMessages.length} of ${s.distinctFailureMessages})` : ''}:`);
    for (const m of s.failureMessages) out.push(`  ${String(m.count).padStart(6)} × ${m.check} ${m.status}: ${m.message}`);
  }
  if (s.problems.length > 0) {
    out.push('', 'Unreadable or incomplete reports (no verdict for these nodes):');
    for (const p of s.problems) out.push(`  ${p.source}${p.node !== p.source ? ` (${p.node})` : ''}: ${p.reason}`);
  }
  if (s.notWrittenByRoot.length > 0) {
    out.push('', 'Reports not written by root (any task user could have written these; the agent writes its start-task report as root):');
    for (const r of s.notWrittenByRoot) out.push(`  ${r.source}${r.node !== r.source ? ` (${r.node})` : ''}: owned by uid ${r.owner}`);
  }
  if (s.duplicateNodes.length > 0) {
    out.push('', 'Nodes with more than one report (one of each is counted: one root wrote before one it did not, then the newest):');
    out.push(`  ${nodeList(s.duplicateNodes.map((d) => `${d.node} ×${d.reports} (counted: ${d.counted})`))}`);
  }
  out.push('', verdictLine(s));
  return out.join('\n') + '\n';
}
