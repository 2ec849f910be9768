// Puts a run's JSON report in Blob storage as <pool id>/<node id>/<start time>.json and as
// <pool id>/<node id>/latest.json, each with the verdict and the check counts as metadata, so that
// a listing (az storage blob list --include m) tells READY from NOT READY without reading a blob.
// Put Blob: learn.microsoft.com/rest/api/storageservices/put-blob (x-ms-blob-type: BlockBlob,
// x-ms-meta-NAME headers; 201 Created).
import type { Report } from '../report/report';
import { redact, type ContainerTarget } from './container';
import { BlobClient } from './client';

export const LATEST = 'latest.json';
/** Batch names no pool outside a start task: such reports still group under one folder. */
export const NO_POOL = '_no-pool';

export type UploadResult = { ok: true; blobs: string[]; shown: string } | { ok: false; reason: string };

/** A blob name segment: what Batch ids and host names use; anything else becomes '_'. */
export const segment = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+$/, '_') || '_';

export function blobNames(report: Report): { dir: string; run: string; latest: string } {
  const dir = `${segment(report.batch?.poolId ?? NO_POOL)}/${segment(report.batch?.nodeId ?? report.host.hostname)}`;
  // ISO 8601 in UTC sorts as time does: a listing is in run order.
  return { dir, run: `${dir}/${segment(report.startedAt.replace(/:/g, '-'))}.json`, latest: `${dir}/${LATEST}` };
}

/** Metadata values are ASCII header values: the verdict, the counts, and who the node is. */
export function reportMetadata(report: Report): Record<string, string> {
  const s = report.summary;
  const m: Record<string, string> = {
    verdict: s.ok ? 'READY' : 'NOT_READY',
    pass: String(s.pass),
    warn: String(s.warn),
    fail: String(s.fail),
    error: String(s.error),
    skip: String(s.skip),
    startedat: report.startedAt,
  };
  if (report.batch?.nodeId) m.nodeid = segment(report.batch.nodeId);
  if (report.batch?.poolId) m.poolid = segment(report.batch.poolId);
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [`x-ms-meta-${k}`, v]));
}

/** Uploads the report within `budgetMs`; never throws. */
export async function uploadReport(report: Report, target: ContainerTarget, env: NodeJS.ProcessEnv, budgetMs: number, stop?: AbortSignal): Promise<UploadResult> {
  const signal = AbortSignal.any([AbortSignal.timeout(budgetMs), ...(stop ? [stop] : [])]);
  const client = new BlobClient(target, env, signal);
  const names = blobNames(report);
  const body = Buffer.from(JSON.stringify(report, null, 2) + '\n', 'utf8');
  const headers = { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'application/json', ...reportMetadata(report) };
  try {
    // The timestamped report first: latest.json never points past what is stored.
    for (const blob of [names.run, names.latest]) await client.send('PUT', blob, { headers, body, maxBytes: 64 * 1024 });
    return { ok: true, blobs: [names.run, names.latest], shown: target.shown };
  } catch (err) {
    return { ok: false, reason: redact(target, (err as Error).message) };
  } finally {
    client.close();
  }
}
