// `--plugin FILE.js`: a CommonJS module exporting checks with the built-in contract. It runs as
// root on every node, so it is read under the trust rule (src/input/trusted-file.ts): once, through
// the descriptor that was checked, and that very text is compiled, so a file swapped after the
// check is never the one run. A plugin is one self-contained file: its `require` reaches Node's
// built-in modules only, since any other module it pulled in would be code nobody checked (bundle
// a plugin's dependencies into it, e.g. with esbuild).
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { FEATURES, type Check } from '../types';
import { UsageError } from '../errors';
import { readTrustedFile } from '../input/trusted-file';

const ID = /^[a-z0-9][a-z0-9.-]*$/;
/** Bundled plugins carry their dependencies; bound the read all the same. */
const MAX_PLUGIN_BYTES = 32 * 1024 * 1024;

/** `require` for a plugin: Node's built-in modules, nothing from the file system. */
function builtinsOnly(file: string): (id: string) => unknown {
  const load = createRequire(file);
  return (id: string) => {
    if (!isBuiltin(id)) throw new Error(`require('${id}') refused: a plugin may require only Node's built-in modules; bundle its other dependencies into the plugin file`);
    return load(id);
  };
}

/** Runs the plugin's source as a CommonJS module and returns what it exports. */
function evaluate(text: string, realPath: string): unknown {
  const module = { exports: {} as unknown, filename: realPath, id: realPath, loaded: false };
  // Node's own loader accepts a leading `#!` line; a function body does not: blank it, keep the line count.
  const source = text.startsWith('#!') ? text.replace(/^#![^\n]*/, '') : text;
  const run = vm.compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: realPath });
  run.call(module.exports, module.exports, builtinsOnly(realPath), module, realPath, path.dirname(realPath));
  module.loaded = true;
  return module.exports;
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
  const { text, realPath } = readTrustedFile('--plugin', file, 'a plugin', MAX_PLUGIN_BYTES);
  let exported: unknown;
  try {
    exported = evaluate(text, realPath);
  } catch (err) {
    throw new UsageError(`--plugin ${file}: could not be loaded: ${(err as Error)?.message?.split('\n')[0] ?? String(err)}`);
  }
  const mod = exported as { checks?: unknown; default?: unknown };
  const list = Array.isArray(mod) ? mod : Array.isArray(mod?.checks) ? mod.checks : Array.isArray(mod?.default) ? mod.default : [mod];
  const ids = new Set(taken);
  return (list as unknown[]).map((c, i) => validate(c, file, i, ids));
}
