// Logs are pino JSON on stderr (or a file), never on stdout: machine formats own stdout alone.
import type pino from 'pino';

export type Logger = pino.Logger;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Loaded on first use, so that commands without logs (list, explain, --version) start faster.
 * `fd`: a log file already opened safely (src/host/append-file.ts); otherwise `stderr`, where stderr
 * logs go instead of fd 2 (held back in start-task mode).
 */
export async function createLogger(level: LogLevel, fd?: number, stderr?: { write(chunk: string): boolean }): Promise<Logger> {
  const { default: pino } = await import('pino');
  const dest = fd !== undefined ? pino.destination({ fd, sync: true }) : (stderr ?? pino.destination({ fd: 2, sync: true }));
  return pino({ level, base: { name: 'batch-preflight' } }, dest);
}

/** A logger that drops everything: for tests and library use. */
export const silentLogger: Logger = new Proxy({} as Logger, {
  get: (_t, prop) => (prop === 'child' ? () => silentLogger : prop === 'level' ? 'silent' : prop === 'isLevelEnabled' ? () => false : () => undefined),
});
