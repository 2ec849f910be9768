// action.yml, the GitHub Action: its composite steps run here with bash exactly as a runner runs
// them (`bash --noprofile --norc -eo pipefail`, inputs and step outputs substituted into their env,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as files), against a release served on loopback. Workflow
// commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/cli';
import { goodRelease, serveRelease, sha256sums, withRelease } from './helpers/fake-release';
import { SEA } from './helpers/cli';
import { runBash, type StepResult } from './helpers/run-bash';

interface Step {
  id: string;
  shell: string;
  env: Record<string, string>;
  run: string;
}
const action = parseYaml(readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};
const READY = path.join(REPO, 'fixtures/hosts/ubuntu2204-ready');

interface ActionRun {
  steps: (StepResult & { id: string })[];
  outputs: Record<string, Record<string, string>>;
  summary: string;
  tmp: string;
}

/** Runs the action's steps in order, stopping at the first that fails, as a composite action does. */
async function runAction(inputs: Record<string, string>, runner: { arch?: string } = {}): Promise<ActionRun> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bp-action-'));
  const summary = path.join(tmp, 'summary.md');
  writeFileSync(summary, '');
  const withDefaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, inputs[k] ?? v.default ?? '']));
  const outputs: Record<string, Record<string, string>> = {};
  const lookup = (ref: string): string => {
    let m: RegExpExecArray | null;
    if ((m = /^inputs\.([\w-]+)$/.exec(ref))) return withDefaults[m[1]!] ?? '';
    if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(ref))) return outputs[m[1]!]?.[m[2]!] ?? '';
    if (ref === 'github.action_repository') return 'OWNER/batch-preflight';
    throw new Error(`the test does not know the expression ${ref}`);
  };
  // `a || b`: the first non-empty, as GitHub's expressions give for strings.
  const expand = (s: string) => s.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, e: string) => e.split('||').map((p) => lookup(p.trim())).find((v) => v !== '') ?? '');
  const results: ActionRun['steps'] = [];
  for (const step of action.runs.steps) {
    const out = path.join(tmp, `${step.id}.out`);
    writeFileSync(out, '');
    const env = {
      PATH: process.env.PATH,
      HOME: tmp,
      RUNNER_ARCH: runner.arch ?? 'X64',
      RUNNER_TEMP: tmp,
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: summary,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v)])),
    };
    const r = await runBash(['--noprofile', '--norc', '-eo', 'pipefail'], step.run, env, tmp);
    results.push({ id: step.id, ...r });
    outputs[step.id] = Object.fromEntries(
      readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    if (r.status !== 0) break;
  }
  return { steps: results, outputs, summary: readFileSync(summary, 'utf8'), tmp };
}


describe('action.yml', () => {
  it('is a composite action of bash steps that needs only a version', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.runs.steps.map((s) => [s.id, s.shell])).toEqual([
      ['fetch', 'bash'],
      ['run', 'bash'],
    ]);
    expect(Object.entries(action.inputs).filter(([, v]) => v.required).map(([k]) => k)).toEqual(['version']);
    expect(action.outputs.report!.value).toBe('${{ steps.run.outputs.report }}');
    // Without base-url it downloads from the repository's GitHub release of that version.
    expect(action.runs.steps[0]!.run).toContain('base="${BASE_URL:-https://github.com/$REPO/releases/download/v$VERSION}"');
  });

  it('passes a fit image tree: the report in the log, a READY notice, a summary and the report path', async () => {
    await withRelease(goodRelease(), async (rel) => {
      const run = await runAction({ version: '0.1.0', 'base-url': rel.base, args: `--root\n${READY}\n\n--only\nos.distro,selinux.mode\n` });
      expect(run.steps.map((s) => [s.id, s.status])).toEqual([
        ['fetch', 0],
        ['run', 0],
      ]);
      expect(rel.requests).toEqual(['/OWNER/batch-preflight/releases/download/v0.1.0/batch-preflight-linux-x64', '/OWNER/batch-preflight/releases/download/v0.1.0/SHA256SUMS']);
      expect(run.steps[0]!.stdout).toBe('batch-preflight-linux-x64: OK\n');
      expect(run.steps[1]!.stdout).toMatch(/\n. READY: 2 passed/);
      expect(run.steps[1]!.stdout.trimEnd().split('\n').at(-1)).toBe('::notice title=batch-preflight::READY');
      expect(run.summary).toMatch(/^## batch-preflight fleet summary\n/);
      expect(run.summary).toContain('**READY');
      expect(JSON.parse(readFileSync(run.outputs.run!.report!, 'utf8')).summary.ok).toBe(true);
    });
  });

  it('fails the job on an unfit tree, with an annotation per problem, the report shown with commands off', async () => {
    await withRelease(goodRelease(), async (rel) => {
      const run = await runAction({ version: '0.1.0', 'base-url': rel.base, args: `--root\n${READY}` });
      const log = run.steps[1]!;
      expect(log.status).toBe(1);
      const lines = log.stdout.split('\n');
      const stop = lines.findIndex((l) => l.startsWith('::stop-commands::'));
      const token = lines[stop]!.slice('::stop-commands::'.length);
      const resume = lines.indexOf(`::${token}::`);
      expect(token).toMatch(/^batch-preflight-\d+$/);
      // The whole human report sits between stop and resume; the annotations come after.
      expect(lines.slice(stop + 1, resume).join('\n')).toMatch(/^batch-preflight 0\.1\.0 on .*\n[^]*FAIL {2}docker\.engine[^]*NOT READY/);
      expect(lines.slice(resume + 1)).toContain('::error title=batch-preflight docker.engine::Docker is not installed: neither dockerd nor docker is in the default PATH%0Afix: apt-get update && apt-get install -y docker.io (or docker-ce and docker-ce-cli from download.docker.com)');
      expect(lines.slice(resume + 1).filter(Boolean).at(-1)).toMatch(/^::error title=batch-preflight::NOT READY: /);
      expect(run.summary).toContain('NOT READY');
      expect(run.outputs.run!.report).toBe(path.join(run.tmp, 'batch-preflight/report.json'));
    });
  });

  it('refuses a binary whose checksum does not match, and runs nothing', async () => {
    await withRelease(serveRelease({ 'batch-preflight-linux-x64': { path: SEA }, SHA256SUMS: { text: sha256sums('f'.repeat(64)) } }), async (rel) => {
      const run = await runAction({ version: '0.1.0', 'base-url': rel.base });
      expect(run.steps.map((s) => [s.id, s.status])).toEqual([['fetch', 1]]);
      expect(run.steps[0]!.stdout + run.steps[0]!.stderr).toMatch(/batch-preflight-linux-x64: FAILED/);
      expect(run.outputs.fetch).toEqual({});
    });
  });

  it('refuses a SHA256SUMS that does not list the binary', async () => {
    await withRelease(serveRelease({ 'batch-preflight-linux-x64': { path: SEA }, SHA256SUMS: { text: sha256sums(undefined, false) } }), async (rel) => {
      const run = await runAction({ version: '0.1.0', 'base-url': rel.base });
      expect(run.steps.map((s) => [s.id, s.status])).toEqual([['fetch', 1]]);
    });
  });

  it('fails on a release that has no such version', async () => {
    await withRelease(serveRelease({}), async (rel) => {
      const run = await runAction({ version: '0.1.0', 'base-url': rel.base });
      expect(run.steps.map((s) => [s.id, s.status])).toEqual([['fetch', 22]]);
      expect(run.steps[0]!.stderr).toMatch(/404/);
    });
  });

  it('says so on a runner architecture with no binary', async () => {
    const run = await runAction({ version: '0.1.0', 'base-url': 'http://127.0.0.1:9/unused' }, { arch: 'ARM' });
    expect(run.steps.map((s) => [s.id, s.status])).toEqual([['fetch', 1]]);
    expect(run.steps[0]!.stdout).toBe('::error title=batch-preflight::no binary for runner architecture ARM (x64 and arm64 exist)\n');
    expect(existsSync(path.join(run.tmp, 'batch-preflight-0.1.0', 'batch-preflight-linux-x64'))).toBe(false);
  });
});
