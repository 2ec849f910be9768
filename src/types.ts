// The contract between the engine and every check module.
import type { Host } from './host/host';
import type { Logger } from './log';

/** What a check may conclude. `skip` is the engine's alone: a check never returns it. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'error';
export type Status = CheckStatus | 'skip';
export const STATUSES: readonly Status[] = ['pass', 'warn', 'fail', 'error', 'skip'];

/** Requirements of a pool that make checks apply. */
export const FEATURES = [
  'docker',
  /** Node prep adds _azbatch to the docker group: every pool with Docker except a native one. */
  'docker-group',
  'ssh',
  /** The pool itself needs the host's sshd (remote login, Singularity MPI, autoscratch), not just the guide's "should". */
  'ssh-access',
  'gpu',
  'infiniband',
  'mpi',
  'nfs',
  'glusterfs',
  'gluster-on-compute',
  'blobfuse',
  'azurefile',
  'auto-scratch',
  'singularity',
  /** config.yaml batch_shipyard.encryption.enabled: node prep decrypts credentials with openssl. */
  'credential-encryption',
  'containerd',
  'cifs',
] as const;
export type Feature = (typeof FEATURES)[number];

export type Evidence = Record<string, unknown>;

/**
 * Who must act on a finding that is not a pass:
 * - `image`: the image lacks or misconfigures something: fix it and rebuild;
 * - `node`: this VM alone is faulty (a GPU off the bus, a dead port): reboot, reimage or redeploy it;
 * - `transient`: something is still starting or briefly unreachable: retry;
 * - `config`: the pool definition and the image disagree: change one of them.
 */
export const CATEGORIES = ['image', 'node', 'transient', 'config'] as const;
export type Category = (typeof CATEGORIES)[number];

/** One conclusion of a check; a check may reach several (kubeadm's warnings and errors). */
export interface Finding {
  status: CheckStatus;
  /** What was found, in plain words. */
  message: string;
  /** How to fix it; expected for warn and fail. */
  remediation?: string;
  /** Who must act; defaults to the check's `category` (errors: `transient`). */
  category?: Category;
  /** Whether running the check again later can change this; defaults to the check's `readiness`. */
  retryable?: boolean;
}

/** What a check returns: its findings (at least one) and the raw facts that decided them. */
export interface CheckResult {
  findings: Finding[];
  /** The raw facts that decided: versions, paths, the rule or line. */
  evidence?: Evidence;
}

export type Mode = 'start-task' | 'image' | 'container' | 'offline';
export type NodeCommunication = 'classic' | 'simplified';
/** Who prepares the node: Batch Shipyard's node prep, or plain Azure Batch (the pool definition alone). */
export const TARGETS = ['shipyard', 'batch'] as const;
export type Target = (typeof TARGETS)[number];

/** Settings from the command line and the pool configuration that checks may consult. */
export interface CheckSettings {
  mode: Mode;
  nodeCommunication: NodeCommunication;
  target: Target;
  /** The pool's VM size and where it came from (instance metadata, --vm-size, or a pool file), when known. */
  vmSize?: { name: string; source: string };
  /** Container registries the pool pulls from (with the pool file key that names them), for the outbound check's evidence. */
  registries?: { name: string; source: string }[];
  /** Distribution the pool's node agent expects, e.g. {id:'ubuntu', version:'22.04'}. */
  expectedDistro?: { family: string; version?: string; nodeAgent: string };
  /** Resource disk mount point the pool expects (`/mnt` or `/mnt/resource`), when known. */
  expectedResourceMount?: string;
}

export interface CheckContext {
  host: Host;
  features: ReadonlySet<Feature>;
  settings: CheckSettings;
  /** Aborted when the check's own timeout or the run's deadline passes. */
  signal: AbortSignal;
  log: Logger;
}

export interface Check {
  /** Stable dotted id; doubles as the `--only`/`--skip` key. */
  id: string;
  title: string;
  area: string;
  /** The check applies when any of these features is required; empty = always. */
  features: readonly Feature[];
  /** Who must act on its non-pass findings unless a finding says otherwise (default `image`). */
  category?: Category;
  /**
   * A readiness check looks at something that may still be starting at boot (a daemon, a port,
   * a mount): its fail and error findings are retryable unless they say otherwise.
   */
  readiness?: boolean;
  /** Ids that must pass (or warn) before this check runs. */
  dependsOn: readonly string[];
  /** Needs the running host (sockets, processes, kernel state): skipped offline and in containers. */
  live: boolean;
  /** The targets whose node preparation the rule belongs to; absent = every target. */
  targets?: readonly Target[];
  /** Compares the host with what the pool's VM size promises: skipped when the size is not known. */
  needsVmSize?: boolean;
  timeoutMs?: number;
  /** Long help for `explain`: what it checks and why it matters. */
  description: string;
  /**
   * What a failure does on the node, and the node prep step or Batch rule it mirrors, e.g.
   * "fail: node prep stops (`docker info` under set -e), the node goes to starttaskfailed".
   * Shown by `explain` and in docs/checks.md.
   */
  consequence?: string;
  /** General fix for `explain`; each result carries the fix for the host it ran on. */
  fix: string;
  run(ctx: CheckContext): Promise<CheckResult>;
}

/** A check's result as the report shows it: the worst finding decides `status`. */
export interface CheckOutcome {
  id: string;
  title: string;
  area: string;
  status: Status;
  /** The findings' messages, worst first, joined; the skip reason for a skip. */
  message: string;
  /** The fixes of the non-pass findings, worst first, one per line. */
  remediation?: string;
  /** Who must act (of the worst finding); only when not pass or skip. */
  category?: Category;
  /** Whether running again later can change the outcome; only when not pass or skip. */
  retryable?: boolean;
  /** Every finding, worst first; absent for a skip. */
  findings?: Finding[];
  evidence?: Evidence;
  skipReason?: string;
  /** With --wait, for a readiness check: how many times it ran. */
  attempts?: number;
  /** With --wait, for a readiness check that passed: milliseconds from its first attempt to the passing answer. */
  readyAfterMs?: number;
  durationMs: number;
}
