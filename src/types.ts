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
  'ssh',
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
  'containerd',
  'cifs',
] as const;
export type Feature = (typeof FEATURES)[number];

export type Evidence = Record<string, unknown>;

export interface CheckResult {
  status: CheckStatus;
  /** What was found, in plain words. */
  message: string;
  /** The raw facts that decided: versions, paths, the rule or line. */
  evidence?: Evidence;
  /** How to fix it; expected for warn and fail. */
  remediation?: string;
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
  /** The pool's VM size and where it came from, when known. */
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
  /** General fix for `explain`; each result carries the fix for the host it ran on. */
  fix: string;
  run(ctx: CheckContext): Promise<CheckResult>;
}

export interface CheckOutcome extends Omit<CheckResult, 'status'> {
  id: string;
  title: string;
  area: string;
  status: Status;
  skipReason?: string;
  durationMs: number;
}
