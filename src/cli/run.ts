// `batch-preflight run`: from validated options to a written report and an exit code.
import { accessSync, constants, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Check, CheckSettings, Mode, NodeCommunication } from '../types';
import { Host } from '../host/host';
import { dockerSocketPath } from '../host/docker-api';
import { killAllRunning } from '../host/exec';
import { runChecks } from '../engine/runner';
import { unknownIds } from '../engine/select';
import { chooseMode } from '../engine/mode';
import { DEFAULT_FEATURES, parseFeatureList, RequirementSet } from '../requirements/requirements';
import { osRelease } from '../probes/os-release';
import { SCHEMA_VERSION, summarize, type Report } from '../report/report';
import { renderReport, type Format } from '../report/render';
import { writeAtomic } from '../report/write';
import { createLogger, type LogLevel } from '../log';
import { VERSION } from '../version';
import { EXIT_NOT_READY, EXIT_OK, UsageError } from './usage-error';

export interface RunArgs {
  root: string;
  require: string[];
  without: string[];
  only: string[];
  skip: string[];
  format: Format;
  output?: string;
  report?: string;
  timeout: number;
  deadline: number;
  concurrency: number;
  strict: boolean;
  logLevel: LogLevel;
  logFile?: string;
  color: boolean;
  mode: Mode | 'auto';
  nodeCommunication: NodeCommunication;
}

const idList = (values: readonly string[]) => values.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new UsageError(`--${name} must be a positive number of seconds, got ${v}`);
  return v;
}

/** A file we will write later must be writable now: fail before running, not after. */
function assertWritableTarget(flag: string, file: string): void {
  const dir = path.dirname(path.resolve(file));
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new UsageError(`${flag} ${file}: directory ${dir} does not exist`);
  }
  if (!st.isDirectory()) throw new UsageError(`${flag} ${file}: ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${file}: directory ${dir} is not writable`);
  }
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`${flag} ${file}: is a directory`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
  }
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

export interface RunResult {
  report: Report;
  exitCode: number;
  /** The rendered --format output, for stdout when --output is not given. */
  stdout: string;
}

export async function executeRun(args: RunArgs, checks: readonly Check[], env: NodeJS.ProcessEnv, stop: AbortSignal): Promise<RunResult> {
  assertRoot(args.root);
  const only = idList(args.only);
  const skip = idList(args.skip);
  const unknown = [...unknownIds(only, checks), ...unknownIds(skip, checks)];
  if (unknown.length > 0) throw new UsageError(`unknown check id${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (see \`batch-preflight list\`)`);
  const timeoutMs = positive('timeout', args.timeout) * 1000;
  const deadlineMs = positive('deadline', args.deadline) * 1000;
  if (!Number.isInteger(args.concurrency) || args.concurrency < 1) throw new UsageError(`--concurrency must be a whole number of at least 1, got ${args.concurrency}`);

  const mode = chooseMode({ requested: args.mode, root: args.root, env });
  const reportFile = args.report ?? (mode.mode === 'start-task' && env.AZ_BATCH_NODE_SHARED_DIR ? path.join(env.AZ_BATCH_NODE_SHARED_DIR, 'batch-preflight', 'report.json') : undefined);
  if (args.output) assertWritableTarget('--output', args.output);
  if (args.report) assertWritableTarget('--report', args.report);
  if (args.logFile) assertWritableTarget('--log-file', args.logFile);
  const log = await createLogger(args.logLevel, args.logFile);

  const reqs = new RequirementSet();
  for (const f of parseFeatureList(args.without, '--without')) reqs.remove(f, '--without');
  for (const f of parseFeatureList(args.require, '--require')) reqs.add(f, '--require');
  for (const f of DEFAULT_FEATURES) reqs.add(f, 'default');

  const startedAt = new Date();
  const t0 = performance.now();
  const root = path.resolve(args.root);
  const deadlineCtl = new AbortController();
  const host = new Host({
    root,
    canExec: root === '/',
    live: mode.mode === 'start-task' || mode.mode === 'image',
    dockerSocket: dockerSocketPath(env).path,
    commandTimeoutMs: timeoutMs,
    signal: AbortSignal.any([deadlineCtl.signal, stop]),
    env,
  });
  const settings: CheckSettings = { mode: mode.mode, nodeCommunication: args.nodeCommunication };
  const features = reqs.features();
  log.info({ mode: mode.mode, root, features: [...features] }, 'run starting');

  const { outcomes, deadlineHit } = await runChecks(checks, { only, skip, features, mode: mode.mode }, {
    concurrency: args.concurrency,
    timeoutMs,
    deadlineMs,
    signal: stop,
    context: (signal) => ({ host, features, settings, signal, log: log.child({ check: 'run' }) }),
  });
  if (deadlineHit || stop.aborted) {
    deadlineCtl.abort();
    killAllRunning();
  }
  // The OS identity is cheap and bounded; a hung file system must not hold the report.
  const osInfo = await Promise.race([osRelease(host), new Promise<null>((r) => setTimeout(() => r(null), 1000).unref())]);
  const fields = osInfo && osInfo.ok ? osInfo.fields : {};
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'batch-preflight', version: VERSION },
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    host: {
      hostname: os.hostname(),
      os: { id: fields.ID ?? null, versionId: fields.VERSION_ID ?? null, prettyName: fields.PRETTY_NAME ?? null },
      kernel: os.release(),
      arch: os.arch(),
      mode: mode.mode,
      modeReason: mode.reason,
      root,
    },
    requirements: reqs.list(),
    deadlineExceeded: deadlineHit,
    summary: summarize(outcomes, args.strict),
    checks: outcomes,
  };
  const excluded = reqs.excluded();
  if (excluded.length > 0) report.excluded = excluded;
  if (mode.mode === 'start-task') {
    report.batch = {};
    if (env.AZ_BATCH_POOL_ID) report.batch.poolId = env.AZ_BATCH_POOL_ID;
    if (env.AZ_BATCH_NODE_ID) report.batch.nodeId = env.AZ_BATCH_NODE_ID;
  }
  if (stop.aborted && !deadlineHit) report.notes = ['the agent was stopped (SIGTERM/SIGINT) before every check finished'];

  if (reportFile) {
    const { mkdirSync } = await import('node:fs');
    if (!args.report) mkdirSync(path.dirname(reportFile), { recursive: true });
    writeAtomic(reportFile, JSON.stringify(report, null, 2) + '\n');
  }
  const rendered = renderReport(report, args.format, args.color);
  if (args.output) writeAtomic(args.output, rendered);
  log.info({ summary: report.summary, durationMs: report.durationMs }, 'run finished');
  return { report, exitCode: report.summary.ok ? EXIT_OK : EXIT_NOT_READY, stdout: args.output ? '' : rendered };
}
