// The recipes in examples/: their files parse, the pieces they rely on are there, and every
// batch-preflight command line in them is accepted by the built agent. Each command is run here
// against a fixture root in offline mode (its --mode is checked against the agent's choices, then
// replaced), with its other flags as written and its output files redirected to a temp dir.
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { XMLParser } from 'fast-xml-parser';
import { BUNDLE, REPO, runCli } from './helpers/cli';
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
  const i = words.findIndex((w) => /^batch-preflight(-linux-x64)?$/.test(path.basename(w)));
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

/** Runs the agent's arguments here as a user's command line would run there (see top). */
function validate(args: string[]): Validated {
  const mode = flag(args, 'mode');
  if (mode !== undefined) expect(modeChoices, `--mode ${mode}`).toContain(mode);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bp-example-'));
  let a = withFlag(args, 'mode', 'offline');
  a = withFlag(a, 'root', ROOT);
  if (flag(a, 'report') !== undefined) a = withFlag(a, 'report', path.join(tmp, 'report.json'));
  const outputFile = flag(a, 'output') !== undefined ? path.join(tmp, 'output') : undefined;
  if (outputFile) a = withFlag(a, 'output', outputFile);
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

describe('examples/shipyard', () => {
  const pool = parseYaml(read('shipyard/pool.yaml')).pool_specification;
  const config = parseYaml(read('shipyard/config.yaml'));
  const pre: string[] = pool.additional_node_prep.commands.pre;
  const line = pre.find((c) => c.includes('batch-preflight'))!;

  it('ships the binary and the configuration files as resource files', () => {
    expect(pool.vm_configuration.custom_image.node_agent).toBe('batch.node.ubuntu 22.04');
    expect(pool.vm_size).toMatch(/^standard_nc\d+r/i);
    expect(config.global_resources.volumes.shared_data_volumes.training_data.volume_driver).toBe('azureblob');
    const files = pool.resource_files as { blob_source: string; file_path: string; file_mode: string }[];
    for (const f of files) expect(Object.keys(f).sort()).toEqual(['blob_source', 'file_mode', 'file_path']);
    const byName = Object.fromEntries(files.map((f) => [path.basename(f.file_path), f]));
    expect(byName['batch-preflight-linux-x64']!.file_mode).toBe('0755');
    expect(byName['pool.yaml']).toBeDefined();
    expect(byName['config.yaml']).toBeDefined();
    // The command runs what the resource files put in the start task's working directory.
    const { program, args } = agentArgs(splitWords(line));
    expect(program).toBe(`$AZ_BATCH_TASK_WORKING_DIR/${byName['batch-preflight-linux-x64']!.file_path}`);
    expect(flag(args, 'pool')).toBe(`$AZ_BATCH_TASK_WORKING_DIR/${byName['pool.yaml']!.file_path}`);
    expect(flag(args, 'config')).toBe(`$AZ_BATCH_TASK_WORKING_DIR/${byName['config.yaml']!.file_path}`);
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

  /** The node's working directory with the resource files in it, and the command as it runs there. */
  function onNode(): string[] {
    const wd = mkdtempSync(path.join(os.tmpdir(), 'bp-startup-wd-'));
    mkdirSync(path.join(wd, 'batch-preflight'));
    copyFileSync(path.join(EXAMPLES, 'shipyard/pool.yaml'), path.join(wd, 'batch-preflight/pool.yaml'));
    copyFileSync(path.join(EXAMPLES, 'shipyard/config.yaml'), path.join(wd, 'batch-preflight/config.yaml'));
    return agentArgs(splitWords(line.replaceAll('$AZ_BATCH_TASK_WORKING_DIR', wd))).args;
  }

  it('runs a start-task command line the agent accepts', () => {
    const v = validate(onNode());
    expect(features(v)).toContain('mpi');
  });

  it('takes the requirements from the pool and config it ships', () => {
    const v = validate(onNode());
    expect(features(v)).toEqual(expect.arrayContaining(['gpu', 'infiniband', 'blobfuse', 'mpi']));
  });
});

describe('examples/batch', () => {
  const pool = JSON.parse(read('batch/pool.json'));
  const start = pool.startTask;
  // Batch runs the command line without a shell; the recipe calls /bin/sh -c for the variables.
  const shell = splitWords(start.commandLine);

  it('a custom gallery image with containers, mounts and simplified communication', () => {
    expect(pool.virtualMachineConfiguration.imageReference.virtualMachineImageId).toMatch(/\/providers\/Microsoft\.Compute\/galleries\/[^/]+\/images\/[^/]+\/versions\//);
    expect(pool.virtualMachineConfiguration.containerConfiguration.type).toBe('dockerCompatible');
    expect(pool.mountConfiguration.map((m: object) => Object.keys(m)[0])).toEqual(['azureBlobFileSystemConfiguration', 'nfsMountConfiguration']);
    expect(pool.targetNodeCommunicationMode).toBe('simplified');
    expect(JSON.stringify(pool)).not.toMatch(/"(password|accountKey|sasKey)"/);
  });

  it('the start task ships the binary and the pool file, runs as admin and holds the node until it succeeds', () => {
    expect(start.userIdentity.autoUser.elevationLevel).toBe('admin');
    expect(start.waitForSuccess).toBe(true);
    expect(shell.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    const byName = Object.fromEntries((start.resourceFiles as { httpUrl: string; filePath: string; fileMode: string }[]).map((f) => [path.basename(f.filePath), f]));
    expect(byName['batch-preflight-linux-x64']!.fileMode).toBe('0755');
    const { program, args } = agentArgs(splitWords(shell[2]!));
    expect(program).toBe(`$AZ_BATCH_TASK_WORKING_DIR/${byName['batch-preflight-linux-x64']!.filePath}`);
    expect(flag(args, 'batch-pool')).toBe(`$AZ_BATCH_TASK_WORKING_DIR/${byName['pool.json']!.filePath}`);
    expect(flag(args, 'mode')).toBe('start-task');
  });

  it('runs a start-task command line the agent accepts, with the requirements from the pool file it ships', () => {
    const wd = mkdtempSync(path.join(os.tmpdir(), 'bp-startup-wd-'));
    mkdirSync(path.join(wd, 'batch-preflight'));
    copyFileSync(path.join(EXAMPLES, 'batch/pool.json'), path.join(wd, 'batch-preflight/pool.json'));
    const { args } = agentArgs(splitWords(shell[2]!.replaceAll('$AZ_BATCH_TASK_WORKING_DIR', wd)));
    const v = validate(args);
    expect(features(v)).toEqual(expect.arrayContaining(['docker', 'gpu', 'infiniband', 'blobfuse', 'nfs', 'mpi']));
    const docker = v.report.requirements.find((r) => r.feature === 'docker')!;
    expect(docker.source).toMatch(/pool\.json:\$\.virtualMachineConfiguration\.containerConfiguration\.type \(dockerCompatible/);
  });
});

describe('examples/packer', () => {
  const hcl = read('packer/batch-node.pkr.hcl');
  /** The string literals of every `inline = [...]` list, in order. */
  const inlines = [...hcl.matchAll(/inline\s*=\s*\[([\s\S]*?)\]/g)].map((m) => [...m[1]!.matchAll(/"(?:[^"\\]|\\.)*"/g)].map((s) => JSON.parse(s[0]) as string));
  const all = inlines.flat();
  const invocation = all.find((l) => /batch-preflight --/.test(l))!;

  it('uploads the binary, runs it before deprovisioning, keeps the report and fails on a non-zero exit', () => {
    const upload = /provisioner "file" \{\s*source\s*=\s*"([^"]+)"\s*destination\s*=\s*"([^"]+)"/.exec(hcl)!;
    expect(upload[1]).toBe('dist/batch-preflight-linux-x64');
    const { program, args } = agentArgs(splitWords(invocation));
    expect(program).toBe(upload[2]);
    expect(flag(args, 'mode')).toBe('image');
    expect(flag(args, 'format')).toBe('junit');
    const downloads = [...hcl.matchAll(/direction\s*=\s*"download"\s*source\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
    expect(downloads).toContain(flag(args, 'output'));
    expect(downloads).toContain(flag(args, 'report'));
    // The exit code is saved, then the reports are downloaded, then the build fails on it,
    // and only then is the VM generalised. No valid_exit_codes widens what counts as success.
    const at = (needle: string) => hcl.indexOf(needle);
    expect(all).toContain('set +e');
    expect(all.indexOf('set +e')).toBeLessThan(all.indexOf(invocation));
    expect(all[all.indexOf(invocation) + 1]).toBe('echo $? > /tmp/preflight.rc');
    expect(at('direction   = "download"')).toBeGreaterThan(at(invocation));
    expect(at('exit $rc')).toBeGreaterThan(at('direction   = "download"'));
    expect(at('/usr/sbin/waagent -force -deprovision+user')).toBeGreaterThan(at('exit $rc'));
    expect(hcl).not.toMatch(/valid_exit_codes\s*=/);
  });

  it('runs a command line the agent accepts, writing JUnit with the required features', () => {
    const v = validate(agentArgs(splitWords(invocation)).args);
    expect(features(v)).toEqual(expect.arrayContaining(['gpu', 'infiniband', 'mpi', 'blobfuse']));
    expect(junitCases(v.output!).length).toBe(v.report.checks.filter((c) => c.status !== 'skip' || c.skipKind === 'dependency').length);
  });
});

describe('examples/ci', () => {
  const dockerfile = read('ci/Dockerfile');
  const gha = parseYaml(read('ci/github-actions.yml'));
  const azp = parseYaml(read('ci/azure-pipelines.yml'));

  it('Dockerfile: installs what a custom image would and the binary, and runs it in container mode', () => {
    for (const pkg of ['docker.io', 'nfs-common', 'glusterfs-client', 'cifs-utils', 'openmpi-bin', 'openssh-server', 'rdma-core']) {
      expect(dockerfile).toMatch(new RegExp(`\\s${pkg.replace('.', '\\.')}\\s`));
    }
    expect(dockerfile).toMatch(/^COPY dist\/batch-preflight-linux-x64 \/usr\/local\/bin\/batch-preflight$/m);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
    const { args } = agentArgs(cmd);
    expect(flag(args, 'mode')).toBe('container');
    validate(args);
  });

  it('GitHub Actions: builds, runs the agent in the image and publishes the JUnit file even on failure', () => {
    const steps = gha.jobs.preflight.steps as { run?: string; uses?: string; if?: string; with?: Record<string, unknown> }[];
    const runIdx = steps.findIndex((s) => s.run?.includes('batch-preflight --'));
    const pubIdx = steps.findIndex((s) => s.uses?.startsWith('mikepenz/action-junit-report@'));
    expect(steps.findIndex((s) => s.run?.includes('npm run build:sea'))).toBeLessThan(runIdx);
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
