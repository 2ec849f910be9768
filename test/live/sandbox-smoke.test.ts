import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { runScenario, sandboxAvailable } from '../sandbox/sandbox';

describe.runIf(sandboxAvailable())('scenario sandbox', () => {
  it('isolates writes and reports what the run step wrote', () => {
    const r = runScenario({
      setup: 'echo setup > /etc/bp-setup-file; sleep 300 & echo started',
      run: 'cat /etc/bp-setup-file; echo agent > /etc/bp-agent-file; ip -o link | wc -l',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('setup');
    expect(r.written).toEqual(['/etc/bp-agent-file']);
    expect(r.readWritten('/etc/bp-agent-file')).toBe('agent\n');
    expect(existsSync('/etc/bp-setup-file')).toBe(false);
    expect(existsSync('/etc/bp-agent-file')).toBe(false);
  });
});
