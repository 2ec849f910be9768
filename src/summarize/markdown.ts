// The fleet summary as GitHub-flavoured Markdown (a job summary, a pull-request or issue comment).
import type { FleetSummary } from './aggregate';
import { nodeList, verdictLine } from './human';
import { groupHeadline } from './categories';
import { terminalSafe } from '../report/terminal-text';

/** Node lists in Markdown are for reading, not for tooling: longer than the terminal, still cut. */
const NODES_SHOWN = 50;

/** Table cells must not break the table: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function renderMarkdownSummary(fleet: FleetSummary): string {
  // Newlines are kept for cell() to flatten; every other control is escaped.
  const s = terminalSafe(fleet, 'all');
  const out: string[] = [];
  out.push(`## batch-preflight fleet summary`, '', `**${verdictLine(s)}** (${s.reports} reports, ${s.readyNodes} ready)`);
  if (s.checks.length > 0) {
    out.push('', '| check | pass | warn | fail | error | skip | failing nodes |', '| --- | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const c of s.checks) {
      const n = c.counts;
      const nodes = [...c.failed, ...c.errored];
      out.push(`| \`${cell(c.id)}\` | ${n.pass} | ${n.warn} | ${n.fail} | ${n.error} | ${n.skip} | ${cell(nodeList(nodes, NODES_SHOWN))} |`);
    }
  }
  if (s.categories.length > 0) {
    out.push('', '### By who must act', '', '| category | affected | what to do | checks | nodes |', '| --- | --- | --- | --- | --- |');
    for (const g of s.categories) {
      const checks = g.checks.map((c) => `\`${cell(c.id)}\` (${c.nodes})`).join(', ');
      out.push(`| ${g.category} | ${cell(groupHeadline(g, s.reports))} | ${cell(g.action)} | ${checks} | ${cell(nodeList(g.nodes, NODES_SHOWN))} |`);
    }
  }
  if (s.failureMessages.length > 0) {
    out.push('', '### Most common failure messages', '', '| count | check | status | message |', '| ---: | --- | --- | --- |');
    for (const m of s.failureMessages) out.push(`| ${m.count} | \`${cell(m.check)}\` | ${m.status} | ${cell(m.message)} |`);
    const more = s.distinctFailureMessages - s.failureMessages.length;
    if (more > 0) out.push('', `${more} less common message${more === 1 ? '' : 's'} not shown.`);
  }
  if (s.problems.length > 0) {
    out.push('', '### Unreadable or incomplete reports', '', '| report | node | reason |', '| --- | --- | --- |');
    for (const p of s.problems) out.push(`| ${cell(p.source)} | ${cell(p.node)} | ${cell(p.reason)} |`);
  }
  if (s.duplicateNodes.length > 0) {
    out.push('', `Nodes with more than one report (only the newest of each is counted): ${cell(nodeList(s.duplicateNodes.map((d) => `${d.node} ×${d.reports}`), NODES_SHOWN))}`);
  }
  return out.join('\n') + '\n';
}
