// The environment of every process the agent starts, directly (runCommand) or through a library
// that would spawn on its own with process.env: the fixed PATH, the C locale and this run's marker,
// nothing of the caller's. The
// caller's PATH, LD_PRELOAD, LD_LIBRARY_PATH, BASH_ENV and the like would otherwise choose what
// runs as root.
import { randomBytes } from 'node:crypto';

/** The only directories a command is looked up in; the caller's PATH is never used. */
export const FIXED_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/**
 * Every descendant inherits this variable (unless it clears its environment), so the processes of
 * this run can be found at its end even after they left the process group (see escapees.ts). The
 * value is random, and /proc/PID/environ is readable only by the process's owner and root.
 */
export const RUN_MARKER = 'BATCH_PREFLIGHT_RUN';
export const RUN_TOKEN = randomBytes(16).toString('hex');

export function childEnvironment(): Record<string, string> {
  return { PATH: FIXED_PATH.join(':'), LC_ALL: 'C', LANG: 'C', [RUN_MARKER]: RUN_TOKEN };
}

/**
 * Replaces process.env with the child environment, for the libraries that spawn with it, and returns
 * the caller's environment, from which the agent reads its own settings (AZ_BATCH_*, NO_COLOR, ...).
 */
export function confineProcessEnv(): NodeJS.ProcessEnv {
  const caller = { ...process.env };
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, childEnvironment());
  return caller;
}
