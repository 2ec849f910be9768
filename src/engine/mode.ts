// Where the agent runs decides what it can see: the mode, and the reason it was chosen.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Mode } from '../types';

export interface ModeChoice {
  mode: Mode;
  reason: string;
}

export interface ModeInputs {
  requested: Mode | 'auto';
  root: string;
  env: NodeJS.ProcessEnv;
  /** Root of this machine's own files, to look for container markers (tests point it at a fixture). */
  hostRoot?: string;
}

/** The container markers of this machine, or null when none is found. */
export function containerMarker(env: NodeJS.ProcessEnv, hostRoot = '/'): string | null {
  if (existsSync(path.join(hostRoot, '.dockerenv'))) return '/.dockerenv exists';
  if (existsSync(path.join(hostRoot, 'run/.containerenv'))) return '/run/.containerenv exists';
  if (env.container) return `the container environment variable is set (${env.container})`;
  try {
    const runtime = containerRuntimeInCgroup(readFileSync(path.join(hostRoot, 'proc/1/cgroup'), 'utf8'));
    if (runtime) return `PID 1's cgroup names ${runtime}`;
  } catch {
    // No /proc/1/cgroup to read: no evidence either way.
  }
  return null;
}

/**
 * The container runtime named by a path component of a /proc/<pid>/cgroup file
 * (`12:devices:/docker/<id>`, `0::/system.slice/docker-<id>.scope`, `/kubepods/...`), or null.
 * A host's PID 1 sits in `/` or `/init.scope`.
 */
export function containerRuntimeInCgroup(text: string): string | null {
  for (const line of text.split('\n')) {
    const cgPath = line.split(':').slice(2).join(':');
    const m = /(?:^|\/)(docker|containerd|kubepods|libpod|lxc|buildkit)(?=[-/.]|$)/.exec(cgPath);
    if (m) return m[1]!;
  }
  return null;
}

/** True when `root` is this machine's own `/` (also through a symlink such as /proc/1/root). */
function isSystemRoot(root: string): boolean {
  try {
    return realpathSync(root) === '/';
  } catch {
    return path.resolve(root) === '/';
  }
}

export function chooseMode(inp: ModeInputs): ModeChoice {
  const offlineRoot = !isSystemRoot(inp.root);
  if (inp.requested !== 'auto') {
    if (offlineRoot && inp.requested !== 'offline') {
      return { mode: 'offline', reason: `--mode ${inp.requested} ignored: --root ${inp.root} is not the running system` };
    }
    return { mode: inp.requested, reason: `--mode ${inp.requested}` };
  }
  if (offlineRoot) return { mode: 'offline', reason: `--root ${inp.root} is an image root, not the running system` };
  if (inp.env.AZ_BATCH_NODE_ID && inp.env.AZ_BATCH_TASK_WORKING_DIR) {
    return { mode: 'start-task', reason: `AZ_BATCH_NODE_ID (${inp.env.AZ_BATCH_NODE_ID}) and AZ_BATCH_TASK_WORKING_DIR are set` };
  }
  const marker = containerMarker(inp.env, inp.hostRoot);
  if (marker) return { mode: 'container', reason: marker };
  return { mode: 'image', reason: 'no Batch start task environment and no container markers: checking this machine as an image build VM' };
}
