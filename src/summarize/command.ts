// `batch-preflight summarize`: many node reports in, one fleet summary and an exit code out.
import { stat } from 'node:fs/promises';
import { EXIT_NOT_READY, EXIT_OK, UsageError } from '../errors';
import { FleetAggregator, type FleetSummary } from './aggregate';
import { readAll } from './read';
import { renderHumanSummary } from './human';
import { renderMarkdownSummary } from './markdown';
import { isContainerUrl, readContainers, type ContainerCredentials } from './containers';

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

export async function executeSummarize(args: readonly string[], format: SummaryFormat, blob: ContainerCredentials = { env: {} }): Promise<{ stdout: string; exitCode: number; summary: FleetSummary }> {
  if (args.length === 0) throw new UsageError('summarize needs at least one report file or directory');
  // Container URLs (Blob storage) are read apart from paths on disk.
  const urls = args.filter(isContainerUrl);
  const paths = args.filter((a) => !isContainerUrl(a));
  // A missing path among others is a node without a report (listed); none at all is a mistake.
  const exists = await Promise.all(paths.map((p) => stat(p).then(() => true, () => false)));
  if (urls.length === 0 && !exists.some(Boolean)) throw new UsageError(`summarize: ${paths.length === 1 ? `${paths[0]} does not exist` : `none of the ${paths.length} paths exist`}`);
  const agg = new FleetAggregator();
  await readContainers(urls, blob, (d) => agg.add(d));
  if (paths.length > 0) await readAll(paths, (d) => agg.add(d));
  const summary = agg.result();
  if (summary.reports === 0) throw new UsageError(`summarize: no *.json reports found under ${args.map((a) => (isContainerUrl(a) ? a.split('?')[0] : a)).join(', ')}`);
  return { stdout: renderSummary(summary, format), exitCode: summary.ok ? EXIT_OK : EXIT_NOT_READY, summary };
}
