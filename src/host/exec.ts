// Runs external commands: never through a shell, from a fixed PATH, in their own process group,
// with a timeout that kills the whole group and a cap on what is kept of their output.
// execa starts the command and reports how it ended. The group kill and the cap stay here: execa's
// timeout, cancelSignal and forceKillAfterDelay signal only the process it started (not its group),
// its cleanup does nothing for a detached process, its maxBuffer ends the command instead of
// draining it, and a capping transform of its own costs about 1.5 ms of CPU more per command
// (measured on 100 runs of echo) than the loop below.
import { childEnvironment } from './child-env';

export { FIXED_PATH } from './child-env';
export const DEFAULT_OUTPUT_CAP = 1024 * 1024;
/** Time between SIGTERM and SIGKILL for a command past its timeout. */
export const KILL_GRACE_MS = 500;

export type ExecOutcome =
  /** The command ran and exited (any exit code). */
  | 'exited'
  /** Not found in the fixed PATH, or not executable. */
  | 'not-found'
  /** Killed after its timeout (or the run's deadline). */
  | 'timeout'
  /** Killed by a signal it did not get from us (crash), or could not be started (or was refused: see `untrusted`). */
  | 'crashed';

export interface ExecResult {
  outcome: ExecOutcome;
  /** Absolute path that ran, when found. */
  path?: string;
  exitCode?: number;
  signal?: string;
  stdout: string;
  stderr: string;
  /** True when stdout or stderr was cut at the cap. */
  truncated: boolean;
  durationMs: number;
  /** One line for messages: what happened. */
  summary: string;
  /** Set when the command was found but not run: why it fails the trust rule (who can change it). */
  untrusted?: string;
}

export interface ExecOptions {
  timeoutMs: number;
  outputCap?: number;
  signal?: AbortSignal;
  /** Extra environment; the base is childEnvironment(): the fixed PATH, the C locale, the run marker. */
  env?: Record<string, string>;
  input?: string;
  /** argv[0] for the process: multi-call binaries (xtables-nft-multi, busybox) pick their tool by it. */
  argv0?: string;
}

/** Kills a detached child's whole process group: TERM now, KILL after the grace period. */
function killGroup(pid: number | undefined): void {
  if (!pid) return;
  const send = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // The group is already gone.
    }
  };
  send('SIGTERM');
  setTimeout(() => send('SIGKILL'), KILL_GRACE_MS).unref();
}

/** Live children, so that the run's deadline can kill whatever is still running. */
const running = new Set<number>();

export function killAllRunning(): void {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  running.clear();
}

export async function runCommand(file: string, args: readonly string[], opts: ExecOptions): Promise<ExecResult> {
  const cap = opts.outputCap ?? DEFAULT_OUTPUT_CAP;
  const started = performance.now();
  let timedOut = false;
  const env: Record<string, string> = { ...childEnvironment(), ...opts.env };
  // Loaded on first use: commands that never run a command (list, explain, --version) start faster.
  const { execa } = await import('execa');
  const sub = execa(file, [...args], {
    shell: false,
    reject: false,
    detached: true,
    extendEnv: false,
    env,
    // Output is collected below, up to the cap; the rest is drained and dropped so that a
    // flooding command runs to its own end (or its timeout) rather than being killed for it.
    buffer: false,
    stdin: opts.input === undefined ? 'ignore' : 'pipe',
    input: opts.input,
    windowsHide: true,
    argv0: opts.argv0,
  });
  const pid = sub.pid;
  if (pid) running.add(pid);
  const out = collect(sub.stdout, cap);
  const err = collect(sub.stderr, cap);
  const stop = () => {
    timedOut = true;
    killGroup(pid);
  };
  const timer = setTimeout(stop, opts.timeoutMs);
  opts.signal?.addEventListener('abort', stop, { once: true });
  if (opts.signal?.aborted) stop();
  const [r, stdoutText, stderrText] = await Promise.all([sub, out, err]);
  clearTimeout(timer);
  opts.signal?.removeEventListener('abort', stop);
  if (pid) {
    running.delete(pid);
    // Children the command left behind in its group go with it.
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Nothing left.
    }
  }
  const durationMs = Math.round(performance.now() - started);
  const truncated = stdoutText.truncated || stderrText.truncated;
  const base = { path: file, stdout: stdoutText.text, stderr: stderrText.text, truncated, durationMs };
  const cut = truncated ? ` (output cut at ${cap} bytes)` : '';
  const name = file.split('/').pop() ?? file;
  const code = (r as { code?: string }).code;
  if (code === 'ENOENT' || code === 'EACCES') {
    return { ...base, outcome: 'not-found', summary: `${name}: ${code === 'ENOENT' ? 'not found' : 'not executable'}` };
  }
  if (timedOut) {
    return { ...base, outcome: 'timeout', summary: `${name} did not finish within ${opts.timeoutMs} ms and was killed${cut}` };
  }
  if (r.signal) {
    return { ...base, outcome: 'crashed', signal: r.signal, summary: `${name} was killed by ${r.signal}${cut}` };
  }
  if (r.exitCode === undefined) {
    return { ...base, outcome: 'crashed', summary: `${name} could not be started: ${r.shortMessage ?? 'unknown error'}` };
  }
  return { ...base, outcome: 'exited', exitCode: r.exitCode, summary: `${name} exited with code ${r.exitCode}${cut}` };
}

/** Keeps the first `cap` bytes of a stream and drains the rest; decodes without throwing on invalid UTF-8. */
async function collect(stream: NodeJS.ReadableStream | null, cap: number): Promise<{ text: string; truncated: boolean }> {
  if (!stream) return { text: '', truncated: false };
  const chunks: Buffer[] = [];
  let kept = 0;
  let truncated = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (kept >= cap) {
      truncated = true;
      continue;
    }
    const part = chunk.subarray(0, cap - kept);
    if (part.length < chunk.length) truncated = true;
    chunks.push(part);
    kept += part.length;
  }
  return { text: new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks)), truncated };
}
