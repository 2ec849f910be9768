// `batch-preflight baseline capture [--root DIR]`: the facts of a host that works, as the JSON
// document `run --baseline FILE` compares later hosts with (schema: src/baseline/schema.ts).
import { realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Host } from '../host/host';
import { dockerSocketPath } from '../host/docker-api';
import { gatherFacts } from '../baseline/facts';
import { BASELINE_SCHEMA_VERSION, type Baseline } from '../baseline/schema';
import { UsageError } from '../errors';
import { VERSION } from '../version';

/** Each command (ofed_info, rpm) may take this long. */
const COMMAND_TIMEOUT_MS = 10_000;

export async function captureBaseline(rootArg: string, env: NodeJS.ProcessEnv): Promise<string> {
  let st;
  try {
    st = statSync(rootArg);
  } catch {
    throw new UsageError(`--root ${rootArg}: does not exist`);
  }
  if (!st.isDirectory()) throw new UsageError(`--root ${rootArg}: is not a directory`);
  const root = realpathSync(path.resolve(rootArg));
  // The running system is read as it runs (loaded kernel and driver, commands); any other root as files only.
  const live = root === '/';
  const host = new Host({ root, canExec: live, live, dockerSocket: dockerSocketPath(env).path, commandTimeoutMs: COMMAND_TIMEOUT_MS, env });
  const doc: Baseline = {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    tool: { name: 'batch-preflight', version: VERSION },
    capturedAt: new Date().toISOString(),
    host: { hostname: os.hostname(), root, live },
    facts: await gatherFacts(host),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
