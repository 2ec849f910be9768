// The only way a check touches the machine: files under the inspected root, commands from the
// fixed PATH, the Docker Engine API, and probes shared by several checks (gathered once per run).
import path from 'node:path';
import { FIXED_PATH, runCommand, type ExecResult } from './exec';
import { untrustedExecutable } from './exec-trust';
import { FsError, RootFs } from './rootfs';
import { dockerGet, type DockerAnswer } from './docker-api';
import { grpcSocketAnswers, type GrpcSocketAnswer } from './grpc-socket';
import { messageOf } from '../errors';

export interface HostOptions {
  /** The inspected root; '/' for this machine. */
  root: string;
  /** Commands may be run (the root is the running system, possibly a container). */
  canExec: boolean;
  /** Kernel state, sockets, services of the running host are visible (not offline, not a container). */
  live: boolean;
  dockerSocket: string;
  /** Default time limit of one command, and of one Docker API call. */
  commandTimeoutMs: number;
  /** Aborted at the run's deadline: every command still running is killed. */
  signal?: AbortSignal;
  /** Environment of the agent (DOCKER_HOST, AZ_BATCH_*); never used to find commands. */
  env?: NodeJS.ProcessEnv;
}

export interface HostExecOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  outputCap?: number;
}

export class Host {
  readonly fs: RootFs;
  readonly root: string;
  readonly canExec: boolean;
  readonly live: boolean;
  readonly dockerSocket: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly commandTimeoutMs: number;
  private readonly signal?: AbortSignal;
  private readonly probes = new Map<string, Promise<unknown>>();
  private readonly opts: HostOptions;

  constructor(opts: HostOptions) {
    this.opts = opts;
    this.fs = new RootFs(opts.root);
    this.root = this.fs.root;
    this.canExec = opts.canExec;
    this.live = opts.live;
    this.dockerSocket = opts.dockerSocket;
    this.commandTimeoutMs = opts.commandTimeoutMs;
    this.signal = opts.signal;
    this.env = opts.env ?? {};
  }

  /** Where a command lives in the fixed PATH under the root, as a path inside the root; null if absent. */
  async which(cmd: string): Promise<string | null> {
    if (cmd.includes('/')) return (await this.fs.isExecutable(cmd)) ? cmd : null;
    const listings = await this.pathListings();
    for (const [dir, names] of listings) {
      if (!names.has(cmd)) continue;
      const candidate = path.posix.join(dir, cmd);
      if (await this.fs.isExecutable(candidate)) return candidate;
    }
    return null;
  }

  /** The names in each fixed PATH directory, listed once per run: most look-ups then need no system call. */
  private pathListings(): Promise<[string, Set<string>][]> {
    return this.probe('path-listings', () =>
      Promise.all(FIXED_PATH.map(async (dir): Promise<[string, Set<string>]> => [dir, new Set(await this.fs.listIfExists(dir).catch(() => []))])),
    );
  }

  /** First of several alternative commands that is installed. */
  async whichAny(cmds: readonly string[]): Promise<{ cmd: string; path: string } | null> {
    const found = await Promise.all(cmds.map((c) => this.which(c)));
    const i = found.findIndex((p) => p !== null);
    return i < 0 ? null : { cmd: cmds[i]!, path: found[i]! };
  }

  /**
   * Runs a command found in the fixed PATH under the root, with an argument array (no shell).
   * Only on a root that is the running system: checks must look at `canExec` first. A command that
   * fails the trust rule (src/host/exec-trust.ts) is not run: outcome `crashed` (it could not be
   * started), with `untrusted` saying why, so that no check takes it for absent or working.
   */
  async exec(cmd: string, args: readonly string[], opts: HostExecOptions = {}): Promise<ExecResult> {
    if (!this.canExec) throw new Error(`cannot run ${cmd}: commands are not run against an offline root`);
    const found = await this.which(cmd);
    const name = cmd.split('/').pop() ?? cmd;
    if (!found) {
      return { outcome: 'not-found', stdout: '', stderr: '', truncated: false, durationMs: 0, summary: `${name}: not found in ${FIXED_PATH.join(':')}` };
    }
    // What runs is the real path, checked by the trust rule: nobody but root may be able to change it.
    const hostPath = await this.fs.resolve(found);
    const untrusted = untrustedExecutable(hostPath);
    if (untrusted) {
      const where = hostPath === found ? found : `${found} (${hostPath})`;
      return { outcome: 'crashed', path: hostPath, untrusted, stdout: '', stderr: '', truncated: false, durationMs: 0, summary: `${name}: found ${where}, but it is not trusted and was not run: ${untrusted}` };
    }
    const signals = [opts.signal, this.signal].filter((s): s is AbortSignal => s !== undefined);
    return runCommand(hostPath, args, {
      // The name it was called by, not the resolved symlink target (iptables-save -> xtables-nft-multi).
      argv0: name,
      timeoutMs: opts.timeoutMs ?? this.commandTimeoutMs,
      outputCap: opts.outputCap,
      signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
    });
  }

  /**
   * Why the executable at `p` (inside the root) fails the trust rule that `exec` applies, or null:
   * for a check that names a command in a fix (or, offline, reports one it did not run).
   */
  async untrustedExecutable(p: string): Promise<string | null> {
    const hostPath = await this.fs.resolve(p);
    return untrustedExecutable(hostPath);
  }

  /** GET from the Docker Engine API on the unix socket, with the command time limit. */
  docker(apiPath: string, expectJson = true): Promise<DockerAnswer> {
    return dockerGet(this.dockerSocket, apiPath, this.commandTimeoutMs, expectJson);
  }

  /**
   * The same host with none of the facts gathered so far: a readiness check's next attempt reads
   * the live state again (the socket that appeared, the port now listening) instead of this run's
   * first answer, while the other checks keep sharing the run's answers.
   */
  freshView(): Host {
    return new Host(this.opts);
  }

  /** Whether a gRPC (HTTP/2) server answers on a unix socket under the root, with the command time limit. */
  async grpc(socketInRoot: string): Promise<GrpcSocketAnswer> {
    let hostPath: string;
    try {
      hostPath = await this.fs.resolve(socketInRoot);
    } catch (err) {
      if (err instanceof FsError && err.reason === 'missing') return { ok: false, reason: 'no-socket', detail: `${socketInRoot} does not exist` };
      return { ok: false, reason: 'io', detail: messageOf(err) };
    }
    return grpcSocketAnswers(hostPath, this.commandTimeoutMs);
  }

  /** Gathers a fact once per run; every check asking for the same key shares the one answer. */
  probe<T>(key: string, gather: () => Promise<T>): Promise<T> {
    let p = this.probes.get(key) as Promise<T> | undefined;
    if (!p) {
      p = gather();
      this.probes.set(key, p);
    }
    return p;
  }
}
