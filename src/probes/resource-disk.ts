// Where the resource (temp) disk is expected: from the pool's node agent when known, else the
// distribution's default (Ubuntu images mount it at /mnt via cloud-init; WALinuxAgent's default is /mnt/resource).
import type { CheckSettings } from '../types';
import type { OsReleaseProbe } from './os-release';

export interface ExpectedMount {
  path: string;
  why: string;
}

export function expectedResourceMount(settings: CheckSettings, os: OsReleaseProbe): ExpectedMount {
  if (settings.expectedResourceMount) {
    return { path: settings.expectedResourceMount, why: `the pool's node agent ${settings.expectedDistro?.nodeAgent ?? ''}`.trim() };
  }
  if (os.ok && os.fields.ID === 'ubuntu') return { path: '/mnt', why: 'Ubuntu default' };
  return { path: '/mnt/resource', why: os.ok ? `WALinuxAgent default on ${os.fields.ID}` : 'WALinuxAgent default' };
}

/** The two places node prep accepts: /mnt for Ubuntu node agents, /mnt/resource for the others. */
export const RESOURCE_MOUNTS = ['/mnt', '/mnt/resource'] as const;

/**
 * Why the expected mount point cannot be told, or null when it can: without the pool's node agent
 * and without a readable distribution, /mnt (Ubuntu) and /mnt/resource (others) are equally likely.
 */
export function resourceMountUnknown(settings: CheckSettings, os: OsReleaseProbe): string | null {
  if (settings.expectedResourceMount || os.ok) return null;
  return `the distribution is unknown (${os.reason}), so it cannot be told whether the temp disk belongs at /mnt (Ubuntu) or /mnt/resource (others); give the pool's configuration (--pool) to say`;
}
