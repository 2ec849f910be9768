// `batch-preflight baseline capture [--root DIR]`: the facts of a host that works, as the JSON
// document `run --baseline FILE` compares later hosts with (schema: src/baseline/schema.ts).
import { realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chooseMode } from '../engine/mode';
import { hostFor } from './run';
import { gatherFacts } from '../baseline/facts';
import { BASELINE_SCHEMA_VERSION, type Baseline } from '../baseline/schema';
import { UsageError } from '../errors';
import { VERSION } from '../version';

/** As run's default per-check timeout: a command (ofed_info, rpm) gets most of it. */
const TIMEOUT_MS = 10_000;

export async function captureBaseline(rootArg: string, env: NodeJS.ProcessEnv): Promise<string> {
  let st;
  try {
    st = statSync(rootArg);
  } catch {
    throw new UsageError(`--root ${rootArg}: does not exist`);
  }
  if (!st.isDirectory()) throw new UsageError(`--root ${rootArg}: is not a directory`);
  const root = realpathSync(path.resolve(rootArg));
  // Read as `run` in its automatic mode reads the same host, so that a capture and a later run on
  // the same host agree: the running kernel and driver on a node or a build VM, files only offline
  // and in a container.
  const { mode } = chooseMode({ requested: 'auto', root, env });
  const host = hostFor(root, mode, TIMEOUT_MS, env);
  const doc: Baseline = {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    tool: { name: 'batch-preflight', version: VERSION },
    capturedAt: new Date().toISOString(),
    host: { hostname: os.hostname(), root, mode, live: host.live },
    facts: await gatherFacts(host),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
