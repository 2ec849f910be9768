// Logs are pino JSON on stderr (or a file), never on stdout: machine formats own stdout alone.
import type pino from 'pino';

export type Logger = pino.Logger;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Loaded on first use, so that commands without logs (list, explain, --version) start faster.
 * `fd`: a log file already opened safely (src/host/append-file.ts); stderr otherwise.
 */
export async function createLogger(level: LogLevel, fd = 2): Promise<Logger> {
  const { default: pino } = await import('pino');
  const dest = pino.destination({ fd, sync: true });
  return pino({ level, base: { name: 'batch-preflight' } }, dest);
}

/** A logger that drops everything: for tests and library use. */
export const silentLogger: Logger = new Proxy({} as Logger, {
  get: (_t, prop) => (prop === 'child' ? () => silentLogger : prop === 'level' ? 'silent' : prop === 'isLevelEnabled' ? () => false : () => undefined),
});
