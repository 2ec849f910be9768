// What a site check may declare about itself, for `--plugin` and `--checks-file` alike: one
// TypeBox schema of the check contract's documented fields (src/types.ts), so that a field either
// file declares is validated the same way and kept, never silently dropped.
import * as T from '@sinclair/typebox';
import { Value, type ValueError } from '@sinclair/typebox/value';
import { CATEGORIES, FEATURES, MODES, TARGETS } from '../types';

/** TypeBox's value checker does not check `Unsafe` enums: a union of literals it does check. */
const oneOf = <const V extends readonly string[]>(values: V) => T.Union(values.map((v) => T.Literal(v))) as unknown as T.TUnsafe<V[number]>;

/** Longest a site check may ask to run: the run's deadline bounds it anyway. */
const MAX_TIMEOUT_MS = 3_600_000;

export const CheckDeclarationSchema = T.Object(
  {
    id: T.String({ pattern: '^[a-z0-9][a-z0-9.-]*$', description: 'an id of lower-case letters, digits, dots and dashes' }),
    title: T.Optional(T.String({ minLength: 1 })),
    area: T.Optional(T.String({ minLength: 1 })),
    features: T.Optional(T.Array(oneOf(FEATURES))),
    category: T.Optional(oneOf(CATEGORIES)),
    readiness: T.Optional(T.Boolean()),
    dependsOn: T.Optional(T.Array(T.String({ minLength: 1 }))),
    live: T.Optional(T.Boolean()),
    modes: T.Optional(T.Array(oneOf(MODES), { minItems: 1 })),
    targets: T.Optional(T.Array(oneOf(TARGETS), { minItems: 1 })),
    needsVmSize: T.Optional(T.Boolean()),
    timeoutMs: T.Optional(T.Number({ exclusiveMinimum: 0, maximum: MAX_TIMEOUT_MS })),
    description: T.Optional(T.String({ minLength: 1 })),
    consequence: T.Optional(T.String({ minLength: 1 })),
    fix: T.Optional(T.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type CheckDeclaration = T.Static<typeof CheckDeclarationSchema>;

export const DECLARATION_KEYS: readonly string[] = Object.keys(CheckDeclarationSchema.properties);

/** Where a declaration is wrong: the path of keys and indexes, and what is wrong there. */
export interface DeclarationProblem {
  path: (string | number)[];
  message: string;
}

function problemText(e: ValueError): string {
  const s = e.schema as { anyOf?: { const?: unknown }[]; description?: unknown };
  if (e.message === 'Unexpected property') return `unknown key (expected one of ${DECLARATION_KEYS.join(', ')})`;
  if (s.anyOf?.every((a) => typeof a.const === 'string')) return `expected one of ${s.anyOf.map((a) => a.const).join(', ')}`;
  if (typeof s.description === 'string') return `expected ${s.description}`;
  return e.message.replace(/^Expected /, 'expected ');
}

/** The first problem of a declaration (the meta fields only), or null when it holds to the schema. */
export function declarationProblem(meta: Record<string, unknown>): DeclarationProblem | null {
  const first = Value.Errors(CheckDeclarationSchema, meta).First();
  if (!first) return null;
  const path = first.path
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, '/').replace(/~0/g, '~')));
  return { path, message: problemText(first) };
}

/** The declared fields of a check, with the contract's defaults for what it left out. */
export function declaredMeta(d: CheckDeclaration, defaults: { description: string; fix: string; live: boolean }) {
  return {
    id: d.id,
    title: d.title ?? d.id,
    area: d.area ?? 'custom',
    features: d.features ?? [],
    dependsOn: d.dependsOn ?? [],
    live: d.live ?? defaults.live,
    description: d.description ?? defaults.description,
    fix: d.fix ?? defaults.fix,
    ...(d.category !== undefined ? { category: d.category } : {}),
    ...(d.readiness !== undefined ? { readiness: d.readiness } : {}),
    ...(d.modes !== undefined ? { modes: d.modes } : {}),
    ...(d.targets !== undefined ? { targets: d.targets } : {}),
    ...(d.needsVmSize !== undefined ? { needsVmSize: d.needsVmSize } : {}),
    ...(d.timeoutMs !== undefined ? { timeoutMs: d.timeoutMs } : {}),
    ...(d.consequence !== undefined ? { consequence: d.consequence } : {}),
  };
}
