// A start task on a (sandboxed) node: it runs again on every reboot, so two runs must leave
// exactly one file behind, the report in the shared directory, and fail the node when a check fails.
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

describeLive('start-task mode on a node', {}, () => {
  it('is idempotent, writes only its report, exits non-zero when a check fails', () => {
    const r = runScenario({
      // sshd missing fails a pool that needs the host's sshd (ssh-access).
      setup: 'mkdir -p /mnt/batch/tasks/shared /mnt/batch/tasks/startup/wd; rm -f /usr/sbin/sshd; [ -z "$(command -v sshd)" ]',
      run: [
        'export AZ_BATCH_NODE_ID=tvmps_live AZ_BATCH_POOL_ID=live-pool AZ_BATCH_NODE_SHARED_DIR=/mnt/batch/tasks/shared',
        'export AZ_BATCH_TASK_WORKING_DIR=/mnt/batch/tasks/startup/wd AZ_BATCH_NODE_STARTUP_DIR=/mnt/batch/tasks/startup',
        'cd $AZ_BATCH_TASK_WORKING_DIR',
        'node $BUNDLE --no-color --require ssh-access > first.txt 2>&1; echo "first=$?"',
        'node $BUNDLE --no-color --require ssh-access; echo "second=$?"',
      ].join('\n'),
    });
    expect(r.stdout).toMatch(/^first=1$/m);
    expect(r.stdout).toMatch(/^second=1$/m);
    expect(r.stdout).toMatch(/mode start-task: AZ_BATCH_NODE_ID \(tvmps_live\)/);
    expect(r.stdout).toMatch(/FAIL\s+sshd/);
    // first.txt is the test's own capture (Batch writes stdout.txt itself).
    expect(r.written).toEqual(['/mnt/batch/tasks/shared/batch-preflight/report.json', '/mnt/batch/tasks/startup/wd/first.txt']);
    const report = JSON.parse(r.readWritten('/mnt/batch/tasks/shared/batch-preflight/report.json')!);
    expect(report.batch).toEqual({ poolId: 'live-pool', nodeId: 'tvmps_live' });
    expect(report.summary.ok).toBe(false);
  });
});
