// Under --target batch no text a check shows may speak of Batch Shipyard or its node prep: not a
// message, fix, consequence or explain page. Every built-in check that applies to batch runs over
// every fixture host (as many verdict paths as the fixtures reach), every feature required, with
// and without a known RDMA size, and its `explain --target batch` page is read.
//
// Design: `explain <id> --target batch` shows batch's rule alone, so it must be clean too. Without
// --target, explain shows each target's rule labelled with its target (that may name Shipyard).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../checks/index';
import { explain } from '../src/cli/catalogue';
import { FEATURES, type Check, type CheckSettings } from '../src/types';
import { FIXTURES, fixtureHost, runCheck } from './helpers/host';
import { gatherFacts } from '../src/baseline/facts';

const SHIPYARD_WORDS = /node ?prep|shipyard/i;

/** Fixture hosts whose stub tools hang are left out: their verdict is the timeout's, tested elsewhere. */
const HOSTS = readdirSync(path.join(FIXTURES, 'hosts')).filter((h) => !/hang/.test(h));
const SETTINGS: Partial<CheckSettings>[] = [
  { target: 'batch' },
  { target: 'batch', mode: 'start-task', vmSize: { name: 'Standard_HB120rs_v3', source: 'test' } },
  { target: 'batch', mode: 'start-task', vmSize: { name: 'Standard_ND96isr_H100_v5', source: 'test' } },
];
const appliesToBatch = (c: Check) => !c.targets || c.targets.includes('batch');

/** Every text a check showed under batch over the fixtures: message, fixes, each finding's. */
async function textsUnderBatch(check: Check): Promise<string[]> {
  const texts: string[] = [];
  // A check against a baseline runs only with one (--baseline): that of a GPU node, which every other host drifts from.
  const facts = await gatherFacts(fixtureHost(path.join(FIXTURES, 'hosts/baseline-gpu-node')));
  const baseline = { file: 'golden.json', doc: { schemaVersion: 1 as const, tool: { name: 'batch-preflight' as const, version: '0' }, capturedAt: 'then', host: { hostname: 'golden', root: '/', mode: 'image', live: true }, facts } };
  for (const host of HOSTS) {
    // A check that compares with the VM size runs only when the size is known (src/engine/select.ts).
    for (const settings of SETTINGS.filter((s) => !check.needsVmSize || s.vmSize)) {
      const r = await runCheck(check, `hosts/${host}`, { features: [...FEATURES], settings: check.needsBaseline ? { ...settings, baseline } : settings, commandTimeoutMs: 1000 });
      texts.push(r.message, r.remediation ?? '', ...(r.findings ?? []).flatMap((f) => [f.message, f.remediation ?? '']));
    }
  }
  return texts;
}

describe('--target batch never speaks of Batch Shipyard node prep', () => {
  const checks = builtinChecks.filter(appliesToBatch);

  it.each(checks.map((c) => [c.id, c] as const))('%s: messages, fixes and the explain page', { timeout: 120_000 }, async (_id, check) => {
    const offenders = [...(await textsUnderBatch(check)), explain(check, 'batch')].filter((t) => SHIPYARD_WORDS.test(t));
    expect([...new Set(offenders)]).toEqual([]);
  });

  it('leaves out only the checks that belong to Batch Shipyard alone', () => {
    expect(builtinChecks.filter((c) => !appliesToBatch(c)).map((c) => c.id).sort()).toEqual(['azure.imds', 'docker.group', 'os.nodeprep-files', 'tools.nodeprep']);
  });

  it('the explain page without --target labels each rule with its target', () => {
    const page = explain(builtinChecks.find((c) => c.id === 'resource-disk.mount')!);
    expect(page).toContain('What a failure does on the node, --target shipyard (Batch Shipyard pools):');
    expect(page).toContain('What a failure does on the node, --target batch (plain Azure Batch pools):');
    expect(page).toContain('Per target:  batch-preflight explain resource-disk.mount --target batch');
  });
});
