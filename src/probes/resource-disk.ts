// Where the temp (resource) disk may be mounted. Batch Shipyard's node prep accepts /mnt or
// /mnt/resource for any distribution; its convoy only picks a default per node agent (Ubuntu node
// agents /mnt, every other one /mnt/resource) and builds task paths on it (registry login,
// Singularity cache), so a disk at the other place works for node prep but not for those paths.
import type { CheckSettings } from '../types';
import type { OsReleaseProbe } from './os-release';

/** The two places node prep accepts, for any distribution. */
export const RESOURCE_MOUNTS = ['/mnt', '/mnt/resource'] as const;
export type ResourceMount = (typeof RESOURCE_MOUNTS)[number];

/** A node agent's default: Ubuntu agents use /mnt (cloud-init), every other one WALinuxAgent's /mnt/resource. */
export const agentDefaultMount = (distroId: string): ResourceMount => (distroId === 'ubuntu' ? '/mnt' : '/mnt/resource');

export interface DefaultMount {
  path: string;
  why: string;
}

/**
 * The node agent's default temp disk mount point: from the pool's node agent when known, else from
 * the distribution (the node agent must match it); null when neither is known.
 */
export function nodeAgentDefaultMount(settings: CheckSettings, os: OsReleaseProbe): DefaultMount | null {
  if (settings.expectedResourceMount) {
    return { path: settings.expectedResourceMount, why: `the pool's node agent ${settings.expectedDistro?.nodeAgent ?? ''}`.trim() };
  }
  if (!os.ok) return null;
  const id = os.fields.ID ?? '';
  return { path: agentDefaultMount(id), why: id === 'ubuntu' ? 'the Ubuntu node agent default' : `the node agent default on ${os.fields.ID}` };
}

/** Whether a (normalised) path is one of the places node prep accepts. */
export function isResourceMount(p: string): boolean {
  const norm = p.replace(/\/+$/, '') || '/';
  return (RESOURCE_MOUNTS as readonly string[]).includes(norm);
}
