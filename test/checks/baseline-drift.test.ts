// baseline.drift: the host against a golden-image baseline captured from a host that works (issue 23;
// anchors: goss `autoadd`, NHC's `nhc-genconf`). The fixture hosts/baseline-gpu-node says where each
// fact's file format comes from (README.txt there).
import { readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { baselineDrift } from '../../checks/baseline-drift';
import { gatherFacts } from '../../src/baseline/facts';
import { BASELINE_SCHEMA_VERSION, type Baseline } from '../../src/baseline/schema';
import { staticSkip } from '../../src/engine/select';
import { fixtureHost, runCheck, tempTree, type RunCheckOptions } from '../helpers/host';

const NODE = 'hosts/baseline-gpu-node';
const FIXTURE = `${__dirname}/../../fixtures/${NODE}`;

/** The baseline as `baseline capture` writes it, from the fixture read live or offline. */
async function captured(live: boolean, severity?: Baseline['severity']): Promise<Baseline> {
  const facts = await gatherFacts(fixtureHost(FIXTURE, { live, canExec: live }));
  return { schemaVersion: BASELINE_SCHEMA_VERSION, tool: { name: 'batch-preflight', version: '0.1.0' }, capturedAt: '2026-12-01T00:00:00.000Z', host: { hostname: 'golden', root: '/', mode: live ? 'image' : 'offline', live }, facts, ...(severity ? { severity } : {}) };
}

const opts = (doc: Baseline, live: boolean): RunCheckOptions => ({ live, canExec: live, settings: { mode: live ? 'image' : 'offline', baseline: { file: 'golden.json', doc } } });
const tree = (files: Parameters<typeof tempTree>[0]) => tempTree(files, NODE);
const dpkg = (edit: (text: string) => string) => edit(readFileSync(`${FIXTURE}/var/lib/dpkg/status`, 'utf8'));

describe('baseline.drift', () => {
  it.each([true, false])('passes on the host the baseline was captured from (live %s)', async (live) => {
    const r = await runCheck(baselineDrift, NODE, opts(await captured(live), live));
    expect(r.status).toBe('pass');
    // Offline, MOFED is unknown (ofed_info is not run): it is left out of the comparison and named.
    expect(r.message).toBe(`the ${live ? 18 : 17} facts of the baseline (golden.json, captured 2026-12-01T00:00:00.000Z on golden) are the same here${live ? '' : '; not compared, the baseline could not read them: mofed'}`);
  });

  it('fails when the loaded driver is another version, naming the old and the new', async () => {
    const r = await runCheck(baselineDrift, tree({ 'sys/module/nvidia/version': '550.90.07\n' }), opts(await captured(true), true));
    expect(r.status).toBe('fail');
    expect(r.message).toBe('nvidia.driver: 550.54.15 in the baseline, 550.90.07 now');
    expect(r.remediation).toBe('Not wanted: rebuild the image (or reimage the node) with nvidia.driver at 550.54.15. Wanted: capture the baseline again on a host that works (batch-preflight baseline capture > golden.json).');
    expect(r.retryable).toBe(false);
  });

  it('fails offline when the nvidia-driver package is another version, and when the newest kernel is another', async () => {
    const root = tree({ 'var/lib/dpkg/status': dpkg((t) => t.replace('550.54.15-0ubuntu0.22.04.2', '550.90.07-0ubuntu0.22.04.1')), 'lib/modules/5.15.0-1068-azure/modules.dep': '' });
    const r = await runCheck(baselineDrift, root, opts(await captured(false), false));
    expect(r.status).toBe('fail');
    expect(r.findings!.map((f) => `${f.status} ${f.message}`)).toEqual(['fail kernel: 5.15.0-1064-azure in the baseline, 5.15.0-1068-azure now', 'fail nvidia.driver: 550.54.15 in the baseline, 550.90.07 now']);
  });

  it('warns (not fails) when a package other than the driver stack changed: moby-engine', async () => {
    const r = await runCheck(baselineDrift, tree({ 'var/lib/dpkg/status': dpkg((t) => t.replace('25.0.3-ubuntu22.04u1', '26.1.0-1')) }), opts(await captured(false), false));
    expect(r.status).toBe('warn');
    expect(r.message).toBe('package:moby-engine: 25.0.3-ubuntu22.04u1 in the baseline, 26.1.0-1 now');
  });

  it('follows the baseline file\'s severity section: a driver change warns, a moby-engine change fails', async () => {
    const root = tree({ 'sys/module/nvidia/version': '550.90.07\n', 'var/lib/dpkg/status': dpkg((t) => t.replace('25.0.3-ubuntu22.04u1', '26.1.0-1')) });
    const r = await runCheck(baselineDrift, root, opts(await captured(true, { 'nvidia.driver': 'warn', 'package:moby-engine': 'fail' }), true));
    expect(r.findings!.map((f) => `${f.status} ${f.message}`)).toEqual(['fail package:moby-engine: 25.0.3-ubuntu22.04u1 in the baseline, 26.1.0-1 now', 'warn nvidia.driver: 550.54.15 in the baseline, 550.90.07 now']);
  });

  it('fails when CUDA is missing now (its version.json absent), and warns for a package installed since', async () => {
    const root = tree({ 'var/lib/dpkg/status': dpkg((t) => `${t}\nPackage: docker-ce\nStatus: install ok installed\nVersion: 5:27.3.1-1~ubuntu.22.04~jammy\n`) });
    rmSync(`${root}/usr/local/cuda/version.json`);
    const r = await runCheck(baselineDrift, root, opts(await captured(false), false));
    expect(r.findings!.map((f) => `${f.status} ${f.message}`)).toEqual(['fail cuda: 12.4.1 in the baseline, absent now', 'warn package:docker-ce: absent in the baseline, 5:27.3.1-1~ubuntu.22.04~jammy now']);
    expect(r.findings![1]!.remediation).toMatch(/^Not wanted: rebuild the image \(or reimage the node\) without package:docker-ce\. /);
  });

  it('errors, never passes, when the package database is not valid now: every package fact the baseline knew is unknown', async () => {
    const r = await runCheck(baselineDrift, tree({ 'var/lib/dpkg/status': 'garbage without a colon\n' }), opts(await captured(false), false));
    expect(r.status).toBe('error');
    expect(r.findings).toHaveLength(1);
    expect(r.message).toMatch(/^nvidia\.driver \(550\.54\.15 in the baseline\), nvidia\.fabricmanager \(nvidia-fabricmanager-550 550\.54\.15-1 in the baseline\), package:cifs-utils \(absent in the baseline\), .* cannot be read now, so they cannot be compared: unknown \(\/var\/lib\/dpkg\/status: line 1: not a "Field: value" line\)$/);
  });

  it('errors when CUDA\'s version.json is garbage now, and when ofed_info crashes', async () => {
    const root = tree({ 'usr/local/cuda/version.json': '{"cuda": 12', 'usr/bin/ofed_info': '#!/bin/sh\nexit 3\n' });
    const r = await runCheck(baselineDrift, root, opts(await captured(true), true));
    expect(r.findings!.map((f) => f.status)).toEqual(['error', 'error']);
    expect(r.findings![0]!.message).toBe('cuda (12.4.1 in the baseline) cannot be read now, so it cannot be compared: unknown (/usr/local/cuda/version.json has no cuda.version string)');
    expect(r.findings![1]!.message).toMatch(/^mofed \(MLNX_OFED_LINUX-23\.10-1\.1\.9\.0 in the baseline\) cannot be read now, so it cannot be compared: unknown \(ofed_info -s did not give a version: /);
  });

  it('does not compare a fact the baseline could not read (MOFED offline), and warns that an offline baseline and a live run read kernel and driver differently', async () => {
    const r = await runCheck(baselineDrift, NODE, opts(await captured(false), true));
    // Offline captures have no MOFED and the nvidia-driver package instead of the loaded module; the kernel is the newest installed.
    expect(r.findings!.map((f) => `${f.status} ${f.message}`)).toEqual([
      'warn the baseline read files only (offline mode) and this run reads the running system (image mode): kernel and nvidia.driver are read differently (running or loaded, against installed), so they may differ without a change',
    ]);
    expect(r.evidence).toMatchObject({ unknownInBaseline: ['mofed'] });
    expect(r.evidence!.same).toHaveLength(17);
  });

  it('errors, never passes, if run without a baseline at all', async () => {
    const r = await runCheck(baselineDrift, NODE, { settings: { mode: 'image' } });
    expect(r).toMatchObject({ status: 'error', message: 'no baseline to compare with (--baseline FILE)' });
  });

  it('is skipped by the engine without --baseline (kind no-baseline), never run to a pass', () => {
    expect(staticSkip(baselineDrift, { features: new Set(), mode: 'image' })).toEqual({ kind: 'no-baseline', reason: "applies only with --baseline FILE (a golden image's facts from `batch-preflight baseline capture`)" });
    expect(staticSkip(baselineDrift, { features: new Set(), mode: 'offline', baseline: true })).toBeNull();
  });
});
