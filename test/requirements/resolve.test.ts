import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadStaticRequirements, resolveRequirements, type LiveRequirementInputs } from '../../src/requirements/resolve';
import { IMDS_URL_ENV, readVmSize } from '../../src/host/imds';
import type { Mode } from '../../src/types';
import { fixtureHost, FIXTURES, tempTree } from '../helpers/host';

const SHIPYARD = path.join(FIXTURES, 'shipyard');
const ND_H100 = path.join(FIXTURES, 'hosts/hw-nd-h100');

// A loopback stand-in for the instance metadata service: each path answers differently.
let server: http.Server;
let base = '';
const seen: { url?: string; metadata?: string }[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url, metadata: req.headers.metadata as string | undefined });
    if (req.headers.metadata !== 'true') return void res.writeHead(400).end('{"error":"Bad request. Required metadata header not specified"}');
    if (req.url?.startsWith('/hang')) return; // never answers
    if (req.url?.startsWith('/garbage')) return void res.writeHead(200).end('<html>');
    if (req.url?.startsWith('/nosize')) return void res.writeHead(200).end('{"compute":{}}');
    if (req.url?.startsWith('/h16r')) return void res.writeHead(200).end(JSON.stringify({ compute: { vmSize: 'Standard_H16r', location: 'eastus' } }));
    res.writeHead(200).end(JSON.stringify({ compute: { vmSize: 'Standard_ND96isr_H100_v5', location: 'eastus' }, network: {} }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const NO_FLAGS = { require: [], without: [] };
function live(mode: Mode, over: Partial<LiveRequirementInputs> = {}): LiveRequirementInputs {
  return { mode, host: fixtureHost(tempTree({})), env: {}, detect: true, imds: false, scanPci: false, ...over };
}

describe('instance metadata', () => {
  it('reads compute.vmSize with the Metadata header', async () => {
    const before = seen.length;
    expect(await readVmSize({ [IMDS_URL_ENV]: `${base}/metadata/instance?api-version=2021-02-01` })).toEqual({ ok: true, vmSize: 'Standard_ND96isr_H100_v5', url: `${base}/metadata/instance?api-version=2021-02-01` });
    expect(seen[before]).toEqual({ url: '/metadata/instance?api-version=2021-02-01', metadata: 'true' });
  });

  it.each([
    ['/garbage', /not JSON/],
    ['/nosize', /no compute\.vmSize/],
  ])('%s is a failure with the reason', async (p, why) => {
    const a = await readVmSize({ [IMDS_URL_ENV]: base + p });
    expect(a.ok).toBe(false);
    expect(!a.ok && a.reason).toMatch(why);
  });

  it('gives up after the timeout', async () => {
    const t0 = performance.now();
    const a = await readVmSize({ [IMDS_URL_ENV]: `${base}/hang` }, 300);
    expect(a).toEqual({ ok: false, reason: 'no answer within 300 ms', url: `${base}/hang` });
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it('a refused connection is a failure', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const a = await readVmSize({ [IMDS_URL_ENV]: `http://127.0.0.1:${port}/` });
    expect(a.ok).toBe(false);
  });
});

describe('resolveRequirements', () => {
  it('a native pool drops the docker group and Singularity, even when asked for; --without docker drops the docker group', async () => {
    const r = await resolveRequirements(loadStaticRequirements({ require: ['singularity'], without: [], pool: path.join(SHIPYARD, 'pool-native.yaml') }), live('image'));
    expect(r.set.has('docker')).toBe(true);
    expect(r.set.has('docker-group')).toBe(false);
    expect(r.set.has('singularity')).toBe(false);
    const why = `${path.join(SHIPYARD, 'pool-native.yaml')} pool_specification.vm_configuration.custom_image.native (true)`;
    expect(r.set.excluded()).toEqual([
      { feature: 'docker-group', source: `${why}: a native pool adds no user to the docker group (overrides default (with docker))` },
      { feature: 'singularity', source: `${why}: node prep installs no Singularity on a native pool (overrides --require)` },
    ]);
    const noDocker = await resolveRequirements(loadStaticRequirements({ require: [], without: ['docker'] }), live('image'));
    expect(noDocker.set.has('docker-group')).toBe(false);
  });

  it('defaults only, on a machine without special hardware', async () => {
    const r = await resolveRequirements(loadStaticRequirements(NO_FLAGS), live('image'));
    expect(r.set.list()).toEqual([
      { feature: 'docker', source: 'default' },
      { feature: 'docker-group', source: 'default (with docker)' },
      { feature: 'ssh', source: 'default' },
    ]);
    expect(r.notes).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.settings).toEqual({});
  });

  it('hardware adds gpu and infiniband in image and start-task mode', async () => {
    for (const mode of ['image', 'start-task'] as const) {
      const r = await resolveRequirements(loadStaticRequirements(NO_FLAGS), live(mode, { host: fixtureHost(ND_H100) }));
      expect(r.set.list().map((x) => `${x.feature}:${x.source.split(':')[0]}`)).toEqual(['docker:default', 'docker-group:default (with docker)', 'ssh:default', 'gpu:hardware', 'infiniband:hardware']);
    }
  });

  it.each(['container', 'offline'] as const)('hardware is not read in %s mode, and a note says so', async (mode) => {
    const r = await resolveRequirements(loadStaticRequirements(NO_FLAGS), live(mode, { host: fixtureHost(ND_H100) }));
    expect(r.set.has('gpu')).toBe(false);
    expect(r.notes.join()).toMatch(new RegExp(`hardware detection is off in ${mode} mode`));
  });

  it('--no-detect turns hardware detection off', async () => {
    const r = await resolveRequirements(loadStaticRequirements(NO_FLAGS), live('image', { host: fixtureHost(ND_H100), detect: false }));
    expect(r.set.has('gpu')).toBe(false);
    expect(r.set.has('infiniband')).toBe(false);
    expect(r.notes).toEqual([]);
  });

  it('a pool file decides instead of the hardware', async () => {
    const gpuPool = await resolveRequirements(loadStaticRequirements({ ...NO_FLAGS, pool: path.join(SHIPYARD, 'pool-el.json') }), live('image', { host: fixtureHost(ND_H100) }));
    expect(gpuPool.set.list().find((x) => x.feature === 'gpu')!.source).toMatch(/pool-el\.json pool_specification\.vm_size \(STANDARD_NC24RS_V3/);
    // A CPU pool built on a GPU machine: the pool's size wins, the hardware is not consulted.
    const cpuPool = path.join(tempTree({ 'pool.yaml': 'pool_specification:\n  vm_size: Standard_D4s_v3\n' }), 'pool.yaml');
    const r = await resolveRequirements(loadStaticRequirements({ ...NO_FLAGS, pool: cpuPool }), live('image', { host: fixtureHost(ND_H100) }));
    expect(r.set.has('gpu')).toBe(false);
    expect(r.set.has('infiniband')).toBe(false);
  });

  it('--require comes first, then the files, then the hardware, then the defaults; --without beats all', async () => {
    const st = loadStaticRequirements({ require: ['gpu,mpi'], without: ['ssh', 'infiniband'], pool: path.join(SHIPYARD, 'pool.yaml') });
    const r = await resolveRequirements(st, live('image', { host: fixtureHost(ND_H100) }));
    const src = Object.fromEntries(r.set.list().map((x) => [x.feature, x.source]));
    expect(src.gpu).toBe('--require');
    expect(src.mpi).toBe('--require');
    expect(src.docker).toBe('default');
    expect(src['auto-scratch']).toMatch(/pool\.yaml pool_specification\.per_job_auto_scratch/);
    // pool.yaml sets per_job_auto_scratch and ssh.username: both need the host's sshd; the first is reported.
    expect(src['ssh-access']).toMatch(/pool\.yaml pool_specification\.per_job_auto_scratch \(true: beeond/);
    expect(r.set.has('ssh')).toBe(false);
    expect(r.set.excluded()).toEqual([
      { feature: 'ssh', source: '--without (overrides default)' },
      { feature: 'infiniband', source: expect.stringMatching(/^--without \(overrides .*pool\.yaml pool_specification\.vm_size/) },
    ]);
    expect(r.settings).toEqual({
      expectedDistro: { family: 'ubuntu', version: '22.04', nodeAgent: 'batch.node.ubuntu 22.04' },
      expectedResourceMount: '/mnt',
      vmSize: { name: 'Standard_ND96isr_H100_v5', source: expect.stringMatching(/pool\.yaml pool_specification\.vm_size$/) },
    });
  });

  it('Singularity with MPI needs the host sshd (ssh-access), naming both sources; Singularity alone does not', async () => {
    const pool = path.join(tempTree({ 'pool.yaml': 'pool_specification:\n  container_runtimes:\n    install: [singularity]\n' }), 'pool.yaml');
    const both = await resolveRequirements(loadStaticRequirements({ require: ['mpi'], without: [], pool }), live('image', { detect: false }));
    expect(both.set.sourceOf('ssh-access')).toMatch(/^singularity \(.*container_runtimes\.install \(singularity\)\) with mpi \(--require\): Singularity MPI tasks reach the other nodes through the host's sshd$/);
    const alone = await resolveRequirements(loadStaticRequirements({ ...NO_FLAGS, pool }), live('image', { detect: false }));
    expect(alone.set.has('ssh-access')).toBe(false);
    const docker = await resolveRequirements(loadStaticRequirements({ require: ['mpi'], without: [] }), live('image', { detect: false }));
    expect(docker.set.has('ssh-access')).toBe(false);
  });

  it('--imds in start-task mode applies the VM size rules', async () => {
    const r = await resolveRequirements(loadStaticRequirements(NO_FLAGS), live('start-task', { imds: true, detect: false, env: { [IMDS_URL_ENV]: `${base}/h16r` } }));
    expect(r.set.list().find((x) => x.feature === 'infiniband')?.source).toMatch(/^instance metadata compute\.vmSize \(Standard_H16r: /);
    expect(r.set.has('gpu')).toBe(false);
    // The checks get the size too (rdma.devices decides SR-IOV or Network Direct from it).
    expect(r.settings.vmSize).toEqual({ name: 'Standard_H16r', source: 'instance metadata compute.vmSize' });
  });

  it('--imds that cannot be read is a note, and the run goes on', async () => {
    const r = await resolveRequirements(loadStaticRequirements(NO_FLAGS), live('start-task', { imds: true, detect: false, env: { [IMDS_URL_ENV]: `${base}/garbage` } }));
    expect(r.warnings).toEqual([`--imds: could not read compute.vmSize from ${base}/garbage: the answer is not JSON; the VM size adds no requirements`]);
  });

  it('--imds outside start-task mode is ignored with a note (and nothing is asked)', async () => {
    const before = seen.length;
    const r = await resolveRequirements(loadStaticRequirements(NO_FLAGS), live('image', { imds: true, env: { [IMDS_URL_ENV]: base } }));
    expect(seen.length).toBe(before);
    expect(r.warnings.join()).toMatch(/--imds ignored/);
  });

  it('--fs alone is still validated', () => {
    expect(() => loadStaticRequirements({ ...NO_FLAGS, fs: path.join(SHIPYARD, 'bad/syntax.yaml') })).toThrow(/--fs .*line 3/);
  });
});

describe('hardware detection beside a pool file', () => {
  it('stays on when the --batch-pool size is an unexpanded ARM expression (the size is unknown), and is off when the pool names a size', async () => {
    const gpuHost = { host: fixtureHost(ND_H100) };
    const arm = await resolveRequirements(loadStaticRequirements({ ...NO_FLAGS, batchPool: path.join(FIXTURES, 'batch/real/quickstart-no-public-ip.json') }), live('image', gpuHost));
    expect(arm.settings.vmSize).toBeUndefined();
    expect(arm.set.has('gpu')).toBe(true);
    const named = await resolveRequirements(loadStaticRequirements({ ...NO_FLAGS, batchPool: path.join(FIXTURES, 'batch/real/rest-pool-add-containers.json') }), live('image', gpuHost));
    expect(named.settings.vmSize).toBeDefined();
    expect(named.notes.join('\n')).not.toMatch(/hardware detection is off/);
  });
});
