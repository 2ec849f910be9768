import { expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

describeLive('scenario sandbox', {}, () => {
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

  it('a setup that fails stops the scenario before the agent runs, with its output', () => {
    const t0 = Date.now();
    expect(() => runScenario({ setup: 'echo preparing; false; echo never', run: 'sleep 5' })).toThrow(/setup failed \(exit 1\)[\s\S]*preparing(?![\s\S]*never)/);
    // The run step (5 s) never started.
    expect(Date.now() - t0).toBeLessThan(4000);
  });
});
