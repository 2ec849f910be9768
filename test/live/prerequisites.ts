// The one gate of the live suite. A live file names what it needs; when something is missing the
// file is skipped with the reason in its title, except where live tests are required (CI, or
// BATCH_PREFLIGHT_LIVE=1): there a missing prerequisite is a failing test that names it.
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { BUNDLE, REPO, sandboxProblem } from '../sandbox/sandbox';

/** The agent's fixed PATH, where the sandbox's scenarios find their tools too. */
const FIXED_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export interface LiveNeeds {
  /** Commands a scenario runs, with the apt package that has them (as .ci/run installs). */
  commands?: Record<string, string>;
  /** Build outputs, relative to the repository, with the npm script that makes them. */
  built?: Record<string, string>;
}

export const liveRequired = (env: NodeJS.ProcessEnv = process.env): boolean => env.BATCH_PREFLIGHT_LIVE === '1' || (env.CI !== undefined && env.CI !== '' && env.CI !== 'false');

const onPath = (cmd: string): boolean =>
  FIXED_PATH.some((dir) => {
    try {
      accessSync(path.join(dir, cmd), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/** What every scenario uses: the sandbox's own tools and the Node that runs the bundle inside it. */
const SANDBOX_COMMANDS = { unshare: 'util-linux', ip: 'iproute2', node: 'nodejs; Node >= 20 in a fixed PATH directory' };

/** Every prerequisite of a live file that this machine lacks, each named with where it comes from. */
export function missingPrerequisites(needs: LiveNeeds): string[] {
  const built = { [path.relative(REPO, BUNDLE)]: 'npm run build', ...needs.built };
  const sandbox = sandboxProblem();
  return [
    ...(sandbox ? [sandbox] : []),
    ...Object.entries({ ...SANDBOX_COMMANDS, ...needs.commands })
      .filter(([cmd]) => !onPath(cmd))
      .map(([cmd, pkg]) => `${cmd} (apt: ${pkg})`),
    ...Object.entries(built)
      .filter(([file]) => !existsSync(path.join(REPO, file)))
      .map(([file, script]) => `${file} (${script})`),
  ];
}

/** describe() for a live file: runs it, skips it visibly, or fails naming what is missing. */
export function describeLive(title: string, needs: LiveNeeds, body: () => void): void {
  const missing = missingPrerequisites(needs);
  if (missing.length === 0) describe(title, body);
  else if (liveRequired()) {
    describe(title, () => {
      it('has its prerequisites', () => {
        throw new Error(`live tests are required here (CI or BATCH_PREFLIGHT_LIVE=1) but this machine lacks: ${missing.join('; ')}`);
      });
    });
  } else describe.skip(`${title} [skipped, missing: ${missing.join('; ')}]`, body);
}
