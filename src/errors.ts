// Errors every layer may raise, and the exit codes they map to.
/** Bad invocation or an unreadable/invalid input file: one line on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_NOT_READY = 1;
export const EXIT_USAGE = 2;
/** A bug in the agent itself; never a verdict on the host. */
export const EXIT_INTERNAL = 3;

/** The message of anything thrown (an Error's message, or the thrown value as text). */
export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
