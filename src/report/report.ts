// The JSON report: the one structured result every other format is rendered from.
import type { CheckOutcome, Feature, Mode, Status } from '../types';

// 2: checks carry their findings, a category and whether retrying can help.
export const SCHEMA_VERSION = 2;

export interface Requirement {
  feature: Feature;
  /** Where it came from: the flag, the config key, the detected hardware, or the default. */
  source: string;
}

export interface Summary {
  pass: number;
  warn: number;
  fail: number;
  skip: number;
  error: number;
  /** True when the run succeeds: no fail or error (and no warn under --strict). */
  ok: boolean;
}

/** With --inventory: what systeminformation and the PCI scan tell of the machine. */
export interface Inventory {
  cpu?: { manufacturer: string; brand: string; cores: number; physicalCores: number };
  memoryBytes?: number;
  system?: { manufacturer: string; model: string; virtual: boolean; virtualHost?: string };
  /** Azure VMs report Microsoft Corporation / Virtual Machine in their DMI data. */
  azureVm?: boolean;
  gpus: { address: string; class: string }[];
  /** Why some facts are missing. */
  error?: string;
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: string; version: string };
  startedAt: string;
  durationMs: number;
  host: {
    hostname: string;
    os: { id: string | null; versionId: string | null; prettyName: string | null };
    kernel: string;
    arch: string;
    mode: Mode;
    modeReason: string;
    root: string;
    /** With --inventory: CPU, memory, virtualisation, GPUs. */
    inventory?: Inventory;
  };
  batch?: { poolId?: string; nodeId?: string };
  requirements: Requirement[];
  /** Features turned off by --without, with the reason. */
  excluded?: { feature: Feature; source: string }[];
  notes?: string[];
  deadlineExceeded: boolean;
  summary: Summary;
  checks: CheckOutcome[];
}

export function summarize(checks: readonly CheckOutcome[], strict: boolean): Summary {
  const count = (s: Status) => checks.filter((c) => c.status === s).length;
  const s = { pass: count('pass'), warn: count('warn'), fail: count('fail'), skip: count('skip'), error: count('error') };
  return { ...s, ok: s.fail === 0 && s.error === 0 && (!strict || s.warn === 0) };
}
