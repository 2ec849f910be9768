// A site regex from a checks file is matched in a worker thread under a time limit. A pattern with
// catastrophic backtracking (`(a+)+$` on 'aaaa…b') blocks the thread that runs it for ages; on the
// main thread that would stop every timer, so the agent would outlive its own --deadline. A worker
// that overruns is terminated, and the check says so.
import { Worker } from 'node:worker_threads';

/** Long enough for any sane pattern on an input file or a command's output, short beside --timeout. */
export const MATCH_LIMIT_MS = 2000;

const MATCHER = `
const { parentPort, workerData } = require('node:worker_threads');
const m = new RegExp(workerData.source, workerData.flags).exec(workerData.text);
parentPort.postMessage(m ? m[0] : null);
`;

export type MatchOutcome = { done: true; match: string | null } | { done: false; why: string };

/** The first match of `re` in `text` (or null), unless matching overruns `limitMs` or `signal` aborts. */
export function matchWithin(re: RegExp, text: string, signal: AbortSignal, limitMs = MATCH_LIMIT_MS): Promise<MatchOutcome> {
  return new Promise((resolve) => {
    const worker = new Worker(MATCHER, { eval: true, workerData: { source: re.source, flags: re.flags, text } });
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = (outcome: MatchOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      resolve(outcome);
    };
    const onAbort = () => finish({ done: false, why: `matching /${re.source}/ was stopped: the check's time ran out` });
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    // The limit counts the matching only, not the worker's start on a busy machine.
    worker.once('online', () => {
      timer = setTimeout(() => finish({ done: false, why: `the pattern /${re.source}/ did not finish matching within ${limitMs / 1000} s (catastrophic backtracking?); simplify it` }), limitMs);
    });
    worker.once('message', (match: string | null) => finish({ done: true, match }));
    worker.once('error', (err) => finish({ done: false, why: `matching /${re.source}/ failed: ${err.message}` }));
    worker.once('exit', (code) => finish({ done: false, why: `matching /${re.source}/ failed: the matcher exited with ${code}` }));
  });
}
