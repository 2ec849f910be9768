// Progress while readiness checks wait: one line per retry for a person at a terminal, with the
// host's text escaped.
import { describe, expect, it } from 'vitest';
import { retryProgressLine } from '../../src/cli/progress';

describe('retry progress line', () => {
  it('says which check, which attempt, how long of the budget, why, and when next', () => {
    expect(retryProgressLine({ id: 'sshd', attempt: 3, status: 'fail', message: 'nothing listens on TCP 22', delayMs: 1000, elapsedMs: 1250, waitMs: 60_000 })).toBe(
      'batch-preflight: waiting for sshd (attempt 3, 1.3 s of 60.0 s): nothing listens on TCP 22; retrying in 1.0 s\n',
    );
  });

  it('escapes control characters from the host', () => {
    const line = retryProgressLine({ id: 'docker.socket', attempt: 1, status: 'fail', message: 'odd \x1b[2J\nfake line', delayMs: 250, elapsedMs: 10, waitMs: 10_000 });
    expect(line).toContain('odd \\x1b[2J\\x0afake line');
    expect(line.split('\n')).toHaveLength(2);
  });
});
