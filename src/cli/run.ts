// `batch-preflight run`: from validated options to a written report and an exit code.
import { realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Check, CheckOutcome, CheckSettings, Feature, Mode, NodeCommunication, Target } from '../types';
import { Host } from '../host/host';
import { dockerSocketPath } from '../host/docker-api';
import { KILL_GRACE_MS, killAllRunning } from '../host/exec';
import { runChecks } from '../engine/runner';
import { retryProgressLine } from './progress';
import { unknownIds } from '../engine/select';
import { chooseMode, type ModeChoice } from '../engine/mode';
import { loadStaticRequirements, resolveRequirements, type StaticRequirements } from '../requirements/resolve';
import { gatherInventory } from '../requirements/inventory';
import { osRelease } from '../probes/os-release';
import { SCHEMA_VERSION, summarize, type Inventory, type Report } from '../report/report';
import { renderReport, type Format } from '../report/render';
import type { HumanStyle } from '../report/human-style';
import { writeAtomic } from '../report/write';
import { verdictLine } from '../report/verdict-line';
import { HeldStderr } from './held-stderr';
import { planOutputs, type OutputPlan } from './outputs';
import { openWriteTarget, type WriteTarget } from '../report/write-target';
import { openStartTaskReportDir, REPORT_FILE_NAME } from '../report/start-task-dir';
import { openAppendFile } from '../host/append-file';
import { WriteRefused } from '../host/write-dir';
import { killEscapedDescendants } from '../host/escapees';
import { imdsUrlProblem } from '../host/imds';
import { createLogger, type Logger, type LogLevel } from '../log';
import { VERSION } from '../version';
import { EXIT_NOT_READY, EXIT_OK, EXIT_USAGE, UsageError } from '../errors';
import { didYouMean } from './did-you-mean';
import { containerTarget, UPLOAD_SAS_ENV, type ContainerTarget } from '../upload/container';
import { uploadStep } from './upload-step';
import { loadBaseline } from '../baseline/load';
import type { Baseline } from '../baseline/schema';

/** Time one command or Docker API call may take: it and its kill grace end before the check's timeout. */
function commandTimeoutFor(checkTimeoutMs: number): number {
  return Math.max(100, Math.round(Math.min(checkTimeoutMs * 0.8, checkTimeoutMs - KILL_GRACE_MS - 250)));
}

export interface RunArgs {
  root: string;
  require: string[];
  without: string[];
  only: string[];
  skip: string[];
  format: Format;
  /** `FORMAT=FILE` (may repeat), or one plain FILE for the `--format` output. */
  output?: string | string[];
  report?: string;
  /** --upload: a container URL (with a SAS token, or none for the managed identity). */
  upload?: string;
  uploadSasFile?: string;
  uploadClientId?: string;
  timeout: number;
  deadline: number;
  concurrency: number;
  strict: boolean;
  logLevel: LogLevel;
  logFile?: string;
  color: boolean;
  /** Human report: ✔ ✖ ⚠ symbols (UTF-8 locale) and the stdout terminal's width, when known. */
  unicode?: boolean;
  width?: number;
  /** Human report: every check, not only the problems and a line per area. */
  verbose?: boolean;
  mode: Mode | 'auto';
  /** Absent: the pool file's mode, else classic. */
  nodeCommunication?: NodeCommunication;
  /** Batch Shipyard pool.yaml / config.yaml / fs.yaml the node must satisfy. */
  pool?: string;
  config?: string;
  fs?: string;
  /** Batch Shipyard jobs.yaml: Singularity multi-instance MPI tasks run the host's mpirun. */
  jobs?: string;
  /** A plain Azure Batch pool definition (REST, `az batch pool show`, or ARM JSON). */
  batchPool?: string;
  /** The VM size to check the host against (and derive gpu/infiniband from). */
  vmSize?: string;
  /** Absent or auto: decided from the pool files and the start task environment (src/requirements/resolve.ts). */
  target?: Target | 'auto';
  /** Derive gpu/infiniband from the hardware when no pool file says (--no-detect turns off). */
  detect: boolean;
  /** In start-task mode, read the VM size from the instance metadata service. */
  imds: boolean;
  /** Let BATCH_PREFLIGHT_IMDS_URL name a host other than a loopback address. */
  allowRemoteImdsUrl: boolean;
  /** Add CPU, memory, virtualisation and GPUs to the report (src/requirements/inventory.ts). */
  inventory: boolean;
  /** A golden-image baseline (`baseline capture`) to compare the host with: the baseline.drift check. */
  baseline?: string;
  /** Seconds readiness checks may keep retrying (default 0: every check runs once). */
  wait?: number;
  /** Where progress lines go (stderr on a terminal); absent: progress only in the log. */
  progress?: (line: string) => void;
}

const idList = (values: readonly string[]) => values.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);

/**
 * Longest --timeout, --deadline or --wait: a day. Node's timers hold at most 2^31-1 ms (24.8 days)
 * and fire at once beyond it, which made `--timeout 3000000` time every check out after 13 ms.
 */
const MAX_SECONDS = 86_400;
/** More checks at once than there are checks only costs memory. */
const MAX_CONCURRENCY = 64;

function seconds(name: string, v: number, zeroAllowed: boolean): number {
  const low = zeroAllowed ? v >= 0 : v > 0;
  if (!Number.isFinite(v) || !low || v > MAX_SECONDS) {
    throw new UsageError(`--${name} must be a number of seconds ${zeroAllowed ? 'from 0' : 'above 0'} up to ${MAX_SECONDS} (a day), got ${v}`);
  }
  return v;
}

function assertRoot(root: string): void {
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new UsageError(`--root ${root}: does not exist`);
  }
  if (!st.isDirectory()) throw new UsageError(`--root ${root}: is not a directory`);
}

/**
 * In start-task mode the JSON report goes to the node's shared directory, where later tasks can
 * read it. The directory is Batch's: it must exist already; the agent's folder in it is opened (or
 * created) and checked only when the report is written (src/report/start-task-dir.ts).
 */
function startTaskSharedDir(mode: Mode, env: NodeJS.ProcessEnv, warnings: string[]): string | undefined {
  if (mode !== 'start-task') return undefined;
  const shared = env.AZ_BATCH_NODE_SHARED_DIR;
  if (!shared) {
    warnings.push('AZ_BATCH_NODE_SHARED_DIR is not set: the JSON report was not written (use --report FILE)');
    return undefined;
  }
  let st;
  try {
    st = statSync(shared);
  } catch {
    throw new UsageError(`AZ_BATCH_NODE_SHARED_DIR ${shared}: does not exist`);
  }
  if (!st.isDirectory()) throw new UsageError(`AZ_BATCH_NODE_SHARED_DIR ${shared}: is not a directory`);
  return shared;
}

/** The log file, opened before anything runs: never through a symlink, created 0600. */
function openLogFile(file: string): number {
  const target = openWriteTarget('--log-file', file);
  try {
    return openAppendFile(target.dir, target.base);
  } catch (err) {
    if (err instanceof WriteRefused) throw new UsageError(`--log-file ${file}: ${err.reason}`);
    throw err;
  } finally {
    target.dir.close();
  }
}

export interface RunResult {
  report: Report;
  exitCode: number;
  /** One line for stderr when the exit code is 2 although the checks ran (a report directory refused). */
  refused?: string;
  /** The rendered --format output, for stdout when --output is not given. */
  stdout: string;
  /** In start-task mode: the one-line verdict, to be the first line on stderr. */
  stderrVerdict?: string;
  /** A failed --upload: one line for stderr, after the verdict. */
  uploadFailed?: string;
  /** Lets held-back stderr logs out: call after writing `stderrVerdict`. */
  releaseStderr?: () => void;
}

/** The flags' numbers and check ids, checked: a mistake is a UsageError before anything runs. */
interface RunLimits {
  only: string[];
  skip: string[];
  timeoutMs: number;
  deadlineMs: number;
  /** Seconds readiness checks may retry. */
  wait: number;
}

function checkedLimits(args: RunArgs, checks: readonly Check[]): RunLimits {
  assertRoot(args.root);
  const only = idList(args.only);
  const skip = idList(args.skip);
  const unknown = [...unknownIds(only, checks), ...unknownIds(skip, checks)];
  if (unknown.length > 0) {
    const ids = checks.map((c) => c.id);
    throw new UsageError(`unknown check id${unknown.length > 1 ? 's' : ''}: ${unknown.map((id) => id + didYouMean(id, ids)).join(', ')} (see \`batch-preflight list\`)`);
  }
  const timeoutMs = seconds('timeout', args.timeout, false) * 1000;
  const deadlineMs = seconds('deadline', args.deadline, false) * 1000;
  const wait = seconds('wait', args.wait ?? 0, true);
  if (!Number.isInteger(args.concurrency) || args.concurrency < 1 || args.concurrency > MAX_CONCURRENCY) {
    throw new UsageError(`--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${args.concurrency}`);
  }
  return { only, skip, timeoutMs, deadlineMs, wait };
}

/** What the run reads and where its results go, with every file it will write opened and checked. */
interface RunPlan {
  staticReqs: StaticRequirements;
  mode: ModeChoice;
  /** Warnings so far, for the report's notes (and stderr with a machine format). */
  warnings: string[];
  /** Start-task mode: the node's shared directory the JSON report goes to. */
  sharedDir?: string;
  /** --report FILE, for the start-task verdict line. */
  reportFile?: string;
  outputs: OutputPlan;
  reportTarget?: WriteTarget;
  outputTargets: { format: Format; target: WriteTarget }[];
  /** Start-task mode without --log-file: logs wait on stderr until the verdict line is out. */
  heldStderr?: HeldStderr;
  upload?: ContainerTarget;
  baseline?: { file: string; doc: Baseline };
}

/** --upload's container and credential; the SAS and identity flags without it are mistakes. */
function uploadTarget(args: RunArgs, env: NodeJS.ProcessEnv): ContainerTarget | undefined {
  if (!args.upload) {
    if (args.uploadSasFile || args.uploadClientId) throw new UsageError(`${args.uploadSasFile ? '--upload-sas-file' : '--upload-client-id'} needs --upload URL`);
    return undefined;
  }
  const sasEnv = env[UPLOAD_SAS_ENV];
  return containerTarget({ flag: '--upload', url: args.upload, sasFileFlag: '--upload-sas-file', clientIdFlag: '--upload-client-id', ...(args.uploadSasFile ? { sasFile: args.uploadSasFile } : {}), ...(sasEnv ? { sasEnv } : {}), ...(args.uploadClientId ? { clientId: args.uploadClientId } : {}) });
}

/** Every usage error (flags, configuration files, write targets) surfaces here, before anything runs or is written. */
function planRun(args: RunArgs, env: NodeJS.ProcessEnv): RunPlan {
  const mode = chooseMode({ requested: args.mode, root: args.root, env });
  const staticReqs = loadStaticRequirements({ ...args, env, mode: mode.mode });
  if (args.imds) {
    const problem = imdsUrlProblem(env, args.allowRemoteImdsUrl);
    if (problem) throw new UsageError(problem);
  }
  const baseline = args.baseline !== undefined ? { file: args.baseline, doc: loadBaseline(args.baseline) } : undefined;
  const warnings: string[] = [];
  const sharedDir = args.report ? undefined : startTaskSharedDir(mode.mode, env, warnings);
  const reportFile = args.report;
  const outputs = planOutputs(typeof args.output === 'string' ? [args.output] : (args.output ?? []), args.format);
  // Directories are held open from here to the write: what was checked is where the file lands.
  const reportTarget = args.report ? openWriteTarget('--report', args.report) : undefined;
  const outputTargets = outputs.files.map((f) => ({ format: f.format, target: openWriteTarget('--output', f.path) }));
  const heldStderr = mode.mode === 'start-task' && !args.logFile ? new HeldStderr() : undefined;
  const upload = uploadTarget(args, env);
  return { staticReqs, mode, warnings, sharedDir, reportFile, outputs, reportTarget, outputTargets, heldStderr, ...(upload ? { upload } : {}), ...(baseline ? { baseline } : {}) };
}

/** The host door for a run (and for `baseline capture`, so that both read a host the same way). */
export function hostFor(root: string, mode: Mode, timeoutMs: number, env: NodeJS.ProcessEnv, signal?: AbortSignal): Host {
  return new Host({
    root,
    // An offline run inspects files only, even when the root is this machine's own.
    canExec: root === '/' && mode !== 'offline',
    live: mode === 'start-task' || mode === 'image',
    dockerSocket: dockerSocketPath(env).path,
    // A hung command or daemon is given up on before its check times out, so the check can say
    // what hung ("nvidia-smi did not answer") rather than the engine's plain "timed out".
    commandTimeoutMs: commandTimeoutFor(timeoutMs),
    signal,
    env,
  });
}

/** The requirements and the settings the checks see; the notes the report will carry. */
interface RunSetup {
  reqs: Awaited<ReturnType<typeof resolveRequirements>>['set'];
  settings: CheckSettings;
  features: ReadonlySet<Feature>;
  notes: string[];
  /** With --inventory on the node itself: being gathered while the checks run. */
  inventory: Promise<Inventory> | null;
}

async function settleRequirements(args: RunArgs, plan: RunPlan, host: Host, root: string, env: NodeJS.ProcessEnv, log: Logger): Promise<RunSetup> {
  const { mode, staticReqs, warnings } = plan;
  const resolved = await resolveRequirements(staticReqs, { mode: mode.mode, host, env, detect: args.detect, imds: args.imds, scanPci: args.inventory });
  const reqs = resolved.set;
  warnings.unshift(...resolved.warnings);
  const notes = [...warnings, ...resolved.notes];
  // Azure retired classic node communication on 2026-03-31: simplified unless told otherwise.
  const nodeCommunication = args.nodeCommunication ?? resolved.nodeCommunication?.mode ?? 'simplified';
  if (!args.nodeCommunication && resolved.nodeCommunication) notes.push(`node communication ${nodeCommunication} from ${resolved.nodeCommunication.source}`);
  const settings: CheckSettings = { mode: mode.mode, nodeCommunication, target: staticReqs.target, ...resolved.settings, ...(plan.baseline ? { baseline: plan.baseline } : {}) };
  log.info({ mode: mode.mode, root, requirements: reqs.list() }, 'run starting');
  // The human report shows every note; machine formats keep stdout to themselves, so warnings
  // reach a human through the log on stderr.
  for (const note of resolved.notes) log.info({ note }, 'note');
  if (args.format !== 'human') for (const warning of warnings) log.warn({ warning }, 'warning');
  // The inventory describes the machine the agent runs on: only meaningful when that is the node.
  const inventory = args.inventory && host.live ? gatherInventory(host, resolved.gpus) : null;
  if (args.inventory && !host.live) notes.push(`--inventory ignored: in ${mode.mode} mode this machine is not the node being checked`);
  return { reqs, settings, features: reqs.features(), notes, inventory };
}

function runTheChecks(args: RunArgs, checks: readonly Check[], limits: RunLimits, setup: RunSetup, host: Host, log: Logger, stop: AbortSignal) {
  const { features, settings, notes } = setup;
  // Files of an image root or a container do not change while we wait: nothing comes up there.
  const waitMs = host.live ? limits.wait * 1000 : 0;
  if (limits.wait > 0 && !host.live) notes.push(`--wait ignored: in ${settings.mode} mode nothing is starting up to wait for`);
  const selection = { only: limits.only, skip: limits.skip, features, mode: settings.mode, target: settings.target, vmSizeSource: settings.vmSize?.source, baseline: settings.baseline !== undefined };
  return runChecks(checks, selection, {
    concurrency: args.concurrency,
    timeoutMs: limits.timeoutMs,
    deadlineMs: limits.deadlineMs,
    signal: stop,
    waitMs,
    onRetry: (e) => {
      log.info({ check: e.id, attempt: e.attempt, status: e.status, message: e.message, retryInMs: e.delayMs, elapsedMs: e.elapsedMs }, 'readiness check not ready yet');
      args.progress?.(retryProgressLine(e));
    },
    // A retry reads the live state again; the first attempt shares the run's facts with every check.
    context: (signal, attempt) => ({ host: attempt > 1 ? host.freshView() : host, features, settings, signal, log: log.child({ check: 'run' }) }),
  });
}

interface Finished {
  outcomes: CheckOutcome[];
  deadlineHit: boolean;
  startedAt: Date;
  t0: number;
}

async function buildReport(args: RunArgs, plan: RunPlan, setup: RunSetup, host: Host, root: string, env: NodeJS.ProcessEnv, stop: AbortSignal, run: Finished): Promise<Report> {
  const { mode } = plan;
  const { reqs, notes, inventory } = setup;
  // The OS identity is cheap and bounded; a hung file system must not hold the report.
  const osInfo = await Promise.race([osRelease(host), new Promise<null>((r) => setTimeout(() => r(null), 1000).unref())]);
  const fields = osInfo && osInfo.ok ? osInfo.fields : {};
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'batch-preflight', version: VERSION },
    startedAt: run.startedAt.toISOString(),
    durationMs: Math.round(performance.now() - run.t0),
    host: {
      hostname: os.hostname(),
      os: { id: fields.ID ?? null, versionId: fields.VERSION_ID ?? null, prettyName: fields.PRETTY_NAME ?? null },
      kernel: os.release(),
      arch: os.arch(),
      mode: mode.mode,
      modeReason: mode.reason,
      root,
      ...(inventory ? { inventory: await inventory } : {}),
    },
    target: { name: plan.staticReqs.target, reason: plan.staticReqs.targetReason },
    requirements: reqs.list(),
    deadlineExceeded: run.deadlineHit,
    summary: summarize(run.outcomes, args.strict),
    checks: run.outcomes,
  };
  const excluded = reqs.excluded();
  if (excluded.length > 0) report.excluded = excluded;
  if (mode.mode === 'start-task') {
    report.batch = {};
    if (env.AZ_BATCH_POOL_ID) report.batch.poolId = env.AZ_BATCH_POOL_ID;
    if (env.AZ_BATCH_NODE_ID) report.batch.nodeId = env.AZ_BATCH_NODE_ID;
  }
  if (stop.aborted && !run.deadlineHit) notes.push('the agent was stopped (SIGTERM/SIGINT) before every check finished');
  if (notes.length > 0) report.notes = notes;
  return report;
}

/** What writing the report files did: the start-task report's place, or why it was refused. */
interface Written {
  /** Start-task mode: where the JSON report is, and whether only root can change it there. */
  startTaskReport?: { file: string; sharedUnsafe?: string };
  /** The start-task report directory was refused: the reason (exit 2). */
  refused?: string;
}

/** Writes the JSON report and the --output files. */
function writeReportFiles(args: RunArgs, plan: RunPlan, report: Report): Written {
  const { sharedDir, reportTarget, outputTargets } = plan;
  const json = () => JSON.stringify(report, null, 2) + '\n';
  const written: Written = {};
  if (sharedDir) {
    try {
      const { dir, file, sharedUnsafe } = openStartTaskReportDir(sharedDir);
      if (sharedUnsafe) report.notes = [...(report.notes ?? []), `the JSON report is in ${file}, not in the shared directory: ${sharedUnsafe}, so anyone could replace a report there`];
      try {
        writeAtomic(dir, REPORT_FILE_NAME, json());
      } finally {
        dir.close();
      }
      written.startTaskReport = sharedUnsafe ? { file, sharedUnsafe } : { file };
    } catch (err) {
      if (!(err instanceof WriteRefused)) throw err;
      // The checks ran: their human report still goes to stdout, and the refusal is exit 2.
      written.refused = err.message;
      report.notes = [...(report.notes ?? []), `the JSON report was not written: ${err.message}`];
    }
  }
  if (reportTarget) writeAtomic(reportTarget.dir, reportTarget.base, json());
  // Files are never coloured; each is complete or absent (written atomically).
  for (const o of outputTargets) writeAtomic(o.target.dir, o.target.base, renderReport(report, o.format, fileStyle(args)));
  reportTarget?.dir.close();
  for (const o of outputTargets) o.target.dir.close();
  return written;
}

/** The end-of-run sweep's bounds (escapees.ts): a floor after a spent deadline, a cap, environments read. */
const SWEEP_FLOOR_MS = 250;
const SWEEP_CAP_MS = 2000;
const SWEEP_MAX_ENVIRON_READS = 2000;

const fileStyle = (args: RunArgs): HumanStyle => ({ colour: false, unicode: args.unicode ?? false, verbose: args.verbose ?? false });

/** CPU milliseconds (user + system) this process had used when `u` was taken. */
const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
const round1 = (n: number): number => Math.round(n * 10) / 10;

export async function executeRun(args: RunArgs, checks: readonly Check[], env: NodeJS.ProcessEnv, stop: AbortSignal): Promise<RunResult> {
  // CPU by phase, logged at debug level for `npm run bench`: start-up is Node, compiling and
  // evaluating the bundle and parsing the arguments; child processes' CPU is not in any of them.
  const cpuStart = process.cpuUsage();
  const limits = checkedLimits(args, checks);
  const plan = planRun(args, env);
  const log = await createLogger(args.logLevel, args.logFile ? openLogFile(args.logFile) : undefined, plan.heldStderr);
  const startedAt = new Date();
  const t0 = performance.now();
  const root = realpathSync(path.resolve(args.root));
  const deadlineCtl = new AbortController();
  const host = hostFor(root, plan.mode.mode, limits.timeoutMs, env, AbortSignal.any([deadlineCtl.signal, stop]));
  const setup = await settleRequirements(args, plan, host, root, env, log);
  const cpuRequirements = process.cpuUsage();

  const { outcomes, deadlineHit } = await runTheChecks(args, checks, limits, setup, host, log, stop);
  const cpuChecks = process.cpuUsage();
  if (deadlineHit || stop.aborted) {
    deadlineCtl.abort();
    killAllRunning();
  }
  const report = await buildReport(args, plan, setup, host, root, env, stop, { outcomes, deadlineHit, startedAt, t0 });
  // Whatever a command left running after leaving its process group (setsid) ends with the run,
  // inside its deadline (with a short floor when the checks used it all up); SIGTERM ends the sweep.
  if (host.canExec || setup.inventory) {
    // Stopped before the sweep: it gets its floor, and no signal to stop it again.
    const left = stop.aborted ? SWEEP_FLOOR_MS : Math.min(Math.max(t0 + limits.deadlineMs - performance.now(), SWEEP_FLOOR_MS), SWEEP_CAP_MS);
    const sweep = await killEscapedDescendants({ until: performance.now() + left, maxEnvironReads: SWEEP_MAX_ENVIRON_READS, signal: stop.aborted ? undefined : stop });
    if (!sweep.complete) log.warn({ killed: sweep.killed }, 'the sweep for processes left by commands stopped at its bound; some may still run');
  }
  const uploadFailed = plan.upload ? await uploadStep(report, plan.upload, env, limits.deadlineMs - (performance.now() - t0), log, stop) : undefined;

  const { refused, startTaskReport } = writeReportFiles(args, plan, report);
  const rendered = plan.outputs.stdout ? renderReport(report, args.format, { ...fileStyle(args), colour: args.color, width: args.width }) : '';
  const cpuEnd = process.cpuUsage();
  const phases = { startup: round1(cpuMs(cpuStart)), requirements: round1(cpuMs(cpuRequirements) - cpuMs(cpuStart)), checks: round1(cpuMs(cpuChecks) - cpuMs(cpuRequirements)), report: round1(cpuMs(cpuEnd) - cpuMs(cpuChecks)) };
  log.debug({ cpuMs: phases }, 'cpu by phase');
  log.info({ summary: report.summary, durationMs: report.durationMs }, 'run finished');
  const exitCode = refused ? EXIT_USAGE : report.summary.ok ? EXIT_OK : EXIT_NOT_READY;
  const result: RunResult = { report, exitCode, stdout: rendered };
  if (refused) result.refused = refused;
  if (uploadFailed) result.uploadFailed = uploadFailed;
  if (plan.mode.mode === 'start-task') result.stderrVerdict = verdictLine(report, startTaskReport ?? (refused || !plan.reportFile ? undefined : { file: plan.reportFile, byCaller: true }));
  const held = plan.heldStderr;
  if (held) result.releaseStderr = () => held.release();
  return result;
}
