// Logs are pino JSON on stderr (or a file), never on stdout: machine formats own stdout alone.
import pino from 'pino';

export type Logger = pino.Logger;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function createLogger(level: LogLevel, file?: string): Logger {
  const dest = file ? pino.destination({ dest: file, sync: true, mkdir: false, append: true }) : pino.destination({ fd: 2, sync: true });
  return pino({ level, base: { name: 'batch-preflight' } }, dest);
}

/** A logger that drops everything: for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
