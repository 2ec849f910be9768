// `summarize` of a container: the newest report of each node folder is fetched (a bounded number
// at a time) and digested as a file on disk would be, so the fleet summary is the same.
import { BlobClient } from '../upload/client';
import type { ContainerTarget } from '../upload/container';
import { latestPerNode, listBlobNames } from '../upload/list';
import { digestReport, unreadable, type NodeDigest } from './digest';
import { MAX_REPORT_BYTES } from './read';
import { messageOf } from '../errors';

const FETCH_CONCURRENCY = 16;

/** Digests of every node's latest report in the container; a failed listing throws (nothing to summarise). */
export async function readContainer(target: ContainerTarget, env: NodeJS.ProcessEnv, onDigest: (d: NodeDigest) => void, signal: AbortSignal = new AbortController().signal): Promise<void> {
  const client = new BlobClient(target, env, signal, FETCH_CONCURRENCY);
  try {
    const blobs = latestPerNode(await listBlobNames(client));
    let next = 0;
    const worker = async () => {
      while (next < blobs.length) {
        const blob = blobs[next++]!;
        const source = `${target.shown}/${blob}`;
        let text: string;
        try {
          text = (await client.send('GET', blob, { maxBytes: MAX_REPORT_BYTES })).body.toString('utf8');
        } catch (err) {
          onDigest(unreadable(source, `cannot be read (${messageOf(err)})`));
          continue;
        }
        if (text.trim() === '') {
          onDigest(unreadable(source, 'empty file'));
          continue;
        }
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch (err) {
          onDigest(unreadable(source, `not valid JSON (${messageOf(err)})`));
          continue;
        }
        onDigest(digestReport(source, json));
      }
    };
    await Promise.all(Array.from({ length: FETCH_CONCURRENCY }, worker));
  } finally {
    client.close();
  }
}
