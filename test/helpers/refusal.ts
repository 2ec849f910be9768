import { WriteRefused } from '../../src/host/write-dir';

/** The message of the WriteRefused that `f` throws; fails the test when it throws nothing or something else. */
export function refusal(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof WriteRefused) return err.message;
    throw err;
  }
  throw new Error('not refused');
}
