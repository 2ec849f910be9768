// Reading reports back from a container: List Blobs (learn.microsoft.com/rest/api/storageservices/
// list-blobs: restype=container&comp=list, paged by NextMarker) and Get Blob. Of each node's folder
// <pool>/<node>/ the report read is latest.json, else the newest timestamped one.
import { XMLParser } from 'fast-xml-parser';
import { BlobClient } from './client';
import { LATEST } from './upload';

const MAX_LIST_PAGE_BYTES = 32 * 1024 * 1024;

/** Blob names in the container, every page. */
export async function listBlobNames(client: BlobClient, pageSize?: number): Promise<string[]> {
  const parser = new XMLParser({ isArray: (name) => name === 'Blob', parseTagValue: false });
  const names: string[] = [];
  let marker = '';
  do {
    const answer = await client.send('GET', null, { query: { restype: 'container', comp: 'list', ...(pageSize ? { maxresults: String(pageSize) } : {}), ...(marker ? { marker } : {}) }, maxBytes: MAX_LIST_PAGE_BYTES });
    const doc = parser.parse(answer.body.toString('utf8')) as { EnumerationResults?: { Blobs?: { Blob?: { Name?: unknown }[] } | string; NextMarker?: unknown } };
    const r = doc.EnumerationResults;
    if (!r) throw new Error(`the listing of ${client.target.shown} is not a List Blobs answer`);
    const blobs = typeof r.Blobs === 'object' ? (r.Blobs.Blob ?? []) : [];
    for (const b of blobs) if (typeof b.Name === 'string') names.push(b.Name);
    marker = typeof r.NextMarker === 'string' ? r.NextMarker : '';
  } while (marker);
  return names;
}

/** The report to read of each node folder (<pool>/<node>/), sorted by name. */
export function latestPerNode(names: readonly string[]): string[] {
  const chosen = new Map<string, string>();
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    const cut = name.lastIndexOf('/');
    const dir = name.slice(0, cut + 1);
    const base = name.slice(cut + 1);
    const have = chosen.get(dir);
    const haveBase = have?.slice(cut + 1);
    if (have === undefined || (haveBase !== LATEST && (base === LATEST || base > haveBase!))) chosen.set(dir, name);
  }
  return [...chosen.values()].sort();
}
