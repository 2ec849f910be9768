// Progress while readiness checks wait: one plain line per retry, for a person at a terminal
// (stderr only; stdout keeps the one report).
import type { RetryEvent } from '../engine/runner';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function retryProgressLine(e: RetryEvent): string {
  return `batch-preflight: waiting for ${e.id} (attempt ${e.attempt}, ${seconds(e.elapsedMs)} of ${seconds(e.waitMs)}): ${e.message}; retrying in ${seconds(e.delayMs)}\n`;
}
