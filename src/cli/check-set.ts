// The checks of one invocation: the built-in registry plus the user's own, from
// --checks-file (declarative YAML) and --plugin (CommonJS modules), in that order.
import { builtinChecks } from '../../checks/index';
import type { Check } from '../types';
import { loadChecksFile } from '../custom/checks-file';
import { loadPlugin } from '../custom/plugin';

export interface CustomSources {
  checksFiles: readonly string[];
  plugins: readonly string[];
}

export function checkSet({ checksFiles, plugins }: CustomSources): Check[] {
  const checks: Check[] = [...builtinChecks];
  const taken = () => new Set(checks.map((c) => c.id));
  for (const f of checksFiles) checks.push(...loadChecksFile(f, taken()));
  for (const p of plugins) checks.push(...loadPlugin(p, taken()));
  return checks;
}
