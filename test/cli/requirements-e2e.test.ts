// The built bundle end to end: requirements from Batch Shipyard files, flags and hardware in the
// report with their sources; bad files as exit 2 with one line; the modes and their reasons.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/report/report';
import { bundleReport, sources, validateReport } from '../helpers/bundle-report';
import { runBundle, runBundleAsync } from '../helpers/bundle';
import { FIXTURES } from '../helpers/host';

const SY = 'fixtures/shipyard';

const report = bundleReport;


describe('Batch Shipyard configuration', () => {
  it('pool.yaml + config.yaml + fs.yaml: every feature with its file and key; no secret leaks', () => {
    const { r, stderr, stdout } = report(['--mode', 'image', '--pool', `${SY}/pool.yaml`, '--config', `${SY}/config.yaml`, '--fs', `${SY}/fs.yaml`, '--log-level', 'debug']);
    expect(sources(r)).toEqual({
      docker: 'default',
      'docker-group': 'default (with docker)',
      ssh: 'default',
      gpu: expect.stringMatching(/^fixtures\/shipyard\/pool\.yaml pool_specification\.vm_size \(Standard_ND96isr_H100_v5: /),
      infiniband: expect.stringMatching(/^fixtures\/shipyard\/pool\.yaml pool_specification\.vm_size \(Standard_ND96isr_H100_v5: /),
      nfs: 'fixtures/shipyard/config.yaml global_resources.volumes.shared_data_volumes.nfscluster.volume_driver (storage_cluster) + fixtures/shipyard/fs.yaml remote_fs.storage_clusters.nfscluster.file_server.type (nfs)',
      'gluster-on-compute': 'fixtures/shipyard/config.yaml global_resources.volumes.shared_data_volumes.glustervol.volume_driver (glusterfs_on_compute)',
      blobfuse: 'fixtures/shipyard/config.yaml global_resources.volumes.shared_data_volumes.datasets.volume_driver (azureblob)',
      azurefile: 'fixtures/shipyard/config.yaml global_resources.volumes.shared_data_volumes.results.volume_driver (azurefile)',
      'auto-scratch': 'fixtures/shipyard/pool.yaml pool_specification.per_job_auto_scratch (true)',
      'ssh-access': 'fixtures/shipyard/pool.yaml pool_specification.per_job_auto_scratch (true: beeond reaches the other nodes as root over SSH)',
      singularity: 'fixtures/shipyard/pool.yaml pool_specification.container_runtimes.install (singularity)',
    });
    expect(r.host.mode).toBe('image');
    expect(r.host.modeReason).toBe('--mode image');
    // The files hold an SSH key and a mount password: neither may reach the report or the logs.
    expect(stdout + stderr).not.toContain('SECRET-CANARY');
    expect(stdout + stderr).not.toContain('AAAAB3Nza');
  });

  it('a storage cluster without fs.yaml: neither client required, a note in the report and a warning on stderr', () => {
    const { r, stderr } = report(['--mode', 'image', '--no-detect', '--pool', `${SY}/pool-el.json`, '--config', `${SY}/config-el.json`]);
    expect(r.requirements.map((x) => x.feature)).toEqual(['docker', 'docker-group', 'ssh', 'ssh-access', 'gpu', 'infiniband']);
    expect(r.notes).toEqual([expect.stringMatching(/gfscluster\.volume_driver \(storage_cluster\): the storage cluster's kind \(nfs or glusterfs\) is unknown without --fs/)]);
    expect(stderr).toMatch(/unknown without --fs/);
  });

  it('--jobs: a Singularity multi-instance MPI task requires mpi, with the task in the source', () => {
    const { r } = report(['--mode', 'image', '--no-detect', '--jobs', `${SY}/jobs.yaml`, '--only', 'mpi.runtime']);
    expect(sources(r).mpi).toBe("fixtures/shipyard/jobs.yaml job_specifications[1].tasks[1].multi_instance.mpi (a Singularity task: it runs the host's mpirun)");
    expect(r.checks.find((c) => c.id === 'mpi.runtime')!.status).not.toBe('skip');
  });

  it('a native pool: docker.group does not apply and Singularity is not required, with the reason', () => {
    const { r } = report(['--mode', 'image', '--no-detect', '--pool', `${SY}/pool-native.yaml`, '--only', 'docker.group,singularity']);
    expect(r.requirements.map((x) => x.feature)).toEqual(['docker', 'ssh']);
    expect(r.excluded?.map((x) => x.feature)).toEqual(['docker-group', 'singularity']);
    const byId = Object.fromEntries(r.checks.map((c) => [c.id, c]));
    expect(byId['docker.group']).toMatchObject({ status: 'skip', skipReason: expect.stringMatching(/^applies only when docker-group is required/) });
    expect(byId['singularity']!.status).toBe('skip');
  });

  it('the human report shows the note and the sources', () => {
    const run = runBundle(['--mode', 'image', '--no-detect', '--no-color', '--config', `${SY}/config-el.json`]);
    expect(run.stdout).toMatch(/^Note: .*unknown without --fs/m);
    expect(run.stdout).toMatch(/^Requirements: docker \(default\), docker-group \(default \(with docker\)\), ssh \(default\)$/m);
  });

  it.each([
    ['--pool', 'bad/syntax.yaml', 'line 3, column 12: not valid YAML or JSON'],
    ['--pool', 'bad/trailing-comma.json', 'line 5, column 3: not valid YAML or JSON'],
    ['--pool', 'bad/vm-size-list.yaml', 'line 7: pool_specification.vm_size: expected a string, found a list'],
    ['--pool', 'bad/no-pool-spec.yaml', 'pool_specification: expected a mapping'],
    ['--pool', 'bad/windows-agent.yaml', 'line 5: pool_specification.vm_configuration.custom_image.node_agent: is a Windows node agent'],
    ['--pool', 'bad/windows-platform.yaml', 'line 5: pool_specification.vm_configuration.platform_image.publisher: is a Windows image; batch-preflight checks Linux nodes'],
    ['--config', 'bad/unknown-driver.yaml', 'line 5: global_resources.volumes.shared_data_volumes.myvol.volume_driver: expected azureblob'],
    ['--fs', 'bad/syntax.yaml', 'line 3, column 12: not valid YAML or JSON'],
    ['--pool', 'missing.yaml', 'does not exist'],
    ['--jobs', 'pool.yaml', 'job_specifications: expected a list (the jobs file must have job_specifications), found nothing'],
  ])('%s %s: exit 2, one line on stderr, nothing on stdout', (flag, file, want) => {
    const run = runBundle(['--mode', 'image', flag, `${SY}/${file}`]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('');
    expect(lines[0]!.startsWith(`batch-preflight: ${flag} ${SY}/${file}: ${want}`), lines[0]).toBe(true);
  });
});

describe('flags and hardware', () => {
  it('--require and --without, with the reason in the report', () => {
    const { r } = report(['--mode', 'image', '--no-detect', '--require', 'mpi,nfs', '--without', 'ssh']);
    expect(sources(r)).toEqual({ docker: 'default', 'docker-group': 'default (with docker)', mpi: '--require', nfs: '--require' });
    expect(r.excluded).toEqual([{ feature: 'ssh', source: '--without (overrides default)' }]);
  });

  it('an unknown feature is exit 2', () => {
    const run = runBundle(['--require', 'cuda']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('batch-preflight: --require: unknown feature "cuda" (known: docker, docker-group, ssh, ssh-access, gpu, infiniband, mpi, nfs, glusterfs, gluster-on-compute, blobfuse, azurefile, auto-scratch, singularity, credential-encryption, containerd, cifs)\n');
  });

  it('an offline root: mode offline with the reason, hardware not read', () => {
    const root = path.join(FIXTURES, 'hosts/hw-nd-h100');
    const { r } = report(['--root', root]);
    expect(r.host.mode).toBe('offline');
    expect(r.host.modeReason).toBe(`--root ${root} is an image root, not the running system`);
    expect(r.requirements.map((x) => x.feature)).toEqual(['docker', 'docker-group', 'ssh']);
    expect(r.notes).toEqual([expect.stringMatching(/hardware detection is off in offline mode/)]);
  });

  it('--mode container is reported as asked; its informational note stays off stderr', () => {
    const { r, stderr } = report(['--mode', 'container']);
    expect([r.host.mode, r.host.modeReason]).toEqual(['container', '--mode container']);
    expect(r.notes).toEqual([expect.stringMatching(/hardware detection is off in container mode/)]);
    expect(stderr).toBe('');
  });

  it('--inventory adds CPU, memory and virtualisation facts', () => {
    const { r } = report(['--mode', 'image', '--no-detect', '--inventory']);
    const inv = r.host.inventory as { cpu?: { cores: number }; memoryBytes?: number; gpus: unknown[]; system?: object; error?: string };
    expect(inv.cpu!.cores).toBeGreaterThan(0);
    expect(inv.memoryBytes).toBeGreaterThan(0);
    // A machine without DMI tables (some sandboxes) says so rather than guess the system.
    if (!inv.system) expect(inv.error).toMatch(/\/sys\/class\/dmi\/id\/sys_vendor does not exist/);
    expect(inv.gpus).toEqual([]);
  });

  it('--inventory is ignored, with a note, when this machine is not the node', () => {
    const { r } = report(['--mode', 'container', '--inventory']);
    expect(r.host.inventory).toBeUndefined();
    expect(r.notes).toContain('--inventory ignored: in container mode this machine is not the node being checked');
  });

  it('no inventory unless asked', () => {
    expect(report(['--mode', 'image', '--no-detect']).r.host.inventory).toBeUndefined();
  });
});

describe('start-task mode', () => {
  let server: http.Server;
  let imds = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.headers.metadata !== 'true') return void res.writeHead(400).end();
      res.writeHead(200).end(JSON.stringify({ compute: { vmSize: 'Standard_HB120rs_v3' } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    imds = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata/instance?api-version=2021-02-01`;
  });
  afterAll(() => server.close());

  const batchEnv = (shared: string): NodeJS.ProcessEnv => ({
    AZ_BATCH_NODE_ID: 'tvmps_5e1f0c_d',
    AZ_BATCH_POOL_ID: 'hpc-pool',
    AZ_BATCH_TASK_WORKING_DIR: path.join(shared, '..', 'startup', 'wd'),
    AZ_BATCH_NODE_SHARED_DIR: shared,
  });

  it('detected from the environment; the JSON report lands in the shared dir; human report on stdout; rerunnable', () => {
    const shared = mkdtempSync(path.join(os.tmpdir(), 'bp-shared-'));
    const first = runBundle(['--no-detect', '--no-color'], batchEnv(shared));
    expect([0, 1]).toContain(first.status);
    expect(first.stdout).toMatch(/mode start-task: AZ_BATCH_NODE_ID \(tvmps_5e1f0c_d\) and AZ_BATCH_TASK_WORKING_DIR are set/);
    expect(first.stdout).toMatch(/(READY|NOT READY): /);
    const file = path.join(shared, 'batch-preflight', 'report.json');
    const r = JSON.parse(readFileSync(file, 'utf8')) as Report;
    expect(validateReport(r)).toBe(true);
    expect(r.host.mode).toBe('start-task');
    expect(r.batch).toEqual({ poolId: 'hpc-pool', nodeId: 'tvmps_5e1f0c_d' });
    expect(first.status).toBe(r.summary.ok ? 0 : 1);

    const second = runBundle(['--no-detect', '--no-color'], batchEnv(shared));
    expect(second.status).toBe(first.status);
    expect(readdirSync(shared, { recursive: true }).sort()).toEqual(['batch-preflight', path.join('batch-preflight', 'report.json')]);
    expect((JSON.parse(readFileSync(file, 'utf8')) as Report).startedAt).not.toBe(r.startedAt);
  });

  it('--report puts the JSON report elsewhere, and nothing goes to the shared dir', () => {
    const shared = mkdtempSync(path.join(os.tmpdir(), 'bp-shared-'));
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-out-')), 'r.json');
    runBundle(['--no-detect', '--report', out], batchEnv(shared));
    expect(readdirSync(shared)).toEqual([]);
    expect((JSON.parse(readFileSync(out, 'utf8')) as Report).host.mode).toBe('start-task');
  });

  it('a shared dir that does not exist is exit 2', () => {
    const run = runBundle(['--no-detect'], batchEnv('/nonexistent/shared'));
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('batch-preflight: AZ_BATCH_NODE_SHARED_DIR /nonexistent/shared: does not exist\n');
  });

  it('a report directory others can write: the human report on stdout, the JSON report not written, one line and exit 2', () => {
    const shared = mkdtempSync(path.join(os.tmpdir(), 'bp-shared-'));
    mkdirSync(path.join(shared, 'batch-preflight'));
    chmodSync(path.join(shared, 'batch-preflight'), 0o777);
    const run = runBundle(['--no-detect', '--no-color'], batchEnv(shared));
    expect(run.status).toBe(2);
    // The start task's verdict line, then the refusal: one line naming the path and why.
    expect(run.stderr).toMatch(new RegExp(`^batch-preflight: (NOT )?READY.* \\(report: not written\\)\nbatch-preflight: ${shared}/batch-preflight: is writable by group or others \\(mode 0777\\)\n$`));
    expect(run.stdout).toMatch(/(READY|NOT READY): /);
    expect(run.stdout).toContain(`the JSON report was not written: ${shared}/batch-preflight: is writable by group or others (mode 0777)`);
    expect(readdirSync(path.join(shared, 'batch-preflight'))).toEqual([]);
  });

  it('--imds reads the VM size from the (loopback) metadata service', async () => {
    const shared = mkdtempSync(path.join(os.tmpdir(), 'bp-shared-'));
    const run = await runBundleAsync(['--no-detect', '--imds', '--format', 'json'], { ...batchEnv(shared), BATCH_PREFLIGHT_IMDS_URL: imds });
    const r = JSON.parse(run.stdout) as Report;
    expect(sources(r).infiniband).toMatch(/^instance metadata compute\.vmSize \(Standard_HB120rs_v3: /);
  });
});
