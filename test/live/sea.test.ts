import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

describeLive('the standalone binary on a host without Node', { built: { 'dist/batch-preflight-linux-x64': 'npm run build:sea' } }, () => {
  it('runs --version and a check run under env -i after every node binary is removed', () => {
    const r = runScenario({
      setup: 'for n in $(command -v -a node nodejs 2>/dev/null) /usr/local/bin/node /usr/bin/node; do rm -f "$n"; done; rm -rf /usr/lib/node_modules /usr/local/lib/node_modules; [ -z "$(command -v node)" ]; test -x "$SEA"',
      run: 'command -v node && exit 99; env -i "$SEA" --version && env -i "$SEA" --mode image --only selinux.mode --format tap',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\nTAP version 13\n/);
    expect(r.stdout).toMatch(/^ok \d+ selinux.mode - SELinux mode$/m);
  });
});
