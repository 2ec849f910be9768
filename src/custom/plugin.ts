// `--plugin FILE.js`: a CommonJS module exporting checks with the built-in contract. It runs as
// root on every node, so it is read under the trust rule (src/input/trusted-file.ts): once, through
// the descriptor that was checked, and that very text is compiled, so a file swapped after the
// check is never the one run. A plugin is one self-contained file: its `require` reaches Node's
// built-in modules only, since any other module it pulled in would be code nobody checked (bundle
// a plugin's dependencies into it, e.g. with esbuild).
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type { Check } from '../types';
import { declarationProblem, declaredMeta, type CheckDeclaration } from './declaration';
import { UsageError } from '../errors';
import { readTrustedFile } from '../input/trusted-file';

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
  const o = c as Record<string, unknown>;
  const name = typeof o.id === 'string' ? ` (${o.id})` : '';
  if (typeof o.run !== 'function') throw new UsageError(`${where}${name}: run must be a function`);
  // The declared fields are validated against the one schema; other functions are the plugin's helpers (called through `this`).
  const meta = Object.fromEntries(Object.entries(o).filter(([k, v]) => k !== 'run' && typeof v !== 'function'));
  const problem = declarationProblem(meta);
  if (problem) throw new UsageError(`${where}${name}: ${problem.path.join('.') || 'the check'}: ${problem.message}`);
  const d = meta as CheckDeclaration;
  if (taken.has(d.id)) throw new UsageError(`${where}: duplicate check id ${d.id}`);
  taken.add(d.id);
  return { ...declaredMeta(d, { description: `Check from the plugin ${file}.`, fix: 'See the plugin documentation.', live: false }), run: (o.run as Check['run']).bind(o) };
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
  const checks = (list as unknown[]).map((c, i) => validate(c, file, i, ids));
  for (const c of checks) {
    const unknown = c.dependsOn.find((d) => !ids.has(d));
    if (unknown !== undefined) throw new UsageError(`--plugin ${file}: check ${c.id} depends on ${unknown}, which is not a known check (built-in, or loaded before it)`);
  }
  return checks;
}
