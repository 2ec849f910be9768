// Test helpers: a Host over a fixture tree, and a way to run one check against it.
import path from 'node:path';
import { cpSync, mkdtempSync, mkdirSync, writeFileSync, chmodSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import { Host } from '../../src/host/host';
import { silentLogger } from '../../src/log';
import type { Check, CheckOutcome, CheckSettings, Feature } from '../../src/types';
import { outcomeOf, sanitize } from '../../src/engine/outcome';

export const FIXTURES = path.resolve(__dirname, '../../fixtures');

export interface FixtureHostOptions {
  /** Treat the fixture as a running host: read /proc, /sys, sockets (default true). */
  live?: boolean;
  /** Run stub executables found under the fixture's PATH directories (default true). */
  canExec?: boolean;
  dockerSocket?: string;
  commandTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export function fixtureHost(root: string, opts: FixtureHostOptions = {}): Host {
  return new Host({
    root,
    live: opts.live ?? true,
    canExec: opts.canExec ?? true,
    dockerSocket: opts.dockerSocket ?? path.join(root, 'var/run/docker.sock'),
    commandTimeoutMs: opts.commandTimeoutMs ?? 3000,
    env: opts.env ?? {},
  });
}

export interface RunCheckOptions extends FixtureHostOptions {
  features?: Feature[];
  settings?: Partial<CheckSettings>;
}

/**
 * Runs one check against a fixture root (a path under fixtures/ or an absolute directory) and
 * returns what the report would show: the worst finding's status, all messages and fixes.
 */
export async function runCheck(check: Check, root: string, opts: RunCheckOptions = {}): Promise<CheckOutcome> {
  const dir = path.isAbsolute(root) ? root : path.join(FIXTURES, root);
  const host = fixtureHost(dir, opts);
  const features = new Set<Feature>(opts.features ?? ['docker', 'ssh']);
  const settings: CheckSettings = { mode: 'image', nodeCommunication: 'simplified', target: 'shipyard', ...opts.settings };
  const result = await check.run({ host, features, settings, signal: new AbortController().signal, log: silentLogger });
  return outcomeOf(check, sanitize(result), 0);
}

/**
 * A throw-away host tree for one test: files by path (inside the root) to content; a value
 * starting with '#!' becomes an executable; `{ link: target }` a symlink.
 */
export function tempTree(files: Record<string, string | { link: string } | { mode: number; content: string }>, base?: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bp-tree-'));
  if (base) cpSync(path.join(FIXTURES, base), root, { recursive: true, verbatimSymlinks: true });
  for (const [p, v] of Object.entries(files)) {
    const full = path.join(root, p);
    mkdirSync(path.dirname(full), { recursive: true });
    if (typeof v === 'object' && 'link' in v) symlinkSync(v.link, full);
    else if (typeof v === 'object') {
      writeFileSync(full, v.content);
      chmodSync(full, v.mode);
    } else {
      writeFileSync(full, v);
      if (v.startsWith('#!')) chmodSync(full, 0o755);
    }
  }
  return root;
}
