// Small helpers shared by check modules, so each check reads as its decision alone.
import type { CheckResult, Evidence } from './types';
import { FsError } from './host/rootfs';

export const pass = (message: string, evidence?: Evidence): CheckResult => ({ status: 'pass', message, evidence });
export const warn = (message: string, remediation: string, evidence?: Evidence): CheckResult => ({ status: 'warn', message, remediation, evidence });
export const fail = (message: string, remediation: string, evidence?: Evidence): CheckResult => ({ status: 'fail', message, remediation, evidence });
export const error = (message: string, evidence?: Evidence): CheckResult => ({ status: 'error', message, evidence });

/** `error` result for a file that exists but could not be read (denied, loop, escape, timeout). */
export function unreadable(err: unknown): CheckResult {
  if (err instanceof FsError) return error(`could not read ${err.message}`, { path: err.path, reason: err.reason });
  return error(`could not read: ${err instanceof Error ? err.message : String(err)}`);
}
