// The agent only looks: a full run with every feature required, on a host with a running dockerd
// and sshd and the real storage, MPI, RDMA and firewall tools, must leave nothing on the machine
// but the files it was asked to write. The overlay's upper directory lists every file written
// under /; /tmp and /run are separate tmpfs mounts in the sandbox, so they are searched too.
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';
import { schemaErrors } from '../helpers/schema';

const REQUIRE = '--require gpu,infiniband,mpi,nfs,glusterfs,gluster-on-compute,blobfuse,azurefile,auto-scratch,singularity,containerd,cifs';

// dockerd's own state goes to a tmpfs: containerd rewrites its metadata database on its own
// timer, which is the daemon writing, not the agent.
const HOST = `
mkdir -p /var/tmp/bp /var/tmp/shared /var/tmp/wd /var/lib/docker
mount -t tmpfs tmpfs /var/lib/docker
rm -f /usr/local/bin/docker
dockerd --iptables=false --bridge=none --storage-driver=vfs > /dev/null 2>&1 &
mkdir -p /run/sshd; /usr/sbin/sshd -p 22
for i in $(seq 1 100); do docker version >/dev/null 2>&1 && break; sleep 0.1; done
docker version --format 'dockerd up: {{.Server.Version}}'
grep -q ':0016 00000000:0000 0A' /proc/net/tcp && echo 'sshd listening'
`;

/** Runs the agent after a marker in /run, then lists what appeared in /tmp and /run since. */
function agentRun(agent: string) {
  const r = runScenario({
    setup: HOST,
    run: `touch /run/bp-mark\n${agent} > /run/agent.out; rc=$?\nfind /tmp /run -newer /run/bp-mark ! -type d ! -path /run/agent.out -printf 'tmpfs-write %p\\n'\nexit $rc`,
  });
  expect(r.setupOutput).toMatch(/dockerd up: 20\.10[\s\S]*sshd listening/);
  expect(r.stdout).not.toContain('tmpfs-write');
  return r;
}

const NEEDS = { commands: { dockerd: 'docker.io', docker: 'docker.io', sshd: 'openssh-server', mpirun: 'openmpi-bin', ibv_devinfo: 'ibverbs-utils', 'mount.nfs4': 'nfs-common', glusterfs: 'glusterfs-client', nft: 'nftables' } };

describeLive('a full run writes nothing but what it was asked to', NEEDS, () => {
  it('image mode with --report: only the report', () => {
    const r = agentRun(`node $BUNDLE --mode image ${REQUIRE} --report /var/tmp/bp/report.json`);
    expect(r.status).toBe(1);
    expect(r.written).toEqual(['/var/tmp/bp/report.json']);
    const report = JSON.parse(r.readWritten('/var/tmp/bp/report.json')!);
    expect(schemaErrors(report)).toBe('');
    // Every check ran but baseline.drift (no --baseline), those of the other target, those that compare
    // a pool node with its VM size or look at the pool's hardware (an image-build VM need not have
    // them), and azure.imds (start-task mode only), so every tool the checks call ran too.
    expect(report.checks).toHaveLength(40);
    expect(report.checks.filter((c: { status: string }) => c.status === 'skip').map((c: { id: string }) => c.id)).toEqual([
      'baseline.drift',
      'docker.autostart',
      'nvidia.fabricmanager',
      'gpu.health',
      'gpu.xid',
      'gpu.model',
      'gpu.nvlink',
      'hardware.gpus',
      'hardware.pcie-link',
      'hardware.infiniband',
      'hardware.nvme',
      'rdma.devices',
      'rdma.link-flaps',
      'azure.imds',
    ]);
  });

  it('with a debug log file: the report and the log', () => {
    const r = agentRun(`node $BUNDLE --mode image ${REQUIRE} --report /var/tmp/bp/report.json --log-file /var/tmp/bp/log.json --log-level debug`);
    expect(r.written).toEqual(['/var/tmp/bp/log.json', '/var/tmp/bp/report.json']);
    expect(r.readWritten('/var/tmp/bp/log.json')).toMatch(/"msg":"run finished"/);
  });

  it('start-task mode, run from the task directory: only $AZ_BATCH_NODE_SHARED_DIR/batch-preflight/report.json', () => {
    const r = agentRun(
      `export HOME=/root AZ_BATCH_NODE_ID=tvm_ro AZ_BATCH_TASK_WORKING_DIR=/var/tmp/wd AZ_BATCH_NODE_SHARED_DIR=/var/tmp/shared; cd /var/tmp/wd; node $BUNDLE ${REQUIRE} --vm-size Standard_ND96isr_H100_v5`,
    );
    expect(r.status).toBe(1);
    expect(r.written).toEqual(['/var/tmp/shared/batch-preflight/report.json']);
    expect(schemaErrors(JSON.parse(r.readWritten('/var/tmp/shared/batch-preflight/report.json')!))).toBe('');
  });
});
