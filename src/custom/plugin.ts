// `--plugin FILE.js`: a CommonJS module exporting checks with the built-in contract. Code that runs
// as root on every node must not be writable by anyone else: such a file is refused.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FEATURES, type Check } from '../types';
import { UsageError } from '../cli/usage-error';

const ID = /^[a-z0-9][a-z0-9.-]*$/;

/** Refuses a plugin file that others could have changed: group/world-writable, or owned by another non-root user. */
export function assertPluginFileSafe(file: string, uid = process.getuid?.() ?? 0): void {
  let st;
  try {
    st = statSync(file);
  } catch {
    throw new UsageError(`--plugin ${file}: does not exist or cannot be read`);
  }
  if (!st.isFile()) throw new UsageError(`--plugin ${file}: is not a regular file`);
  if (st.mode & 0o022) throw new UsageError(`--plugin ${file}: refused: writable by ${st.mode & 0o002 ? 'others' : 'group'} (mode ${(st.mode & 0o777).toString(8)}); chmod go-w it`);
  if (st.uid !== 0 && st.uid !== uid) throw new UsageError(`--plugin ${file}: refused: owned by uid ${st.uid}, neither root nor the user running the agent`);
}

function validate(c: unknown, file: string, index: number, taken: Set<string>): Check {
  const where = `--plugin ${file}: check ${index}`;
  if (!c || typeof c !== 'object') throw new UsageError(`${where}: expected an object`);
  const o = c as Partial<Check>;
  if (typeof o.id !== 'string' || !ID.test(o.id)) throw new UsageError(`${where}: id must be lower-case letters, digits, dots and dashes`);
  if (taken.has(o.id)) throw new UsageError(`${where}: duplicate check id ${o.id}`);
  taken.add(o.id);
  if (typeof o.run !== 'function') throw new UsageError(`${where} (${o.id}): run must be a function`);
  const features = o.features ?? [];
  if (!Array.isArray(features) || features.some((f) => !(FEATURES as readonly string[]).includes(f))) throw new UsageError(`${where} (${o.id}): features must be a list from ${FEATURES.join(', ')}`);
  if (o.dependsOn !== undefined && (!Array.isArray(o.dependsOn) || o.dependsOn.some((d) => typeof d !== 'string'))) throw new UsageError(`${where} (${o.id}): dependsOn must be a list of ids`);
  if (o.timeoutMs !== undefined && !(Number.isFinite(o.timeoutMs) && o.timeoutMs > 0)) throw new UsageError(`${where} (${o.id}): timeoutMs must be a positive number`);
  return {
    id: o.id,
    title: typeof o.title === 'string' ? o.title : o.id,
    area: typeof o.area === 'string' ? o.area : 'custom',
    features,
    dependsOn: o.dependsOn ?? [],
    live: o.live === true,
    timeoutMs: o.timeoutMs,
    description: typeof o.description === 'string' ? o.description : `Check from the plugin ${file}.`,
    fix: typeof o.fix === 'string' ? o.fix : 'See the plugin documentation.',
    run: o.run.bind(o),
  };
}

/** Loads the checks a plugin exports: an array, `{ checks: [...] }`, or one check. */
export function loadPlugin(file: string, taken: ReadonlySet<string>): Check[] {
  const abs = path.resolve(file);
  assertPluginFileSafe(abs);
  let exported: unknown;
  try {
    // createRequire works from the bundle and from the single executable alike.
    exported = createRequire(abs)(abs);
  } catch (err) {
    throw new UsageError(`--plugin ${file}: could not be loaded: ${(err as Error).message.split('\n')[0]}`);
  }
  const mod = exported as { checks?: unknown; default?: unknown };
  const list = Array.isArray(mod) ? mod : Array.isArray(mod?.checks) ? mod.checks : Array.isArray(mod?.default) ? mod.default : [mod];
  const ids = new Set(taken);
  const checks = (list as unknown[]).map((c, i) => validate(c, file, i, ids));
  for (const c of checks) {
    const unknown = c.dependsOn.find((d) => !ids.has(d));
    if (unknown !== undefined) throw new UsageError(`--plugin ${file}: check ${c.id} depends on ${unknown}, which is not a known check (built-in, or loaded before it)`);
  }
  return checks;
}
