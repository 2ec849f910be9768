// `batch-preflight summarize`: many node reports in, one fleet summary and an exit code out.
import { stat } from 'node:fs/promises';
import { EXIT_NOT_READY, EXIT_OK, UsageError } from '../errors';
import { FleetAggregator, type FleetSummary } from './aggregate';
import { readAll } from './read';
import { renderHumanSummary } from './human';
import { renderMarkdownSummary } from './markdown';

export const SUMMARY_FORMATS = ['human', 'json', 'markdown'] as const;
export type SummaryFormat = (typeof SUMMARY_FORMATS)[number];

export function renderSummary(s: FleetSummary, format: SummaryFormat): string {
  switch (format) {
    case 'human':
      return renderHumanSummary(s);
    case 'json':
      return JSON.stringify(s, null, 2) + '\n';
    case 'markdown':
      return renderMarkdownSummary(s);
  }
}

export async function executeSummarize(paths: readonly string[], format: SummaryFormat): Promise<{ stdout: string; exitCode: number; summary: FleetSummary }> {
  if (paths.length === 0) throw new UsageError('summarize needs at least one report file or directory');
  // A missing path among others is a node without a report (listed); none at all is a mistake.
  const exists = await Promise.all(paths.map((p) => stat(p).then(() => true, () => false)));
  if (!exists.some(Boolean)) throw new UsageError(`summarize: ${paths.length === 1 ? `${paths[0]} does not exist` : `none of the ${paths.length} paths exist`}`);
  const agg = new FleetAggregator();
  await readAll(paths, (d) => agg.add(d));
  const summary = agg.result();
  if (summary.reports === 0) throw new UsageError(`summarize: no *.json reports found under ${paths.join(', ')}`);
  return { stdout: renderSummary(summary, format), exitCode: summary.ok ? EXIT_OK : EXIT_NOT_READY, summary };
}
