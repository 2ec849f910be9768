// The golden-image baseline document (`batch-preflight baseline capture`), declared once as JSON
// Schema with TypeBox: the facts of a host that works, read back by `run --baseline FILE`.
import * as T from '@sinclair/typebox';

// 1: the first version.
export const BASELINE_SCHEMA_VERSION = 1;

/** A fact as read: a value, known to be absent (not installed), or unknown with the reason. */
export const FactSchema = T.Union([
  T.Object({ state: T.Literal('known'), value: T.String({ minLength: 1 }), source: T.String() }, { additionalProperties: false }),
  T.Object({ state: T.Literal('absent'), source: T.String() }, { additionalProperties: false }),
  T.Object({ state: T.Literal('unknown'), reason: T.String() }, { additionalProperties: false }),
]);
export type Fact = T.Static<typeof FactSchema>;

export const DRIFT_SEVERITIES = ['fail', 'warn'] as const;
export type DriftSeverity = (typeof DRIFT_SEVERITIES)[number];

/** A fact id: lower-case words joined by dots, or `package:` and a package name. */
export const FACT_ID = '^([a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*|package:[a-z0-9][a-z0-9+.-]*)$';

export const BaselineSchema = T.Object(
  {
    schemaVersion: T.Literal(BASELINE_SCHEMA_VERSION),
    tool: T.Object({ name: T.Literal('batch-preflight'), version: T.String() }, { additionalProperties: false }),
    capturedAt: T.String({ description: 'When, as an ISO 8601 time.' }),
    host: T.Object(
      {
        hostname: T.String(),
        root: T.String({ description: 'The root the facts were read under (/ for the running system).' }),
        mode: T.String({ description: "The mode the host was read in, as `run` decides it: start-task, image, container or offline." }),
        live: T.Boolean({ description: 'Whether the running system was read (kernel and driver as loaded), or files only (offline root, container).' }),
      },
      { additionalProperties: false },
    ),
    facts: T.Record(T.String({ pattern: FACT_ID }), FactSchema, { additionalProperties: false }),
    severity: T.Optional(
      T.Record(T.String({ pattern: FACT_ID }), T.Union(DRIFT_SEVERITIES.map((v) => T.Literal(v))), {
        additionalProperties: false,
        description: "What a change of a fact is, overriding the default (fail for kernel, nvidia.driver, cuda and nvidia.fabricmanager; warn for the others). Add it by hand.",
      }),
    ),
  },
  { additionalProperties: false },
);
export type Baseline = T.Static<typeof BaselineSchema>;
