// RDMA and MPI checks against the real rdma-core, ibverbs-utils and openmpi-bin packages on a VM
// without RDMA hardware (apt: rdma-core ibverbs-utils openmpi-bin).
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

interface Outcome {
  id: string;
  status: string;
  message: string;
  evidence?: Record<string, unknown>;
}

describeLive('GPU/RDMA/MPI checks on a real host without RDMA hardware', { commands: { ibv_devinfo: 'ibverbs-utils', mpirun: 'openmpi-bin', runuser: 'util-linux' } }, () => {
  it('names Open MPI with its version; RDMA fails with what the kernel and ibv_devinfo said', () => {
    const r = runScenario({
      setup: 'command -v ibv_devinfo && readlink -f /usr/bin/mpirun',
      run: 'node $BUNDLE --mode start-task --require infiniband,mpi --only rdma.devices,rdma.userland,mpi.runtime --format json',
    });
    expect(r.setupOutput, 'ibv_devinfo and mpirun must be installed (apt: ibverbs-utils openmpi-bin)').toMatch(/\/usr\/bin\/ibv_devinfo\n\/usr\/bin\/orterun\n/);
    const report = JSON.parse(r.stdout) as { checks: Outcome[] };
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));

    expect(byId['mpi.runtime']!.status).toBe('pass');
    expect(byId['mpi.runtime']!.message).toMatch(/^Open MPI 4\.\d+\.\d+ \(\/usr\/bin\/mpirun -> \/usr\/bin\/orterun/);

    expect(byId['rdma.devices']!.status).toBe('fail');
    // No VM size given: the pool definition (or this machine) lacks the hardware.
    expect(byId['rdma.devices']).toMatchObject({ message: 'no InfiniBand hardware: /sys/class/infiniband is absent or empty and there is no Mellanox InfiniBand PCI device', category: 'config' });

    expect(byId['rdma.userland']!.status).toBe('fail');
    expect(byId['rdma.userland']!.message).toMatch(/^ibv_devinfo found no RDMA device: "Failed to get IB devices list: Function not implemented"/);
    expect(byId['rdma.userland']!.evidence?.run).toBe('ibv_devinfo exited with code 255');
    expect(r.status).toBe(1);
  });

  it('counts only explicit root memlock lines on Debian', () => {
    const r = runScenario({
      setup: 'printf "* - memlock unlimited\\n" > /etc/security/limits.d/80-star.conf; grep -qx "\\* - memlock unlimited" /etc/security/limits.d/80-star.conf',
      run: 'node $BUNDLE --mode start-task --require infiniband --only rdma.userland --format json; printf "root - memlock unlimited\\n" > /etc/security/limits.d/90-root.conf; node $BUNDLE --mode start-task --require infiniband --only rdma.userland --format json',
    });
    const [before, after] = r.stdout.split(/\n(?=\{)/).map((t) => (JSON.parse(t) as { checks: Outcome[] }).checks.find((c) => c.id === 'rdma.userland')!);
    expect(before!.message).toContain('the `*` line at /etc/security/limits.d/80-star.conf:1 does not apply to root here');
    expect(after!.message).not.toContain('memlock');
    expect(after!.status).toBe('fail'); // still no RDMA device
  });

  it("relies on a real fact: Debian's pam_limits applies `*` lines to other users but not to root", () => {
    // Lowering a limit always succeeds, so the effect is visible without CAP_SYS_RESOURCE.
    const r = runScenario({
      setup: 'printf "* hard memlock 200\\n* soft memlock 100\\n" > /etc/security/limits.conf; grep -c memlock /etc/security/limits.conf | grep -qx 2',
      run: 'echo root=$(runuser -u root -- sh -c "ulimit -l") nobody=$(runuser -u nobody -- sh -c "ulimit -l") before=$(ulimit -l)',
    });
    const m = /root=(\S+) nobody=(\S+) before=(\S+)/.exec(r.stdout);
    expect(m, r.stdout + r.stderr).not.toBeNull();
    expect(m![2]).toBe('100');
    expect(m![1]).toBe(m![3]);
  });
});
