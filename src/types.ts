// The contract between the engine and every check module. What of it the report carries (findings,
// outcomes) is declared once, as JSON Schema with TypeBox: the TypeScript types are derived from it.
import * as T from '@sinclair/typebox';
import type { Host } from './host/host';
import type { Logger } from './log';
import type { Baseline } from './baseline/schema';

/** A JSON Schema `enum` of strings, typed as their union. */
export const stringEnum = <const V extends readonly string[]>(values: V, description?: string) =>
  T.Unsafe<V[number]>(description ? { enum: [...values], description } : { enum: [...values] });

/** What a check may conclude. `skip` is the engine's alone: a check never returns it. */
export const CHECK_STATUSES = ['pass', 'warn', 'fail', 'error'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];
export const STATUSES = [...CHECK_STATUSES, 'skip'] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses worst first: the one order every rendering and every verdict uses. */
export const STATUS_ORDER: readonly Status[] = ['fail', 'error', 'warn', 'pass', 'skip'];

/** Whether a status stands in the way of READY: fail and error always, warn under --strict. */
export const isBlocking = (status: Status, strict: boolean): boolean => status === 'fail' || status === 'error' || (strict && status === 'warn');

/**
 * Why a check did not run, as a kind beside the sentence, so that renderings count and filter skips
 * without reading the prose. `not-applicable` kinds are decided before the run from the selection,
 * the requirements, the mode, the target and the VM size; `dependency` during it.
 */
export const SKIP_KINDS = ['not-selected', 'skip-flag', 'not-required', 'mode', 'target', 'vm-size-unknown', 'image-mode', 'needs-host', 'no-baseline', 'dependency'] as const;
export type SkipKind = (typeof SKIP_KINDS)[number];

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
export const FindingSchema = T.Object(
  {
    status: stringEnum(CHECK_STATUSES),
    message: T.String({ description: 'What was found, in plain words.' }),
    remediation: T.Optional(T.String({ description: 'How to fix it; expected for warn and fail.' })),
    category: T.Optional(stringEnum(CATEGORIES, "Who must act; defaults to the check's category (errors: transient).")),
    retryable: T.Optional(T.Boolean({ description: "Whether running the check again later can change this; defaults to the check's readiness." })),
  },
  { additionalProperties: false },
);
export type Finding = T.Static<typeof FindingSchema>;

/** What a check returns: its findings (at least one) and the raw facts that decided them. */
export interface CheckResult {
  findings: Finding[];
  /** The raw facts that decided: versions, paths, the rule or line. */
  evidence?: Evidence;
}

export const MODES = ['start-task', 'image', 'container', 'offline'] as const;
export type Mode = (typeof MODES)[number];
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
  /** `--baseline FILE`: the golden image's facts this host is compared with (src/baseline/). */
  baseline?: { file: string; doc: Baseline };
}

/** A check's explain text for one target, where it differs. */
export interface TargetText {
  description?: string;
  consequence?: string;
  fix?: string;
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
  /** Runs only in these modes (e.g. what only the node itself can answer); skipped with the reason elsewhere. Default: every mode. */
  modes?: readonly Mode[];
  /** The targets whose node preparation the rule belongs to; absent = every target. */
  targets?: readonly Target[];
  /** Compares the host with what the pool's VM size promises: skipped when the size is not known. */
  needsVmSize?: boolean;
  /** Compares the host with a golden-image baseline: skipped unless `--baseline FILE` is given. */
  needsBaseline?: boolean;
  /** Looks at the pool's GPUs or InfiniBand devices on the running host, which an image-build VM need not have: skipped in image mode. */
  needsPoolHardware?: boolean;
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
  /**
   * Where a target's rule differs from the text above (which is Batch Shipyard's, the source
   * document's target): that target's description, consequence or fix. `explain --target` shows it.
   */
  byTarget?: Partial<Record<Target, TargetText>>;
  run(ctx: CheckContext): Promise<CheckResult>;
}

/** A check's result as the report shows it: the worst finding decides `status`. */
export const CheckOutcomeSchema = T.Object(
  {
    id: T.String({ pattern: '^[a-z0-9][a-z0-9.-]*$' }),
    title: T.String(),
    area: T.String(),
    status: stringEnum(STATUSES),
    message: T.String({ description: "The findings' messages, worst first, joined; the skip reason for a skip." }),
    remediation: T.Optional(T.String({ description: 'The fixes of the non-pass findings, worst first, one per line.' })),
    category: T.Optional(stringEnum(CATEGORIES, 'Who must act (of the worst finding); only when not pass or skip.')),
    retryable: T.Optional(T.Boolean({ description: 'Whether running again later can change the outcome; only when not pass or skip.' })),
    findings: T.Optional(T.Array(FindingSchema, { minItems: 1, description: 'Every finding, worst first; absent for a skip.' })),
    evidence: T.Optional(T.Record(T.String(), T.Unknown())),
    skipReason: T.Optional(T.String()),
    skipKind: T.Optional(stringEnum(SKIP_KINDS, 'Why it was skipped, as a kind: the reason says it in words.')),
    attempts: T.Optional(T.Integer({ minimum: 1, description: 'With --wait, for a readiness check: how many times it ran.' })),
    readyAfterMs: T.Optional(
      T.Integer({ minimum: 0, description: 'With --wait, for a readiness check that passed: milliseconds from its first attempt to the passing answer.' }),
    ),
    durationMs: T.Integer({ minimum: 0 }),
  },
  {
    additionalProperties: false,
    allOf: [
      { if: { properties: { status: { const: 'skip' } } }, then: { required: ['skipReason', 'skipKind'] }, else: { required: ['findings'] } },
      { if: { properties: { status: { enum: ['warn', 'fail', 'error'] } } }, then: { required: ['category', 'retryable'] } },
    ],
  },
);
export type CheckOutcome = T.Static<typeof CheckOutcomeSchema>;
