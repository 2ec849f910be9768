// The JSON report: the one structured result every other format is rendered from. Declared once, as
// JSON Schema (draft 2020-12) with TypeBox; `batch-preflight schema` prints it and the types derive from it.
import * as T from '@sinclair/typebox';
import { CheckOutcomeSchema, FEATURES, isBlocking, MODES, TARGETS, stringEnum, type CheckOutcome, type Status } from '../types';

// 2: checks carry their findings, a category and whether retrying can help.
// 3: skips carry a kind (skipKind); the summary says whether warnings block (strict) and a run
// that checked nothing is not ok.
export const SCHEMA_VERSION = 3;

const count = T.Integer({ minimum: 0 });
const nullableString = T.Union([T.String(), T.Null()]);

const RequirementSchema = T.Object(
  {
    feature: stringEnum(FEATURES),
    source: T.String({ description: 'Where it came from: the flag, the config key, the detected hardware, or the default.' }),
  },
  { additionalProperties: false },
);
export type Requirement = T.Static<typeof RequirementSchema>;

const SummarySchema = T.Object(
  {
    pass: count,
    warn: count,
    fail: count,
    skip: count,
    error: count,
    strict: T.Boolean({ description: 'Whether a warning fails the run (--strict).' }),
    ok: T.Boolean({ description: 'True when the run succeeds: at least one check ran, and none failed or erred (or warned, under --strict).' }),
  },
  { additionalProperties: false },
);
export type Summary = T.Static<typeof SummarySchema>;

const InventorySchema = T.Object(
  {
    cpu: T.Optional(T.Object({ manufacturer: T.String(), brand: T.String(), cores: count, physicalCores: count }, { additionalProperties: false })),
    memoryBytes: T.Optional(count),
    system: T.Optional(
      T.Object({ manufacturer: T.String(), model: T.String(), virtual: T.Boolean(), virtualHost: T.Optional(T.String()) }, { additionalProperties: false }),
    ),
    azureVm: T.Optional(T.Boolean({ description: 'Azure VMs report Microsoft Corporation / Virtual Machine in their DMI data.' })),
    gpus: T.Array(T.Object({ address: T.String(), class: T.String() }, { additionalProperties: false })),
    error: T.Optional(T.String({ description: 'Why some facts are missing.' })),
  },
  { additionalProperties: false, description: 'With --inventory: CPU, memory, virtualisation, GPUs.' },
);
export type Inventory = T.Static<typeof InventorySchema>;

export const reportSchema = T.Object(
  {
    schemaVersion: T.Literal(SCHEMA_VERSION),
    tool: T.Object({ name: T.String(), version: T.String() }, { additionalProperties: false }),
    startedAt: T.String({ format: 'date-time' }),
    durationMs: count,
    host: T.Object(
      {
        hostname: T.String(),
        os: T.Object({ id: nullableString, versionId: nullableString, prettyName: nullableString }, { additionalProperties: false }),
        kernel: T.String(),
        arch: T.String(),
        mode: stringEnum(MODES),
        modeReason: T.String(),
        root: T.String(),
        inventory: T.Optional(InventorySchema),
      },
      { additionalProperties: false },
    ),
    target: T.Optional(
      T.Object(
        {
          name: stringEnum(TARGETS, 'Whose rules judged the node: batch (plain Azure Batch) or shipyard (Batch Shipyard node prep).'),
          reason: T.String({ description: 'Why this target: the flag, the pool file, the start task environment, or the default.' }),
        },
        { additionalProperties: false },
      ),
    ),
    batch: T.Optional(T.Object({ poolId: T.Optional(T.String()), nodeId: T.Optional(T.String()) }, { additionalProperties: false })),
    requirements: T.Array(RequirementSchema),
    excluded: T.Optional(T.Array(RequirementSchema, { description: 'Features turned off by --without, with the reason.' })),
    notes: T.Optional(T.Array(T.String())),
    deadlineExceeded: T.Boolean(),
    summary: SummarySchema,
    checks: T.Array(CheckOutcomeSchema),
  },
  {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://batch-preflight.invalid/schema/report-v3.json',
    title: 'batch-preflight report',
    additionalProperties: false,
  },
);
export type Report = T.Static<typeof reportSchema>;

export function summarize(checks: readonly CheckOutcome[], strict: boolean): Summary {
  const count = (s: Status) => checks.filter((c) => c.status === s).length;
  const s = { pass: count('pass'), warn: count('warn'), fail: count('fail'), skip: count('skip'), error: count('error') };
  return { ...s, strict, ok: !nothingChecked(checks) && !checks.some((c) => isBlocking(c.status, strict)) };
}

/** A run in which no check ran (all skipped, or none selected) says nothing of the host: it is not READY. */
export const nothingChecked = (checks: readonly CheckOutcome[]): boolean => checks.every((c) => c.status === 'skip');

/** The checks that stand in the way of READY, in report order. */
export const blockingChecks = (report: Report): CheckOutcome[] => report.checks.filter((c) => isBlocking(c.status, report.summary.strict));

/** The verdict in words: READY, NOT READY: nothing was checked, or NOT READY: the blocking checks' ids (each as `show` writes it). */
export function verdictText(report: Report, show: (id: string) => string = (id) => id): string {
  if (report.summary.ok) return 'READY';
  if (nothingChecked(report.checks)) return 'NOT READY: nothing was checked';
  return `NOT READY: ${blockingChecks(report)
    .map((c) => show(c.id))
    .join(', ')}`;
}

/**
 * The checks a test-result format (JUnit, TAP) lists: those that ran, and those that did not run
 * because a check they depend on did not pass. Checks that do not apply to this run (not selected,
 * not required, another mode or target) are not test cases.
 */
export const listedChecks = (report: Report): CheckOutcome[] => report.checks.filter((c) => c.status !== 'skip' || c.skipKind === 'dependency');
