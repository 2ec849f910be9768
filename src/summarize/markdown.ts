// The fleet summary as GitHub-flavoured Markdown (a job summary, a pull-request or issue comment).
// Those are rendered as HTML, and every value in them came from a report that a node (or whoever
// could write to the report's directory) wrote: every value goes through markdown-text.ts.
// Controls and bidirectional overrides are escaped first, as for a terminal (terminal-text.ts).
import type { FleetSummary } from './aggregate';
import { nodeList, verdictLine } from './human';
import { groupHeadline } from './categories';
import { terminalSafe } from '../report/terminal-text';
import { mdCode, mdText } from '../report/markdown-text';

/** Node lists in Markdown are for reading, not for tooling: longer than the terminal, still cut. */
const NODES_SHOWN = 50;

export function renderMarkdownSummary(fleet: FleetSummary): string {
  // Newlines are kept for mdText() to flatten; every other control is escaped.
  const s = terminalSafe(fleet, 'all');
  const out: string[] = [];
  out.push(`## batch-preflight fleet summary`, '', `**${mdText(verdictLine(s))}** (${s.reports} reports, ${s.readyNodes} ready)`);
  if (s.checks.length > 0) {
    out.push('', '| check | pass | warn | fail | error | skip | failing nodes |', '| --- | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const c of s.checks) {
      const n = c.counts;
      const nodes = [...c.failed, ...c.errored];
      out.push(`| ${mdCode(c.id)} | ${n.pass} | ${n.warn} | ${n.fail} | ${n.error} | ${n.skip} | ${mdText(nodeList(nodes, NODES_SHOWN))} |`);
    }
  }
  if (s.categories.length > 0) {
    out.push('', '### By who must act', '', '| category | affected | what to do | checks | nodes |', '| --- | --- | --- | --- | --- |');
    for (const g of s.categories) {
      const checks = g.checks.map((c) => `${mdCode(c.id)} (${c.nodes})`).join(', ');
      out.push(`| ${mdText(g.category)} | ${mdText(groupHeadline(g, s.reports))} | ${mdText(g.action)} | ${checks} | ${mdText(nodeList(g.nodes, NODES_SHOWN))} |`);
    }
  }
  if (s.failureMessages.length > 0) {
    out.push('', '### Most common failure messages', '', '| count | check | status | message |', '| ---: | --- | --- | --- |');
    for (const m of s.failureMessages) out.push(`| ${m.count} | ${mdCode(m.check)} | ${mdText(m.status)} | ${mdText(m.message)} |`);
    const more = s.distinctFailureMessages - s.failureMessages.length;
    if (more > 0) out.push('', `${more} less common message${more === 1 ? '' : 's'} not shown.`);
  }
  if (s.problems.length > 0) {
    out.push('', '### Unreadable or incomplete reports', '', '| report | node | reason |', '| --- | --- | --- |');
    for (const p of s.problems) out.push(`| ${mdText(p.source)} | ${mdText(p.node)} | ${mdText(p.reason)} |`);
  }
  if (s.duplicateNodes.length > 0) {
    out.push('', `Nodes with more than one report (only the newest of each is counted): ${mdText(nodeList(s.duplicateNodes.map((d) => `${d.node} ×${d.reports}`), NODES_SHOWN))}`);
  }
  return out.join('\n') + '\n';
}
