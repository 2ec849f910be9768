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
