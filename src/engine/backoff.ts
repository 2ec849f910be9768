// How long a readiness check waits before its next attempt: 250 ms doubling to a 2 s cap, with
// "equal jitter" (half fixed, half random) so that the nodes of a pool booted together do not
// poll in lockstep, and never less than half the nominal delay.
export const FIRST_DELAY_MS = 250;
export const MAX_DELAY_MS = 2000;

/** The delay after attempt `attempt` (1-based); `random` returns [0, 1). */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const nominal = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}

/** Waits between attempts: resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
