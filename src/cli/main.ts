// The command line: parses arguments with yargs, runs the command, writes stdout, exits.
// Usage errors are one line on stderr and exit 2; nothing else here prints a stack trace.
import Yargs from 'yargs/yargs';
import type { InferredOptionTypes } from 'yargs';
import { checkSet } from './check-set';
import { TARGETS } from '../types';
import { FORMATS } from '../report/render';
import { reportSchema } from '../report/report';
import { LOG_LEVELS } from '../log';
import { terminalWidth, wantsColour, wantsUnicode } from '../report/human-style';
import { VERSION } from '../version';
import { executeRun, type RunArgs } from './run';
import { explain, listHuman, listJson, listMarkdown } from './catalogue';
import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UsageError, messageOf } from '../errors';
import { executeSummarize, SUMMARY_FORMATS } from '../summarize/command';
import { confineProcessEnv } from '../host/child-env';
import { usageMessage } from './usage-message';
import { didYouMean } from './did-you-mean';
import { captureBaseline } from './baseline-capture';

/** Writes to stdout and waits until it is flushed, so that exiting cannot cut a pipe short. */
function writeStdout(text: string): Promise<void> {
  if (!text) return Promise.resolve();
  return new Promise((resolve) => process.stdout.write(text, () => resolve()));
}

function usageExit(message: string): never {
  process.stderr.write(`batch-preflight: ${message.split('\n')[0]}\n`);
  process.exit(EXIT_USAGE);
}

/** Where the user's own checks come from; accepted by run, list and explain alike. */
const CUSTOM_OPTIONS = {
  'checks-file': { type: 'string', array: true, default: [] as string[], requiresArg: true, describe: 'Add declarative checks from this YAML file' },
  plugin: { type: 'string', array: true, default: [] as string[], requiresArg: true, describe: 'Add checks from this CommonJS module (must not be writable by group/others)' },
} as const;

const customChecks = (a: { 'checks-file': string[]; plugin: string[] }) => checkSet({ checksFiles: a['checks-file'], plugins: a.plugin });

const RUN_OPTIONS = {
  ...CUSTOM_OPTIONS,
  root: { type: 'string', default: '/', requiresArg: true, describe: 'Inspect this root instead of the running system (offline image)' },
  require: { type: 'string', array: true, default: [] as string[], requiresArg: true, describe: 'Require features (comma-separated): gpu, infiniband, mpi, nfs, ...' },
  without: { type: 'string', array: true, default: [] as string[], requiresArg: true, describe: 'Do not require these features (e.g. ssh)' },
  only: { type: 'string', array: true, default: [] as string[], requiresArg: true, describe: 'Run only these check ids (comma-separated)' },
  skip: { type: 'string', array: true, default: [] as string[], requiresArg: true, describe: 'Skip these check ids (comma-separated)' },
  format: { choices: FORMATS, default: 'human', requiresArg: true, describe: 'Output format' },
  output: { type: 'string', array: true, default: [] as string[], requiresArg: true, describe: 'FORMAT=FILE: also write that format (human, json, junit, tap, prometheus, markdown, github, azure-pipelines) to FILE, atomically; may repeat. A plain FILE takes the --format output off stdout' },
  report: { type: 'string', requiresArg: true, describe: 'Always write the JSON report to this file (atomically)' },
  upload: { type: 'string', requiresArg: true, describe: 'Also put the JSON report in this Blob storage container (URL; SAS token in it, in --upload-sas-file or $BATCH_PREFLIGHT_UPLOAD_SAS, else the managed identity) as POOL/NODE/START.json and latest.json' },
  'upload-sas-file': { type: 'string', requiresArg: true, describe: "Read --upload's SAS token from this file (owned by root or you, not writable by others)" },
  'upload-client-id': { type: 'string', requiresArg: true, describe: '--upload with this user-assigned managed identity (its client id)' },
  timeout: { type: 'number', default: 10, requiresArg: true, describe: 'Per-check timeout in seconds' },
  deadline: { type: 'number', default: 60, requiresArg: true, describe: 'Deadline for the whole run in seconds' },
  concurrency: { type: 'number', default: 8, requiresArg: true, describe: 'Checks run at once' },
  wait: { type: 'number', default: 0, requiresArg: true, describe: 'Retry readiness checks (daemons, ports, mounts still starting at boot) for up to this many seconds' },
  strict: { type: 'boolean', default: false, describe: 'A warning fails the run' },
  verbose: { type: 'boolean', default: false, describe: 'Human report: every check, passes and skips included' },
  'log-level': { choices: LOG_LEVELS, default: 'warn', requiresArg: true, describe: 'Log level (logs go to stderr or --log-file)' },
  'log-file': { type: 'string', requiresArg: true, describe: 'Write logs to this file instead of stderr' },
  color: { type: 'boolean', default: true, describe: 'Colour the human report on a terminal (--no-color or NO_COLOR to turn off, FORCE_COLOR to force)' },
  mode: { choices: ['auto', 'start-task', 'image', 'container', 'offline'], default: 'auto', requiresArg: true, describe: 'Where the agent runs' },
  'node-communication': { choices: ['classic', 'simplified'] as const, requiresArg: true, describe: "The pool's Batch node communication mode (default: the --batch-pool file's, else simplified: Azure retired classic on 2026-03-31)" },
  pool: { type: 'string', requiresArg: true, describe: 'Batch Shipyard pool.yaml (or .json): requirements from vm_size, node_agent, auto-scratch, runtimes' },
  config: { type: 'string', requiresArg: true, describe: 'Batch Shipyard config.yaml (or .json): requirements from shared data volumes' },
  fs: { type: 'string', requiresArg: true, describe: 'Batch Shipyard fs.yaml: the kind (nfs/glusterfs) of storage clusters named in --config' },
  jobs: { type: 'string', requiresArg: true, describe: 'Batch Shipyard jobs.yaml (or .json): mpi when a Singularity task is a multi-instance MPI task' },
  'batch-pool': { type: 'string', requiresArg: true, describe: 'Azure Batch pool JSON (az batch pool show, REST body or ARM resource): requirements from vmSize, node agent, containers, mounts' },
  'vm-size': { type: 'string', requiresArg: true, describe: "Check for this VM size (e.g. Standard_ND96isr_H100_v5): its GPUs and InfiniBand, and in start-task mode its hardware" },
  target: {
    choices: ['auto', ...TARGETS] as const,
    default: 'auto' as const,
    requiresArg: true,
    describe: 'Whose rules judge the node: batch (plain Azure Batch) or shipyard (Batch Shipyard node prep); auto: batch with --batch-pool, else shipyard',
  },
  detect: { type: 'boolean', default: true, describe: 'Require gpu/infiniband when the hardware has them and no --pool says (--no-detect to turn off)' },
  imds: { type: 'boolean', default: false, describe: 'In start-task mode, read the VM size from the instance metadata service' },
  'allow-remote-imds-url': { type: 'boolean', default: false, describe: 'Let BATCH_PREFLIGHT_IMDS_URL name a host that is not a loopback address' },
  inventory: { type: 'boolean', default: false, describe: 'Add CPU, memory, virtualisation and GPUs to the report (about +70 ms)' },
  baseline: { type: 'string', requiresArg: true, describe: 'Compare the host with this golden-image baseline (from `baseline capture`): check baseline.drift' },
} as const;

type RunFlags = InferredOptionTypes<typeof RUN_OPTIONS>;

const COMMANDS = ['run', 'list', 'explain', 'summarize', 'schema', 'baseline', 'completion'];
const KNOWN_FLAGS = [...Object.keys(RUN_OPTIONS), 'format', 'help', 'version'];

/** The run command's flags as executeRun takes them, with how this terminal wants the human report. */
function runArgsFrom(a: RunFlags, env: NodeJS.ProcessEnv): RunArgs {
  return {
    root: a.root,
    require: a.require,
    without: a.without,
    only: a.only,
    skip: a.skip,
    format: a.format,
    output: a.output,
    report: a.report,
    upload: a.upload,
    uploadSasFile: a['upload-sas-file'],
    uploadClientId: a['upload-client-id'],
    timeout: a.timeout,
    deadline: a.deadline,
    concurrency: a.concurrency,
    strict: a.strict,
    logLevel: a['log-level'],
    logFile: a['log-file'],
    color: a.format === 'human' && wantsColour(env, process.stdout.isTTY === true, a.color),
    unicode: wantsUnicode(env),
    width: terminalWidth(env, process.stdout.isTTY ? process.stdout.columns : undefined),
    verbose: a.verbose,
    mode: a.mode,
    nodeCommunication: a['node-communication'],
    pool: a.pool,
    config: a.config,
    fs: a.fs,
    jobs: a.jobs,
    batchPool: a['batch-pool'],
    vmSize: a['vm-size'],
    target: a.target,
    detect: a.detect,
    imds: a.imds,
    allowRemoteImdsUrl: a['allow-remote-imds-url'],
    inventory: a.inventory,
    wait: a.wait,
    ...(a.baseline !== undefined ? { baseline: a.baseline } : {}),
    ...(process.stderr.isTTY ? { progress: (line: string) => void process.stderr.write(line) } : {}),
  };
}

/** Runs the checks and writes the results (in start-task mode the verdict line first on stderr); the exit code. */
async function runAndReport(a: RunFlags, env: NodeJS.ProcessEnv, stop: AbortSignal): Promise<number> {
  const result = await executeRun(runArgsFrom(a, env), customChecks(a), env, stop);
  if (result.stderrVerdict) process.stderr.write(result.stderrVerdict);
  result.releaseStderr?.();
  await writeStdout(result.stdout);
  if (result.refused) process.stderr.write(`batch-preflight: ${result.refused}\n`);
  if (result.uploadFailed) process.stderr.write(result.uploadFailed);
  return result.exitCode;
}

/** Aborted on SIGTERM or SIGINT: the run stops its checks and writes what it has. */
function stopOnSignals(): AbortSignal {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return stop.signal;
}

export async function main(argv: string[]): Promise<number> {
  // From here on, every process the agent or a library starts gets a clean environment.
  const env = confineProcessEnv();
  const stop = stopOnSignals();
  let exitCode = EXIT_OK;
  const parser = Yargs(argv)
    .scriptName('batch-preflight')
    .version(VERSION)
    .strict()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err, y) => {
      // yargs' own parse errors (a flag without its value) are YErrors: usage errors too.
      if (err && !(err instanceof UsageError) && err.name !== 'YError') throw err;
      // `explain` or `summarize` without what they act on: their usage, as `git` does.
      if (msg && /^Not enough non-option arguments|^Missing required argument/.test(msg)) y.showHelp();
      const text = msg || err?.message;
      usageExit(text ? usageMessage(text, KNOWN_FLAGS, COMMANDS) : 'invalid arguments');
    })
    .command(
      ['run', '$0'],
      'Run the checks on this host (default command)',
      (y) => y.options(RUN_OPTIONS),
      async (a) => {
        exitCode = await runAndReport(a, env, stop);
      },
    )
    .command(
      'list',
      'List the checks',
      (y) => y.options(CUSTOM_OPTIONS).option('format', { choices: ['human', 'json', 'markdown'] as const, default: 'human' as const }),
      async (a) => {
        const checks = customChecks(a);
        await writeStdout(a.format === 'json' ? listJson(checks) : a.format === 'markdown' ? listMarkdown(checks) : listHuman(checks));
      },
    )
    .command(
      'explain <id>',
      'Explain a check: what, why, when it applies, how to fix',
      (y) =>
        y
          .options(CUSTOM_OPTIONS)
          .positional('id', { type: 'string', demandOption: true })
          .option('target', { choices: TARGETS, describe: "Show this target's rule alone (default: every target's, where they differ)" }),
      async (a) => {
        const checks = customChecks(a);
        const check = checks.find((c) => c.id === a.id);
        if (!check) throw new UsageError(`unknown check id: ${a.id}${didYouMean(a.id, checks.map((c) => c.id))} (see \`batch-preflight list\`)`);
        await writeStdout(explain(check, a.target));
      },
    )
    .command(
      'summarize <paths..>',
      'Summarise many JSON reports (files, directories searched for *.json, or Blob storage containers) across a fleet',
      (y) =>
        y
          .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'Report files or directories, or Blob storage container URLs (as given to run --upload)' })
          .option('format', { choices: SUMMARY_FORMATS, default: 'human' as const, describe: 'Output format' })
          .option('sas-file', { type: 'string', requiresArg: true, describe: 'Read the SAS token (read and list) for container URLs without one from this file' })
          .option('client-id', { type: 'string', requiresArg: true, describe: 'Read containers with this user-assigned managed identity (its client id)' }),
      async (a) => {
        const result = await executeSummarize(a.paths, a.format, { env, ...(a['sas-file'] ? { sasFile: a['sas-file'] } : {}), ...(a['client-id'] ? { clientId: a['client-id'] } : {}) });
        await writeStdout(result.stdout);
        exitCode = result.exitCode;
      },
    )
    .command('baseline', 'Golden-image baseline: `baseline capture > golden.json` on a host that works, then `run --baseline golden.json`', (y) =>
      y
        .command(
          'capture',
          'Print the facts that matter for a pool (kernel, driver, CUDA, Fabric Manager, MOFED, package versions) as JSON',
          (c) => c.option('root', { type: 'string', default: '/', requiresArg: true, describe: 'Read this root instead of the running system (offline image)' }),
          async (a) => writeStdout(await captureBaseline(a.root, env)),
        )
        .demandCommand(1, 'baseline needs a subcommand: capture'),
    )
    .command('schema', 'Print the JSON Schema of the report', {}, async () => writeStdout(JSON.stringify(reportSchema, null, 2) + '\n'))
    .completion(
      'completion',
      'Print a bash or zsh completion script (e.g. batch-preflight completion > /etc/bash_completion.d/batch-preflight)',
      // `run` is the default command: its flags complete without the word `run` too.
      (current: string, argv: { _: unknown[] }, defaults: (then: (err: Error | null, found: string[] | undefined) => void) => void, done: (all: string[]) => void) =>
        defaults((_err, found) => {
          const command = argv._.slice(1).find((w) => COMMANDS.includes(String(w)));
          const runFlags = current.startsWith('-') && command === undefined ? Object.keys(RUN_OPTIONS).map((k) => `--${k}`) : [];
          done([...new Set([...(found ?? []), ...runFlags])]);
        }),
    )
    .help()
    .alias('h', 'help');
  try {
    await parser.parseAsync();
  } catch (err) {
    if (err instanceof UsageError) usageExit(err.message);
    process.stderr.write(`batch-preflight: internal error: ${messageOf(err)}\n`);
    return EXIT_INTERNAL;
  }
  return exitCode;
}
