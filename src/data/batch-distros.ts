// Linux distributions and the Azure Batch node agent SKUs that run on them. Data only: edit here
// when Azure Batch adds or retires a node agent (check the "List Supported Images" API, whose
// batchSupportEndOfLife gives the dates, and the retirement notices at github.com/Azure/Batch/issues).

export interface BatchDistro {
  name: string;
  /** os-release ID values of this distribution. */
  ids: readonly string[];
  /** VERSION_ID, or its major part for the Enterprise Linux family (9.4 is 9). */
  version: string;
  nodeAgent: string;
  /** Retired: `true`, or the day it was (YYYY-MM-DD). */
  retired?: true | string;
  /** For a supported row: the announced day Azure Batch stops supporting the node agent (YYYY-MM-DD, UTC). */
  endOfSupport?: string;
}

export const BATCH_DISTROS: readonly BatchDistro[] = [
  { name: 'Ubuntu 24.04', ids: ['ubuntu'], version: '24.04', nodeAgent: 'batch.node.ubuntu 24.04' },
  { name: 'Ubuntu 22.04', ids: ['ubuntu'], version: '22.04', nodeAgent: 'batch.node.ubuntu 22.04', endOfSupport: '2027-06-30' },
  { name: 'RHEL/AlmaLinux/Rocky Linux 9', ids: ['rhel', 'almalinux', 'rocky'], version: '9', nodeAgent: 'batch.node.el 9' },
  { name: 'RHEL/AlmaLinux/Rocky Linux 8', ids: ['rhel', 'almalinux', 'rocky'], version: '8', nodeAgent: 'batch.node.el 8' },
  // Batch node agent 1.12.15 and later.
  { name: 'Azure Linux 3.0', ids: ['azurelinux'], version: '3.0', nodeAgent: 'batch.node.azurelinux 3.0' },
  { name: 'Ubuntu 20.04', ids: ['ubuntu'], version: '20.04', nodeAgent: 'batch.node.ubuntu 20.04', retired: '2025-04-23' },
  { name: 'Ubuntu 18.04', ids: ['ubuntu'], version: '18.04', nodeAgent: 'batch.node.ubuntu 18.04', retired: true },
  { name: 'Ubuntu 16.04', ids: ['ubuntu'], version: '16.04', nodeAgent: 'batch.node.ubuntu 16.04', retired: true },
  { name: 'CentOS 8', ids: ['centos'], version: '8', nodeAgent: 'batch.node.centos 8', retired: true },
  { name: 'CentOS 7', ids: ['centos'], version: '7', nodeAgent: 'batch.node.centos 7', retired: '2024-07-01' },
  { name: 'Debian 10', ids: ['debian'], version: '10', nodeAgent: 'batch.node.debian 10', retired: true },
  { name: 'Debian 9', ids: ['debian'], version: '9', nodeAgent: 'batch.node.debian 9', retired: true },
];

export type Support = { state: 'supported'; endsOn?: string; daysLeft?: number } | { state: 'retired'; since?: string };

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether Azure Batch supports the node agent on `today` (YYYY-MM-DD, UTC), and for how long. */
export function supportOn(d: BatchDistro, today: string): Support {
  if (d.retired) return typeof d.retired === 'string' ? { state: 'retired', since: d.retired } : { state: 'retired' };
  if (!d.endOfSupport) return { state: 'supported' };
  if (today >= d.endOfSupport) return { state: 'retired', since: d.endOfSupport };
  return { state: 'supported', endsOn: d.endOfSupport, daysLeft: Math.round((Date.parse(d.endOfSupport) - Date.parse(today)) / DAY_MS) };
}

/** The rows the table calls supported, with announced end dates, for fixes and help texts. */
export const SUPPORTED_NAMES = BATCH_DISTROS.filter((d) => !d.retired)
  .map((d) => (d.endOfSupport ? `${d.name} (until ${d.endOfSupport})` : d.name))
  .join(', ');

/**
 * Families of node agent SKUs (batch.node.<agent> <version>) and the os-release IDs that satisfy
 * each ("el" is the Enterprise Linux family). os.distro compares /etc/os-release ID against osIds.
 */
export const NODE_AGENT_FAMILIES: Readonly<Record<string, { agents: readonly string[]; osIds: readonly string[] }>> = {
  ubuntu: { agents: ['ubuntu'], osIds: ['ubuntu'] },
  el: { agents: ['el', 'centos', 'rhel'], osIds: ['rhel', 'almalinux', 'rocky', 'centos'] },
  debian: { agents: ['debian'], osIds: ['debian'] },
  suse: { agents: ['sles', 'opensuse'], osIds: ['sles', 'opensuse', 'opensuse-leap', 'suse'] },
  azurelinux: { agents: ['mariner', 'azurelinux'], osIds: ['mariner', 'azurelinux'] },
};

/**
 * The package manager Batch Shipyard's node prep uses for an os-release ID: apt for ubuntu and
 * debian, yum for centos* and rhel, and zypper for every other ID, AlmaLinux, Rocky and Azure
 * Linux included (a Shipyard bug: those images have no zypper).
 */
export function nodePrepPackager(id: string): 'apt' | 'yum' | 'zypper' {
  if (id === 'ubuntu' || id === 'debian') return 'apt';
  if (id.startsWith('centos') || id === 'rhel') return 'yum';
  return 'zypper';
}

/** Enterprise Linux versions compare by major number (VERSION_ID 9.4 is 9); others exactly. */
export function versionMatches(actual: string, wanted: string): boolean {
  return actual === wanted || actual.startsWith(`${wanted}.`);
}

export function findBatchDistro(id: string, versionId: string): BatchDistro | undefined {
  return BATCH_DISTROS.find((d) => d.ids.includes(id) && versionMatches(versionId, d.version));
}
