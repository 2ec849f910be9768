// The built bundle with a plain Azure Batch pool: requirements with their file and JSON path, the
// target that decides which checks belong, the VM size the hardware checks compare against, and
// bad input as exit 2 with one line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/report/report';
import { bundleReport, sources } from '../helpers/bundle-report';
import { runBundle, runBundleAsync } from '../helpers/bundle';
import { FIXTURES } from '../helpers/host';

const BP = 'fixtures/batch';

const report = bundleReport;
const check = (r: Report, id: string) => r.checks.find((c) => c.id === id)!;


describe('--batch-pool', () => {
  it('a REST pool body: requirements with JSON paths, target batch, Shipyard-only checks skipped, no secret leaks', () => {
    const { r, stdout, stderr } = report(['--mode', 'image', '--batch-pool', `${BP}/pool-rest.json`, '--log-level', 'debug']);
    expect(Object.keys(sources(r))).toEqual(['docker', 'ssh', 'gpu', 'infiniband', 'nfs', 'blobfuse', 'azurefile']);
    expect(sources(r).docker).toBe(`${BP}/pool-rest.json:$.virtualMachineConfiguration.containerConfiguration.type (dockerCompatible: a Docker-compatible engine)`);
    expect(sources(r).ssh).toBe('default');
    expect(r.target).toEqual({ name: 'batch', reason: '--batch-pool' });
    expect(r.notes).toContain(`node communication simplified from ${BP}/pool-rest.json:$.targetNodeCommunicationMode`);
    expect(r.notes).toContainEqual(expect.stringMatching(/pulls images from myregistry\.azurecr\.io \(.*\), docker\.io \(.*\): outbound HTTPS/));
    // The docker group is Shipyard node prep's requirement: a plain Batch pool does not have it at all.
    expect(check(r, 'docker.group').skipReason).toBe('applies only when docker-group is required, and this host does not require it');
    for (const id of ['tools.nodeprep']) {
      expect(check(r, id).status).toBe('skip');
      expect(check(r, id).skipReason).toBe("applies only to Batch Shipyard pools (--target shipyard); this run's target is batch");
    }
    expect(check(r, 'docker.autostart').skipReason ?? '').not.toMatch(/target/);
    expect(check(r, 'hardware.gpus').skipReason).toBe("image mode: this machine builds the image and need not be of the pool's size (from the --batch-pool file); the comparison runs in start-task mode");
    expect(stdout + stderr).not.toContain('SECRET-CANARY');
  });

  it('--target shipyard overrides: docker.autostart is the one skipped', () => {
    const { r } = report(['--mode', 'image', '--batch-pool', `${BP}/pool-rest.json`, '--target', 'shipyard']);
    expect(check(r, 'docker.autostart').skipReason).toBe("applies only to plain Azure Batch pools (--target batch); this run's target is shipyard");
    expect(check(r, 'tools.nodeprep').skipReason ?? '').not.toMatch(/target/);
    expect(r.target).toEqual({ name: 'shipyard', reason: '--target shipyard' });
  });

  it('a pool without containers does not require docker; an ARM pool with criCompatible requires containerd', () => {
    const show = report(['--mode', 'image', '--batch-pool', `${BP}/pool-show.json`]);
    expect(Object.keys(sources(show.r))).toEqual(['ssh', 'infiniband', 'cifs']);
    expect(check(show.r, 'azurefile').status).not.toBe('skip');
    const arm = report(['--mode', 'image', '--batch-pool', `${BP}/pool-arm.json`]);
    expect(Object.keys(sources(arm.r))).toEqual(['ssh', 'gpu', 'nfs', 'containerd']);
    expect(check(arm.r, 'containerd.cri').status).not.toBe('skip');
  });

  it('Windows PowerShell 5.1 output (UTF-16 LE, PascalCase, enums as numbers) is read; an ARM template expression is no size', () => {
    const ps = report(['--mode', 'image', '--batch-pool', `${BP}/real/powershell51-depth10-utf16.json`]);
    expect(sources(ps.r).infiniband).toMatch(/^fixtures\/batch\/real\/powershell51-depth10-utf16\.json:\$\.VirtualMachineSize \(standard_hb120rs_v3: /);
    expect(ps.stderr).not.toMatch(/elevationLevel admin|waitForSuccess/);
    const arm = report(['--mode', 'image', '--batch-pool', `${BP}/real/quickstart-no-public-ip.json`]);
    expect(arm.stderr).toMatch(/\$\.resources\[2\]\.properties\.vmSize: the VM size is an unexpanded ARM template expression \(\[parameters\('vmSize'\)\]\), so it is unknown/);
    expect(sources(arm.r).gpu).toBeUndefined();
    expect(sources(arm.r).infiniband).toBeUndefined();
  });

  it('the start task warnings reach stderr in machine formats', () => {
    const { stderr } = report(['--mode', 'image', '--batch-pool', `${BP}/pool-show.json`]);
    expect(stderr).toMatch(/elevationLevel admin/);
    expect(stderr).toMatch(/waitForSuccess is false/);
  });

  it.each([
    [['--batch-pool', `${BP}/bad/vm-size-number.json`], `--batch-pool ${BP}/bad/vm-size-number.json: line 3: $.vmSize: expected a string, found a number`],
    [['--batch-pool', `${BP}/bad/windows-agent.json`], `--batch-pool ${BP}/bad/windows-agent.json: line 4: $.virtualMachineConfiguration.nodeAgentSkuId: is a Windows node agent; batch-preflight checks Linux nodes`],
    [['--batch-pool', `${BP}/bad/missing-comma.json`], `--batch-pool ${BP}/bad/missing-comma.json: line 3, column 3: not valid YAML or JSON`],
    [['--batch-pool', `${BP}/pool-rest.json`, '--pool', 'fixtures/shipyard/pool.yaml'], '--batch-pool and --pool: give either a plain Batch pool or Batch Shipyard files, not both'],
    [['--batch-pool', `${BP}/bad/utf32.json`], `--batch-pool ${BP}/bad/utf32.json: is UTF-32 text, which is not read; save it as UTF-8`],
    [['--batch-pool', `${BP}/bad/latin1.json`], `--batch-pool ${BP}/bad/latin1.json: is not valid UTF-8 (another code page?); save it as UTF-8`],
    [['--vm-size', 'Standard ND96'], '--vm-size: expected an Azure VM size name such as Standard_ND96isr_H100_v5'],
    [['--target', 'slurm'], 'Invalid values:'],
  ])('%j: exit 2, one line, nothing on stdout', (args, want) => {
    const run = runBundle(['--mode', 'image', ...args]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toHaveLength(2);
    expect(run.stderr.startsWith(`batch-preflight: ${want}`), run.stderr).toBe(true);
  });
});

describe('--vm-size', () => {
  it('derives gpu and infiniband; the hardware comparison waits for start-task mode', () => {
    const { r } = report(['--mode', 'image', '--vm-size', 'Standard_ND96isr_H100_v5']);
    expect(sources(r).gpu).toMatch(/^--vm-size \(Standard_ND96isr_H100_v5: /);
    expect(sources(r).infiniband).toMatch(/^--vm-size \(Standard_ND96isr_H100_v5: /);
    expect(check(r, 'hardware.infiniband').skipReason).toMatch(/^image mode: .*\(from --vm-size\)/);
    expect(r.notes ?? []).not.toContainEqual(expect.stringMatching(/target/));
  });

  it('without a size, the size checks say why they do not run', () => {
    const { r } = report(['--mode', 'image', '--no-detect', '--require', 'gpu']);
    expect(check(r, 'hardware.gpus').skipReason).toBe('the VM size is not known: give --vm-size, --batch-pool or --pool, or --imds in start-task mode');
    // pcie-link needs no size, but the pool's GPUs, which an image-build VM need not have.
    expect(check(r, 'hardware.pcie-link').skipKind).toBe('image-mode');
  });

  it('offline: the live hardware checks are skipped as such', () => {
    const { r } = report(['--root', path.join(FIXTURES, 'hosts/size-nd96isr-h100-v5'), '--vm-size', 'Standard_ND96isr_H100_v5']);
    expect(check(r, 'hardware.gpus').skipReason).toBe('offline root: this check needs the running host');
  });
});

describe('start-task mode on this machine (no GPU, no InfiniBand)', () => {
  let server: http.Server;
  let imds = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => res.writeHead(req.headers.metadata === 'true' ? 200 : 400).end(JSON.stringify({ compute: { vmSize: 'Standard_ND96isr_H100_v5' } })));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    imds = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata/instance`;
  });
  afterAll(() => server.close());

  it('the size from instance metadata is compared with the PCI bus and the InfiniBand ports', async () => {
    const shared = mkdtempSync(path.join(os.tmpdir(), 'bp-shared-'));
    const env = { AZ_BATCH_NODE_ID: 'n1', AZ_BATCH_TASK_WORKING_DIR: shared, AZ_BATCH_NODE_SHARED_DIR: shared, BATCH_PREFLIGHT_IMDS_URL: imds };
    const run = await runBundleAsync(['--imds', '--format', 'json', '--only', 'hardware.gpus,hardware.infiniband'], env);
    expect(run.status).toBe(1);
    const r = JSON.parse(run.stdout) as Report;
    expect(check(r, 'hardware.gpus').status).toBe('fail');
    expect(check(r, 'hardware.gpus').message).toMatch(/^the PCI bus shows 0 NVIDIA GPUs; Standard_ND96isr_H100_v5 has 8 NVIDIA H100 80GB GPUs: 8 missing from the bus$/);
    expect(check(r, 'hardware.infiniband').status).toBe('fail');
    expect(check(r, 'hardware.infiniband').message).toMatch(/^8 of the 8 InfiniBand ports of Standard_ND96isr_H100_v5 are missing \(0 found\)/);
  });
});
