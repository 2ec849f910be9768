// Test helpers: a Host over a fixture tree, and a way to run one check against it.
import path from 'node:path';
import { cpSync, existsSync, lstatSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { Host } from '../../src/host/host';
import type { DockerAnswer } from '../../src/host/docker-api';
import type { GrpcSocketAnswer } from '../../src/host/grpc-socket';
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
  /**
   * The Engine API's answer in place of the socket's, for what a test running as root cannot
   * provoke (permission denied); the real mapping is tested end to end (test/e2e/docker-faults).
   */
  dockerAnswer?: (apiPath: string) => DockerAnswer;
  /** A gRPC socket's answer in place of the socket's, for the same reason (root is never denied a socket). */
  grpcAnswer?: GrpcSocketAnswer;
}

/** A fixture tree's character devices (git cannot hold them): `path major minor` lines. */
const DEVICE_NODES = '.device-nodes';

/** Makes a character device with mknod; needs root (CAP_MKNOD), as the tests have here and in CI. */
export function makeCharDevice(file: string, major: number, minor: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  rmSync(file, { force: true });
  const r = spawnSync('mknod', [file, 'c', String(major), String(minor)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot make the character device ${file} (mknod needs root): ${r.error?.message ?? r.stderr.trim()}`);
}

function makeDeviceNodes(root: string): void {
  const manifest = path.join(root, DEVICE_NODES);
  if (!existsSync(manifest)) return;
  for (const line of readFileSync(manifest, 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [file, major, minor] = line.trim().split(/\s+/);
    makeCharDevice(path.join(root, file!), Number(major), Number(minor));
  }
}

/**
 * Runs one check against a fixture root (a path under fixtures/ or an absolute directory) and
 * returns what the report would show: the worst finding's status, all messages and fixes.
 */
export async function runCheck(check: Check, root: string, opts: RunCheckOptions = {}): Promise<CheckOutcome> {
  const fixture = path.join(FIXTURES, root);
  const dir = path.isAbsolute(root) ? root : existsSync(path.join(fixture, DEVICE_NODES)) ? tempTree({}, root) : fixture;
  const host = fixtureHost(dir, opts);
  const answer = opts.dockerAnswer;
  if (answer) host.docker = async (apiPath: string) => answer(apiPath);
  const grpcAnswer = opts.grpcAnswer;
  if (grpcAnswer) host.grpc = async () => grpcAnswer;
  const features = new Set<Feature>(opts.features ?? ['docker', 'ssh']);
  const settings: CheckSettings = { mode: 'image', nodeCommunication: 'simplified', target: 'shipyard', ...opts.settings };
  const result = await check.run({ host, features, settings, signal: new AbortController().signal, log: silentLogger });
  return outcomeOf(check, sanitize(result), 0);
}

/**
 * A throw-away host tree for one test: files by path (inside the root) to content; a value
 * starting with '#!' becomes an executable; `{ link: target }` a symlink; `{ charDevice: [major,
 * minor] }` a character device. A base fixture's own character devices are made too.
 */
export function tempTree(files: Record<string, string | { link: string } | { mode: number; content: string } | { charDevice: [number, number] }>, base?: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bp-tree-'));
  if (base) {
    cpSync(path.join(FIXTURES, base), root, { recursive: true, verbatimSymlinks: true });
    makeDeviceNodes(root);
  }
  for (const [p, v] of Object.entries(files)) {
    const full = path.join(root, p);
    mkdirSync(path.dirname(full), { recursive: true });
    // A base fixture's device node or link is replaced, not written through.
    if (!lstatSync(full, { throwIfNoEntry: false })?.isFile()) rmSync(full, { force: true });
    if (typeof v === 'object' && 'link' in v) symlinkSync(v.link, full);
    else if (typeof v === 'object' && 'charDevice' in v) makeCharDevice(full, ...v.charDevice);
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
