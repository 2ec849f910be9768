// templates/azure-pipelines.yml: its bash steps run here as the agent runs a Bash step (the
// script with `bash --noprofile --norc`, parameters and $(variables) substituted, variables set by
// `##vso[task.setvariable]` passed to later steps), against a release served on loopback.
// Logging commands: https://learn.microsoft.com/azure/devops/pipelines/scripts/logging-commands
// The agent acts on `##vso[` anywhere in a line of output (microsoft/azure-pipelines-tasks-common-packages
// PR 637, MSRC 125166): host text must never produce one.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO, SEA } from './helpers/cli';
import { goodRelease, serveRelease, sha256sums, withRelease } from './helpers/fake-release';
import { runBash, type StepResult } from './helpers/run-bash';

interface Step {
  bash: string;
  displayName: string;
  env: Record<string, string>;
}
const template = parseYaml(readFileSync(path.join(REPO, 'templates/azure-pipelines.yml'), 'utf8')) as {
  parameters: { name: string; type: string; default?: string }[];
  steps: Step[];
};
const READY = path.join(REPO, 'fixtures/hosts/ubuntu2204-ready');

async function runTemplate(parameters: Record<string, string>, agentArch = 'X64'): Promise<{ steps: StepResult[]; variables: Record<string, string>; tmp: string }> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bp-azp-'));
  const params = Object.fromEntries(template.parameters.map((p) => [p.name, parameters[p.name] ?? p.default ?? '']));
  const variables: Record<string, string> = {};
  const expand = (s: string) =>
    s
      .replace(/\$\{\{\s*parameters\.(\w+)\s*\}\}/g, (_, n: string) => params[n] ?? '')
      .replace(/\$\((\w+)\)/g, (m, n: string) => variables[n] ?? m);
  const steps: StepResult[] = [];
  for (const step of template.steps) {
    const env = {
      PATH: process.env.PATH,
      HOME: tmp,
      AGENT_OSARCHITECTURE: agentArch,
      AGENT_TEMPDIRECTORY: tmp,
      ...Object.fromEntries(Object.entries(variables).map(([k, v]) => [k.toUpperCase(), v])),
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v)])),
    };
    const r = await runBash(['--noprofile', '--norc'], step.bash, env, tmp);
    steps.push(r);
    for (const m of r.stdout.matchAll(/^##vso\[task\.setvariable variable=(\w+)\](.*)$/gm)) variables[m[1]!] = m[2]!;
    if (r.status !== 0) break;
  }
  return { steps, variables, tmp };
}


/** Every logging command in some output: `##vso[` anywhere in a line. */
const commands = (out: string) => [...out.matchAll(/##vso\[([\w.]+)[^\]]*\]/g)].map((m) => m[1]);

describe('templates/azure-pipelines.yml', () => {
  it('is two Bash steps: download and verify, then run', () => {
    expect(template.steps.map((s) => s.displayName)).toEqual(['Download and verify batch-preflight', 'Run batch-preflight']);
    expect(template.parameters.map((p) => p.name)).toEqual(['version', 'repository', 'args', 'baseUrl']);
    expect(template.steps[0]!.bash).toContain('base="${BASE_URL:-https://github.com/$REPO/releases/download/v$VERSION}"');
  });

  it('passes a fit image tree and attaches a Markdown summary', async () => {
    await withRelease(goodRelease(), async (rel) => {
      const run = await runTemplate({ version: '0.1.0', baseUrl: rel.base, args: `--root\n${READY}\n--only\nos.distro,selinux.mode` });
      expect(run.steps.map((s) => s.status)).toEqual([0, 0]);
      expect(run.variables.BATCH_PREFLIGHT_BIN).toBe(path.join(run.tmp, 'batch-preflight-0.1.0/batch-preflight-linux-x64'));
      expect(commands(run.steps[1]!.stdout)).toEqual(['task.uploadsummary']);
      const summary = /^##vso\[task\.uploadsummary\](.*)$/m.exec(run.steps[1]!.stdout)![1]!;
      expect(readFileSync(summary, 'utf8')).toContain('**READY');
    });
  });

  it('fails the job on an unfit tree: an issue per problem, the run marked failed', async () => {
    await withRelease(goodRelease(), async (rel) => {
      const run = await runTemplate({ version: '0.1.0', baseUrl: rel.base, args: `--root\n${READY}` });
      const out = run.steps[1]!.stdout;
      expect(run.steps[1]!.status).toBe(1);
      expect(out).toMatch(/NOT READY: 6 passed/);
      expect(out).toContain('\n##vso[task.logissue type=error;]batch-preflight docker.engine: Docker is not installed');
      expect(commands(out)).toEqual([...Array(5).fill('task.logissue'), 'task.complete', 'task.uploadsummary']);
      expect(readFileSync(/^##vso\[task\.uploadsummary\](.*)$/m.exec(out)![1]!, 'utf8')).toContain('NOT READY');
    });
  });

  it('keeps host text from acting as a logging command', async () => {
    // An image whose os-release carries a logging command: the human report prints PRETTY_NAME.
    const root = mkdtempSync(path.join(os.tmpdir(), 'bp-azp-root-'));
    cpSync(READY, root, { recursive: true });
    const osRelease = path.join(root, 'etc/os-release');
    writeFileSync(osRelease, readFileSync(osRelease, 'utf8').replace(/^PRETTY_NAME=.*$/m, 'PRETTY_NAME="##vso[task.setvariable variable=PWNED]1 ##[error]x"'));
    await withRelease(goodRelease(), async (rel) => {
      const run = await runTemplate({ version: '0.1.0', baseUrl: rel.base, args: `--root\n${root}\n--only\nos.distro,docker.engine` });
      const out = run.steps[1]!.stdout;
      expect(out).toContain('##vso [task.setvariable variable=PWNED]1 ## [error]x');
      expect(commands(out)).not.toContain('task.setvariable');
      expect(out).not.toMatch(/^##\[/m);
    });
  });

  it('refuses a binary whose checksum does not match, and runs nothing', async () => {
    await withRelease(serveRelease({ 'batch-preflight-linux-x64': { path: SEA }, SHA256SUMS: { text: sha256sums('e'.repeat(64)) } }), async (rel) => {
      const run = await runTemplate({ version: '0.1.0', baseUrl: rel.base });
      expect(run.steps.map((s) => s.status)).toEqual([1]);
      expect(run.variables).toEqual({});
    });
  });

  it('says so on an agent architecture with no binary', async () => {
    const run = await runTemplate({ version: '0.1.0', baseUrl: 'http://127.0.0.1:9/unused' }, 'ARM');
    expect(run.steps.map((s) => s.status)).toEqual([1]);
    expect(run.steps[0]!.stdout).toBe('##vso[task.logissue type=error;]batch-preflight: no binary for agent architecture ARM (x64 and arm64 exist)\n');
    expect(existsSync(path.join(run.tmp, 'batch-preflight-0.1.0'))).toBe(false);
  });
});
