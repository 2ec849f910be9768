// The recipes in examples/: their files parse, the pieces they rely on are there, and every
// batch-preflight command line in them is accepted by the built agent. Each command is run here
// against a fixture root in offline mode (its --mode is checked against the agent's choices, then
// replaced), with its other flags as written and its output files redirected to a temp dir.
// Each recipe's own shell commands (download the release, verify it against SHA256SUMS, run it)
// also run here, with sh as the recipe's runner would, against a release served on loopback
// (test/helpers/fake-release.ts): the GitHub URL is the only thing changed, and never fetched.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { XMLParser } from 'fast-xml-parser';
import { BUNDLE, REPO, SEA, runCli } from './helpers/cli';
import { goodRelease, serveRelease, sha256sums, seaSha256, type FakeRelease, withRelease } from './helpers/fake-release';
import type { StepResult } from './helpers/run-bash';
import { FIXTURES } from './helpers/host';

const EXAMPLES = path.join(REPO, 'examples');
const ROOT = path.join(FIXTURES, 'hosts/ubuntu2204-ready');
const read = (p: string) => readFileSync(path.join(EXAMPLES, p), 'utf8');

/**
 * Splits one simple command line into words as sh would: blanks separate words, quotes group.
 * Anything that would make the line more than one plain command is refused, not guessed at.
 */
function splitWords(line: string): string[] {
  if (/\$\(|`|[|;&<>]/.test(line.replace(/'[^']*'/g, "''"))) throw new Error(`not a single plain command: ${line}`);
  const words: string[] = [];
  const re = /(?:[^\s'"]+|'[^']*'|"(?:[^"\\]|\\.)*")+/g;
  for (const m of line.matchAll(re)) {
    words.push(m[0].replace(/'([^']*)'|"((?:[^"\\]|\\.)*)"/g, (_, s?: string, d?: string) => s ?? d!.replace(/\\(.)/g, '$1')));
  }
  return words;
}

/** The agent's arguments: the words after the one that runs batch-preflight. */
function agentArgs(words: string[]): { program: string; args: string[] } {
  const i = words.findIndex((w) => /^batch-preflight(-linux-(x64|arm64|\$a))?$/.test(path.basename(w)));
  if (i < 0) throw new Error(`no batch-preflight in: ${words.join(' ')}`);
  return { program: words[i]!, args: words.slice(i + 1) };
}

/** Value of a flag given as `--flag value` or `--flag=value`. */
function flag(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) return args[i + 1];
    if (args[i]!.startsWith(`--${name}=`)) return args[i]!.slice(name.length + 3);
  }
  return undefined;
}

function withFlag(args: string[], name: string, value: string | null): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}`) i++;
    else if (!args[i]!.startsWith(`--${name}=`)) out.push(args[i]!);
  }
  return value === null ? out : [...out, `--${name}`, value];
}

let modeChoices: string[];
beforeAll(() => {
  expect(existsSync(BUNDLE), 'run `npm run build` first').toBe(true);
  const help = runCli(['--help']).stdout;
  const line = help.split('\n').findIndex((l) => l.trimStart().startsWith('--mode'));
  modeChoices = [...help.split('\n').slice(line, line + 3).join(' ').matchAll(/"([a-z-]+)"/g)].map((m) => m[1]!);
  expect(modeChoices).toContain('offline');
});

interface Validated {
  status: number | null;
  stderr: string;
  /** The JSON report of the same invocation, to see what its flags asked for. */
  report: { requirements: { feature: string; source: string }[]; checks: { status: string; skipKind?: string }[] };
  /** The file its --output named, when it has one. */
  output?: string;
}

/** The agent's arguments made runnable here: offline on the fixture root, files in `tmp`. */
function offlineArgs(args: string[], tmp: string): { args: string[]; outputFile?: string } {
  const mode = flag(args, 'mode');
  if (mode !== undefined) expect(modeChoices, `--mode ${mode}`).toContain(mode);
  let a = withFlag(args, 'mode', 'offline');
  a = withFlag(a, 'root', ROOT);
  if (flag(a, 'report') !== undefined) a = withFlag(a, 'report', path.join(tmp, 'report.json'));
  // `--output FORMAT=FILE` keeps its format; a plain FILE stays plain.
  const output = flag(a, 'output');
  const outputFile = output !== undefined ? path.join(tmp, 'output') : undefined;
  if (outputFile) a = withFlag(a, 'output', `${/^[a-z-]+=/.exec(output!)?.[0] ?? ''}${outputFile}`);
  return { args: a, outputFile };
}

/** Runs the agent's arguments here as a user's command line would run there (see top). */
function validate(args: string[]): Validated {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bp-example-'));
  const { args: a, outputFile } = offlineArgs(args, tmp);
  const r = runCli(a);
  expect(r.stderr, a.join(' ')).not.toMatch(/^batch-preflight: /m);
  expect([0, 1], `${a.join(' ')}\n${r.stderr}`).toContain(r.status);
  const asJson = runCli(withFlag(withFlag(a, 'output', null), 'format', 'json'));
  expect([0, 1]).toContain(asJson.status);
  return { status: r.status, stderr: r.stderr, report: JSON.parse(asJson.stdout), output: outputFile && readFileSync(outputFile, 'utf8') };
}

const junitCases = (xml: string) => {
  const doc = new XMLParser({ ignoreAttributes: false }).parse(xml);
  const suites = [doc.testsuites?.testsuite ?? doc.testsuite].flat();
  return suites.flatMap((s: { testcase?: unknown }) => [s.testcase ?? []].flat());
};

const features = (v: Validated) => v.report.requirements.map((r) => r.feature);


/** Where every recipe downloads the release from: GitHub, at this package's version. */
const VERSION = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version as string;
const GITHUB = `https://github.com/OWNER/batch-preflight/releases/download/v${VERSION}`;
const X64 = 'batch-preflight-linux-x64';
const ARM64 = 'batch-preflight-linux-arm64';

/** A word as sh reads it back: single-quoted. */
const q = (w: string) => `'${w.replaceAll("'", `'\\''`)}'`;

/** Runs `script` with `shell -c` (sh is dash here, as on Ubuntu), without blocking the loopback server. */
function runShell(shell: string[], script: string, env: NodeJS.ProcessEnv, cwd: string): Promise<StepResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell[0]!, [...shell.slice(1), '-c', script], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A directory holding an `uname` that says this machine is arm64 (Azure Cobalt 100), to put first in PATH. */
function arm64Uname(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-uname-'));
  writeFileSync(path.join(dir, 'uname'), '#!/bin/sh\necho aarch64\n', { mode: 0o755 });
  return dir;
}

/** An arm64 "binary" that says it ran (this machine cannot run the real one), listed in SHA256SUMS. */
const ARM64_STUB = '#!/bin/sh\necho arm64 binary ran\n';
const arm64Release = () => {
  const sum = createHash('sha256').update(ARM64_STUB).digest('hex');
  return serveRelease({ [ARM64]: { text: ARM64_STUB }, SHA256SUMS: { text: `${sum}  ${ARM64}\n${seaSha256()}  ${X64}\n` } });
};
const tamperedRelease = () => serveRelease({ [X64]: { path: SEA }, SHA256SUMS: { text: sha256sums('e'.repeat(64)) } });


/**
 * A start task's script as it runs here: the release URL pointed at `rel`, and the agent's line
 * (`line`, found in `script`) given the offline arguments, with its JSON report in `tmp`.
 */
function startTaskHere(script: string, line: string, wd: string, rel: FakeRelease, tmp: string): string {
  expect(script).toContain(GITHUB);
  const { program, args } = agentArgs(splitWords(line.replaceAll('$AZ_BATCH_TASK_WORKING_DIR', wd)));
  const local = withFlag(offlineArgs(args, tmp).args, 'report', path.join(tmp, 'report.json'));
  return script.replaceAll(GITHUB, rel.base).replace(line, `${program} ${local.map(q).join(' ')}`);
}

/** The three runs every start task gets: a good release, a tampered one, and an arm64 machine. */
function startTaskRuns(shell: string[], scriptOf: () => { script: string; line: string; wd: string }): void {
  const env = (extraPath?: string) => ({ PATH: [extraPath, process.env.PATH].filter(Boolean).join(':'), HOME: os.tmpdir() });

  it('downloads the x64 release, verifies it against SHA256SUMS and runs it (the human report on stdout)', async () => {
    const { script, line, wd } = scriptOf();
    await withRelease(goodRelease(), async (rel) => {
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'bp-task-'));
      const r = await runShell(shell, startTaskHere(script, line, wd, rel, tmp), env(), tmp);
      expect([0, 1], r.stderr).toContain(r.status);
      expect(rel.requests).toEqual([`${new URL(rel.base).pathname}/${X64}`, `${new URL(rel.base).pathname}/SHA256SUMS`]);
      expect(r.stdout).toMatch(new RegExp(`^batch-preflight ${VERSION.replaceAll('.', '\\.')} on `));
      expect(r.stderr).not.toMatch(/^batch-preflight: (?!(NOT )?READY)/m);
      expect(JSON.parse(readFileSync(path.join(tmp, 'report.json'), 'utf8')).checks.length).toBeGreaterThan(0);
    });
  });

  it('stops before running a binary that does not match SHA256SUMS', async () => {
    const { script, line, wd } = scriptOf();
    await withRelease(tamperedRelease(), async (rel) => {
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'bp-task-'));
      const r = await runShell(shell, startTaskHere(script, line, wd, rel, tmp), env(), tmp);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/computed checksum did NOT match/);
      expect(r.stdout).not.toMatch(/^batch-preflight /m);
      expect(existsSync(path.join(tmp, 'report.json'))).toBe(false);
    });
  });

  it('on an arm64 machine, downloads and runs the arm64 binary', async () => {
    const { script, line, wd } = scriptOf();
    await withRelease(arm64Release(), async (rel) => {
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'bp-task-'));
      const r = await runShell(shell, startTaskHere(script, line, wd, rel, tmp), env(arm64Uname()), tmp);
      expect(r.status, r.stderr).toBe(0);
      expect(rel.requests.map((p) => path.basename(p))).toEqual([ARM64, 'SHA256SUMS']);
      expect(r.stdout).toBe('arm64 binary ran\n');
    });
  });
}

/** The node's working directory with the resource files the recipe ships in it. */
function workingDir(files: Record<string, string>): string {
  const wd = mkdtempSync(path.join(os.tmpdir(), 'bp-startup-wd-'));
  mkdirSync(path.join(wd, 'batch-preflight'));
  for (const [name, from] of Object.entries(files)) copyFileSync(path.join(EXAMPLES, from), path.join(wd, 'batch-preflight', name));
  return wd;
}

/** The download, verify and run steps of a start task, in this order, in a mktemp -d directory. */
function downloadsThenRuns(commands: string[], program: string): void {
  const at = (re: RegExp) => commands.findIndex((c) => re.test(c));
  const made = at(/^d=\$\(mktemp -d\); trap "rm -rf \$d" EXIT(;|$)/);
  const fetched = at(new RegExp(`^curl -fsSL .*${GITHUB.replaceAll('.', '\\.')}/batch-preflight-linux-\\$a .*${GITHUB.replaceAll('.', '\\.')}/SHA256SUMS$`));
  const checked = at(/grep "  batch-preflight-linux-\$a\\\$" SHA256SUMS \| sha256sum --check --strict --quiet -\)?$/);
  const ran = commands.findIndex((c) => c.startsWith(`${program} --mode `));
  expect([made, fetched, checked, ran].every((i) => i >= 0), commands.join('\n')).toBe(true);
  expect(made).toBeLessThan(fetched);
  expect(fetched).toBeLessThan(checked);
  expect(checked).toBeLessThan(ran);
}

describe('examples/shipyard', () => {
  const pool = parseYaml(read('shipyard/pool.yaml')).pool_specification;
  const config = parseYaml(read('shipyard/config.yaml'));
  const pre: string[] = pool.additional_node_prep.commands.pre;
  const line = pre.find((c) => / --mode start-task /.test(c))!;

  it('downloads the release and ships the configuration files as resource files', () => {
    expect(pool.vm_configuration.custom_image.node_agent).toBe('batch.node.ubuntu 22.04');
    expect(pool.vm_size).toMatch(/^standard_nc\d+r/i);
    expect(config.global_resources.volumes.shared_data_volumes.training_data.volume_driver).toBe('azureblob');
    const files = pool.resource_files as { blob_source: string; file_path: string; file_mode: string }[];
    for (const f of files) expect(Object.keys(f).sort()).toEqual(['blob_source', 'file_mode', 'file_path']);
    expect(files.map((f) => path.basename(f.file_path))).toEqual(['pool.yaml', 'config.yaml']);
    const { program, args } = agentArgs(splitWords(line));
    downloadsThenRuns(pre, program);
    expect(program).toBe('$d/batch-preflight-linux-$a');
    expect(flag(args, 'pool')).toBe(`$AZ_BATCH_TASK_WORKING_DIR/${files[0]!.file_path}`);
    expect(flag(args, 'config')).toBe(`$AZ_BATCH_TASK_WORKING_DIR/${files[1]!.file_path}`);
    expect(flag(args, 'mode')).toBe('start-task');
    expect(pool.reboot_on_start_task_failed).toBe(false);
  });

  it('waits for what is still starting at boot, with the deadline above the wait', () => {
    const { args } = agentArgs(splitWords(line));
    const wait = Number(flag(args, 'wait'));
    expect(wait).toBeGreaterThan(0);
    expect(Number(flag(args, 'deadline'))).toBeGreaterThan(wait + 10);
  });

  it("writes its Prometheus textfile where Shipyard's node_exporter reads it", () => {
    const { args } = agentArgs(splitWords(line));
    const prom = flag(args, 'output')!.match(/^prometheus=(.+\.prom)$/)![1]!;
    const ne = pool.prometheus.node_exporter;
    expect(ne.enabled).toBe(true);
    // Shipyard passes --no-collector.textfile first; the pool's options come after it.
    expect(ne.options).toContain('--collector.textfile');
    expect(ne.options).toContain(`--collector.textfile.directory=${path.dirname(prom)}`);
    const mkdir = pre.indexOf(`mkdir -p ${path.dirname(prom)}`);
    expect(mkdir).toBeGreaterThanOrEqual(0);
    expect(mkdir).toBeLessThan(pre.indexOf(line));
  });

  const onNode = () => workingDir({ 'pool.yaml': 'shipyard/pool.yaml', 'config.yaml': 'shipyard/config.yaml' });

  it('runs a start-task command line the agent accepts, with the requirements from the pool and config it ships', () => {
    const v = validate(agentArgs(splitWords(line.replaceAll('$AZ_BATCH_TASK_WORKING_DIR', onNode()))).args);
    expect(features(v)).toEqual(expect.arrayContaining(['gpu', 'infiniband', 'blobfuse', 'mpi']));
  });

  // Shipyard's start task: bash -c 'set -e; <additional_node_prep.commands.pre>; ...' (REFERENCE.md, node prep 3.9.1).
  // The mkdir under /var/lib is left out here (it is not the download's business and needs root).
  describe('its commands, run as the start task runs them', () => {
    startTaskRuns(['bash'], () => ({ script: `set -e; ${pre.filter((c) => !c.startsWith('mkdir -p /var/lib/')).join('; ')}`, line, wd: onNode() }));
  });
});

describe('examples/batch', () => {
  const pool = JSON.parse(read('batch/pool.json'));
  const start = pool.startTask;
  // Batch runs the command line without a shell; the recipe calls /bin/sh -c for the variables.
  const shell = splitWords(start.commandLine);
  const script = shell[2]!.split('; ');
  const line = script.find((c) => / --mode start-task /.test(c))!;

  it('a custom gallery image with containers, mounts and simplified communication', () => {
    expect(pool.virtualMachineConfiguration.imageReference.virtualMachineImageId).toMatch(/\/providers\/Microsoft\.Compute\/galleries\/[^/]+\/images\/[^/]+\/versions\//);
    expect(pool.virtualMachineConfiguration.containerConfiguration.type).toBe('dockerCompatible');
    expect(pool.mountConfiguration.map((m: object) => Object.keys(m)[0])).toEqual(['azureBlobFileSystemConfiguration', 'nfsMountConfiguration']);
    expect(pool.targetNodeCommunicationMode).toBe('simplified');
    expect(JSON.stringify(pool)).not.toMatch(/"(password|accountKey|sasKey)"/);
  });

  it('the start task downloads the release, ships the pool file, runs as admin and holds the node until it succeeds', () => {
    expect(start.userIdentity.autoUser.elevationLevel).toBe('admin');
    expect(start.waitForSuccess).toBe(true);
    expect(shell.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    const files = start.resourceFiles as { httpUrl: string; filePath: string; fileMode: string }[];
    expect(files.map((f) => path.basename(f.filePath))).toEqual(['pool.json']);
    const { program, args } = agentArgs(splitWords(line));
    expect(script[0]).toBe('set -e');
    // The download lands in the private directory itself: cd there right after making it.
    expect(script.slice(1, 5)).toEqual(['d=$(mktemp -d)', 'trap "rm -rf $d" EXIT', 'cd $d', 'a=$(uname -m | sed "s/x86_64/x64/;s/aarch64/arm64/")']);
    downloadsThenRuns(['d=$(mktemp -d); trap "rm -rf $d" EXIT', ...script.slice(4)], program);
    expect(program).toBe('./batch-preflight-linux-$a');
    expect(flag(args, 'batch-pool')).toBe(`$AZ_BATCH_TASK_WORKING_DIR/${files[0]!.filePath}`);
    expect(flag(args, 'mode')).toBe('start-task');
  });

  const onNode = () => workingDir({ 'pool.json': 'batch/pool.json' });

  it('runs a start-task command line the agent accepts, with the requirements from the pool file it ships', () => {
    const v = validate(agentArgs(splitWords(line.replaceAll('$AZ_BATCH_TASK_WORKING_DIR', onNode()))).args);
    expect(features(v)).toEqual(expect.arrayContaining(['docker', 'gpu', 'infiniband', 'blobfuse', 'nfs', 'mpi']));
    const docker = v.report.requirements.find((r) => r.feature === 'docker')!;
    expect(docker.source).toMatch(/pool\.json:\$\.virtualMachineConfiguration\.containerConfiguration\.type \(dockerCompatible/);
  });

  describe('its command line, run as Batch runs it (/bin/sh -c)', () => {
    startTaskRuns(['/bin/sh'], () => ({ script: shell[2]!, line, wd: onNode() }));
  });
});

describe('examples/packer', () => {
  const hcl = read('packer/batch-node.pkr.hcl');
  /** The string literals of every `inline = [...]` list, in order. */
  const inlines = [...hcl.matchAll(/inline\s*=\s*\[([\s\S]*?)\]/g)].map((m) => [...m[1]!.matchAll(/"(?:[^"\\]|\\.)*"/g)].map((s) => JSON.parse(s[0]) as string));
  const all = inlines.flat();
  const invocation = all.find((l) => /batch-preflight-linux-\$a --/.test(l))!;
  const runAt = inlines.findIndex((s) => s.includes(invocation));
  const DIR = '/var/lib/batch-preflight-build';
  /** A variable's default, and the provisioner's environment_vars with the variables put in. */
  const defaults = Object.fromEntries([...hcl.matchAll(/variable "(\w+)" \{[^}]*?default\s*=\s*"([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  const envVars = Object.fromEntries(
    [.../environment_vars\s*=\s*\[([^\]]*)\]/.exec(hcl)![1]!.matchAll(/"([^"]*)"/g)].map((m) => {
      const v = m[1]!.replace(/\$\{var\.(\w+)\}/g, (_, n: string) => defaults[n]!);
      return [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)];
    }),
  );

  it('downloads the release, runs it before deprovisioning, keeps the reports and fails on a non-zero exit', () => {
    expect(hcl).not.toMatch(/provisioner "file" \{\s*source/);
    expect(envVars.PREFLIGHT_BASE).toBe(GITHUB);
    const { program, args } = agentArgs(splitWords(invocation));
    expect(program).toBe('./batch-preflight-linux-$a');
    expect(flag(args, 'mode')).toBe('image');
    expect(flag(args, 'format')).toBe('human');
    expect(flag(args, 'vm-size')).toBe('$POOL_VM_SIZE');
    expect(envVars.POOL_VM_SIZE).toBe('Standard_ND96isr_H100_v5');
    const downloads = [...hcl.matchAll(/direction\s*=\s*"download"\s*source\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(downloads).toContain(flag(args, 'output')!.replace(/^junit=/, ''));
    expect(downloads).toContain(flag(args, 'report'));
    // The exit code is saved, then the reports are downloaded, then the build fails on it,
    // and only then is the VM generalised. No valid_exit_codes widens what counts as success.
    const at = (needle: string) => hcl.indexOf(needle);
    const run = inlines[runAt]!;
    expect(run.slice(0, 3)).toEqual(['set -eu', `mkdir -m 0700 ${DIR}`, `cd ${DIR}`]);
    expect(run.indexOf('set +e')).toBe(run.indexOf(invocation) - 1);
    expect(run.indexOf('grep "  batch-preflight-linux-$a\\$" SHA256SUMS | sha256sum --check --strict -')).toBeLessThan(run.indexOf('set +e'));
    expect(run[run.indexOf(invocation) + 1]).toBe(`echo $? > ${DIR}/rc`);
    expect(at('direction   = "download"')).toBeGreaterThan(at(invocation));
    expect(at('test \\"$rc\\" = 0')).toBeGreaterThan(at('direction   = "download"'));
    expect(at('/usr/sbin/waagent -force -deprovision+user')).toBeGreaterThan(at('test \\"$rc\\" = 0'));
    expect(hcl).not.toMatch(/valid_exit_codes\s*=/);
    // Root's files live in a directory made fresh under /var/lib, never under a fixed name in /tmp.
    expect(hcl).not.toMatch(/\/tmp\//);
  });

  it('runs a command line the agent accepts, writing JUnit with the required features', () => {
    const v = validate(agentArgs(splitWords(invocation.replace('"$POOL_VM_SIZE"', envVars.POOL_VM_SIZE!))).args);
    expect(features(v)).toEqual(expect.arrayContaining(['gpu', 'infiniband', 'mpi', 'blobfuse']));
    expect(junitCases(v.output!).length).toBe(v.report.checks.filter((c) => c.status !== 'skip' || c.skipKind === 'dependency').length);
  });

  /** The run provisioner and the last one, as Packer runs them (sh, as root), the directory moved to `dir`. */
  async function build(rel: FakeRelease, dir: string, extraPath?: string): Promise<{ run: StepResult; verdict: () => Promise<StepResult> }> {
    const env = { ...envVars, PREFLIGHT_BASE: rel.base, PATH: [extraPath, process.env.PATH].filter(Boolean).join(':'), HOME: os.tmpdir() };
    const here = (s: string[]) => s.join('\n').replaceAll(DIR, dir);
    const run = await runShell(['sh'], here(inlines[runAt]!), env, os.tmpdir());
    return { run, verdict: () => runShell(['sh'], here(inlines[runAt + 1]!), env, os.tmpdir()) };
  }

  it('on this machine (not of the pool size): the human report in the log, the reports kept, the build failed on the verdict, hardware comparisons skipped', async () => {
    await withRelease(goodRelease(), async (rel) => {
      const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-packer-')), 'build');
      const { run, verdict } = await build(rel, dir);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^${X64}: OK\\nbatch-preflight ${VERSION.replaceAll('.', '\\.')} on .*mode image`));
      expect(run.stdout).toMatch(/^. (NOT READY|READY): /m);
      const report = JSON.parse(readFileSync(path.join(dir, 'preflight.json'), 'utf8')) as { checks: { id: string; status: string; skipKind?: string; message: string }[] };
      expect(junitCases(readFileSync(path.join(dir, 'preflight.xml'), 'utf8')).length).toBeGreaterThan(0);
      // This machine is no Standard_ND96isr_H100_v5 (no GPU, no InfiniBand): the comparisons with the
      // pool's size and the looks at its devices skip with that reason (src/engine/select.ts, image-mode)...
      const imageMode = (id: string) => report.checks.find((x) => x.id === id)!;
      for (const id of ['hardware.gpus', 'hardware.infiniband', 'nvidia.fabricmanager']) {
        expect(imageMode(id), id).toMatchObject({ status: 'skip', skipKind: 'image-mode' });
        expect(imageMode(id).message).toContain("need not be of the pool's size (from --vm-size)");
      }
      for (const id of ['rdma.devices', 'hardware.pcie-link']) {
        expect(imageMode(id), id).toMatchObject({ status: 'skip', skipKind: 'image-mode' });
        expect(imageMode(id).message).toContain("need not have the pool's GPUs or InfiniBand devices");
      }
      // ...and the driver and verbs checks judge what the image has installed, not the build VM's devices.
      const findings = JSON.stringify(report.checks.filter((c) => ['nvidia.driver', 'rdma.userland'].includes(c.id)));
      expect(findings).not.toMatch(/module is not loaded|found no RDMA device|lists no device|no NVIDIA display/);
      const rc = Number(readFileSync(path.join(dir, 'rc'), 'utf8'));
      expect(rc).toBe(report.checks.some((c) => c.status === 'fail' || c.status === 'error') ? 1 : 0);
      const v = await verdict();
      expect(v.stdout).toBe(`batch-preflight exit code: ${rc}\n`);
      expect(v.status === 0).toBe(rc === 0);
      expect(existsSync(dir)).toBe(false);
    });
  });

  it('a binary that does not match SHA256SUMS never runs, and the build fails', async () => {
    await withRelease(tamperedRelease(), async (rel) => {
      const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-packer-')), 'build');
      const { run, verdict } = await build(rel, dir);
      expect(run.status).not.toBe(0);
      expect(run.stdout).toBe(`${X64}: FAILED\n`);
      expect(existsSync(path.join(dir, 'rc'))).toBe(false);
      expect((await verdict()).status).not.toBe(0);
    });
  });

  it('a directory left by someone else fails the build before anything is downloaded', async () => {
    await withRelease(goodRelease(), async (rel) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-packer-'));
      const { run } = await build(rel, dir);
      expect(run.status).not.toBe(0);
      expect(rel.requests).toEqual([]);
    });
  });

  it('on an arm64 build VM, downloads the arm64 binary', async () => {
    await withRelease(arm64Release(), async (rel) => {
      const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-packer-')), 'build');
      const { run } = await build(rel, dir, arm64Uname());
      expect(rel.requests.map((p) => path.basename(p))).toEqual([ARM64, 'SHA256SUMS']);
      expect(run.stdout).toBe(`${ARM64}: OK\narm64 binary ran\n`);
    });
  });
});

describe('examples/ci', () => {
  const dockerfile = read('ci/Dockerfile');
  const gha = parseYaml(read('ci/github-actions.yml'));
  const azp = parseYaml(read('ci/azure-pipelines.yml'));
  /** The Dockerfile's RUN instructions, continuation lines joined. */
  const runs = [...dockerfile.replace(/\\\n/g, ' ').matchAll(/^RUN (.*)$/gm)].map((m) => m[1]!);
  const aptPackages = runs.find((r) => r.includes('apt-get install'))!.split(/\s+/).filter((w) => /^[a-z0-9][a-z0-9.+-]+$/.test(w));
  const base = /^ARG BATCH_PREFLIGHT_BASE=(\S+)$/m.exec(dockerfile)![1]!;

  it('Dockerfile: installs what a custom image would, downloads the release, and runs it in container mode', () => {
    for (const pkg of ['docker.io', 'nfs-common', 'glusterfs-client', 'cifs-utils', 'openmpi-bin', 'openssh-server', 'rdma-core']) expect(aptPackages).toContain(pkg);
    expect(base).toBe(GITHUB);
    expect(dockerfile).not.toMatch(/^(COPY|ADD) /m);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    const { args } = agentArgs(cmd);
    expect(flag(args, 'mode')).toBe('container');
    validate(args);
  });

  it("Dockerfile: installs every package the agent's own fixes name for a bare Ubuntu 22.04 with the CI's requirements", () => {
    // The CI's requirements, on a root with none of the packages: each failing check's remediation
    // names the Ubuntu packages it wants (python2 and python-is-python2 for node prep's `python`,
    // sudo for /etc/sudoers, ...). The image must install them all.
    const step = gha.jobs.preflight.steps.find((s: { run?: string }) => s.run?.includes('batch-preflight --')).run as string;
    const require = flag(agentArgs(splitWords(step.trim())).args, 'require')!;
    const r = runCli(['--mode', 'offline', '--root', ROOT, '--require', require, '--format', 'json']);
    const report = JSON.parse(r.stdout) as { checks: { id: string; status: string; remediation?: string }[] };
    const wanted = new Set<string>();
    for (const c of report.checks.filter((x) => x.status === 'fail' || x.status === 'error')) {
      for (const m of (c.remediation ?? '').matchAll(/apt-get install -y ((?:[-\w.+=:]+ ?)+)/g)) {
        for (const w of m[1]!.split(' ')) if (w && !w.startsWith('-') && !w.includes('=')) wanted.add(w);
      }
    }
    expect([...wanted]).toEqual(expect.arrayContaining(['python2', 'python-is-python2', 'sudo', 'curl', 'docker.io']));
    for (const pkg of wanted) expect(aptPackages, `${pkg} (named by the agent's fix)`).toContain(pkg);
    // waagent.resource-disk warns without /etc/waagent.conf, which the Ubuntu package walinuxagent ships.
    expect(aptPackages).toContain('walinuxagent');
  });

  it("Dockerfile: its download step fetches the release for the machine's architecture and installs it only when it matches SHA256SUMS", async () => {
    const step = runs.find((r) => r.includes('SHA256SUMS'))!;
    const at = (dir: string) => step.replaceAll('/usr/local/bin/batch-preflight', path.join(dir, 'batch-preflight'));
    await withRelease(goodRelease(), async (rel) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-image-'));
      const r = await runShell(['/bin/sh'], at(dir), { PATH: process.env.PATH, BATCH_PREFLIGHT_BASE: rel.base }, dir);
      expect(r.status, r.stderr).toBe(0);
      expect(rel.requests.map((p) => path.basename(p))).toEqual([X64, 'SHA256SUMS']);
      expect(statSync(path.join(dir, 'batch-preflight')).mode & 0o777).toBe(0o755);
      expect(createHash('sha256').update(readFileSync(path.join(dir, 'batch-preflight'))).digest('hex')).toBe(seaSha256());
    });
    await withRelease(tamperedRelease(), async (rel) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-image-'));
      const r = await runShell(['/bin/sh'], at(dir), { PATH: process.env.PATH, BATCH_PREFLIGHT_BASE: rel.base }, dir);
      expect(r.status).not.toBe(0);
      expect(existsSync(path.join(dir, 'batch-preflight'))).toBe(false);
    });
    await withRelease(arm64Release(), async (rel) => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-image-'));
      const r = await runShell(['/bin/sh'], at(dir), { PATH: `${arm64Uname()}:${process.env.PATH}`, BATCH_PREFLIGHT_BASE: rel.base }, dir);
      expect(r.status, r.stderr).toBe(0);
      expect(readFileSync(path.join(dir, 'batch-preflight'), 'utf8')).toBe(ARM64_STUB);
    });
  });

  it('GitHub Actions: builds the image, runs the agent in it and publishes the JUnit file even on failure', () => {
    const steps = gha.jobs.preflight.steps as { run?: string; uses?: string; if?: string; with?: Record<string, unknown> }[];
    expect(JSON.stringify(steps)).not.toMatch(/npm|setup-node/);
    const runIdx = steps.findIndex((s) => s.run?.includes('batch-preflight --'));
    const pubIdx = steps.findIndex((s) => s.uses?.startsWith('mikepenz/action-junit-report@'));
    expect(steps.findIndex((s) => s.run?.startsWith('docker build -f examples/ci/Dockerfile '))).toBeLessThan(runIdx);
    expect(pubIdx).toBeGreaterThan(runIdx);
    expect(steps[pubIdx]!.if).toMatch(/failure\(\)|always\(\)/);
    expect(gha.permissions.checks).toBe('write');
    const words = splitWords(steps[runIdx]!.run!.trim());
    const { args } = agentArgs(words);
    expect(flag(args, 'mode')).toBe('container');
    expect(flag(args, 'format')).toBe('junit');
    // The container writes --output in its working dir /work, mounted from ./preflight.
    expect(words).toContain('$PWD/preflight:/work');
    expect(steps[pubIdx]!.with!.report_paths).toBe(`preflight/${flag(args, 'output')}`);
    const v = validate(args);
    expect(features(v)).toEqual(expect.arrayContaining(['mpi', 'nfs', 'glusterfs', 'azurefile']));
    expect(junitCases(v.output!).length).toBe(v.report.checks.filter((c) => c.status !== 'skip' || c.skipKind === 'dependency').length);
  });

  it('Azure Pipelines: same run, published with PublishTestResults@2 even on failure', () => {
    const steps = azp.steps as { script?: string; task?: string; condition?: string; inputs?: Record<string, unknown> }[];
    expect(JSON.stringify(steps)).not.toMatch(/npm|NodeTool/);
    const runIdx = steps.findIndex((s) => s.script?.includes('batch-preflight --'));
    const pubIdx = steps.findIndex((s) => s.task === 'PublishTestResults@2');
    expect(pubIdx).toBeGreaterThan(runIdx);
    expect(steps[pubIdx]!.condition).toBe('succeededOrFailed()');
    expect(steps[pubIdx]!.inputs).toMatchObject({ testResultsFormat: 'JUnit', failTaskOnFailedTests: true });
    // $(Build.SourcesDirectory) is a pipeline macro, replaced before the shell sees the line.
    const script = steps[runIdx]!.script!.trim();
    expect(script).toContain('"$(Build.SourcesDirectory)/preflight:/work"');
    const { args } = agentArgs(splitWords(script.replaceAll('$(Build.SourcesDirectory)', '/agent/_work/1/s')));
    expect(steps[pubIdx]!.inputs!.testResultsFiles).toBe(`preflight/${flag(args, 'output')}`);
    const v = validate(args);
    expect(junitCases(v.output!).length).toBe(v.report.checks.filter((c) => c.status !== 'skip' || c.skipKind === 'dependency').length);
  });
});

describe('README', () => {
  it('links every recipe from its Recipes section', () => {
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Recipes'));
    expect(readme).toContain('## Recipes');
    for (const p of ['examples/shipyard/', 'examples/batch/', 'examples/packer/batch-node.pkr.hcl', 'examples/ci/Dockerfile', 'examples/ci/github-actions.yml', 'examples/ci/azure-pipelines.yml']) {
      expect(section).toContain(`(${p}`);
      expect(existsSync(path.join(REPO, p))).toBe(true);
    }
  });
});
