// Linux distributions and the Azure Batch node agent SKUs that run on them. Data only: edit here
// when Azure Batch adds or retires a node agent (check the "List Supported Images" API and the
// retirement notices at github.com/Azure/Batch/issues).

export type SupportState = 'supported' | 'retired';

export interface BatchDistro {
  name: string;
  /** os-release ID values of this distribution. */
  ids: readonly string[];
  /** VERSION_ID, or its major part for the Enterprise Linux family (9.4 is 9). */
  version: string;
  state: SupportState;
  nodeAgent: string;
  note?: string;
}

export const BATCH_DISTROS: readonly BatchDistro[] = [
  { name: 'Ubuntu 24.04', ids: ['ubuntu'], version: '24.04', state: 'supported', nodeAgent: 'batch.node.ubuntu 24.04' },
  { name: 'Ubuntu 22.04', ids: ['ubuntu'], version: '22.04', state: 'supported', nodeAgent: 'batch.node.ubuntu 22.04', note: 'Azure Batch announced the end of support for batch.node.ubuntu 22.04 on 2027-06-30' },
  { name: 'RHEL/AlmaLinux/Rocky Linux 9', ids: ['rhel', 'almalinux', 'rocky'], version: '9', state: 'supported', nodeAgent: 'batch.node.el 9' },
  { name: 'RHEL/AlmaLinux/Rocky Linux 8', ids: ['rhel', 'almalinux', 'rocky'], version: '8', state: 'supported', nodeAgent: 'batch.node.el 8' },
  { name: 'Ubuntu 20.04', ids: ['ubuntu'], version: '20.04', state: 'retired', nodeAgent: 'batch.node.ubuntu 20.04' },
  { name: 'Ubuntu 18.04', ids: ['ubuntu'], version: '18.04', state: 'retired', nodeAgent: 'batch.node.ubuntu 18.04' },
  { name: 'Ubuntu 16.04', ids: ['ubuntu'], version: '16.04', state: 'retired', nodeAgent: 'batch.node.ubuntu 16.04' },
  { name: 'CentOS 8', ids: ['centos'], version: '8', state: 'retired', nodeAgent: 'batch.node.centos 8' },
  { name: 'CentOS 7', ids: ['centos'], version: '7', state: 'retired', nodeAgent: 'batch.node.centos 7', note: 'Azure Batch removed batch.node.centos 7 on 2024-07-01' },
  { name: 'Debian 10', ids: ['debian'], version: '10', state: 'retired', nodeAgent: 'batch.node.debian 10' },
  { name: 'Debian 9', ids: ['debian'], version: '9', state: 'retired', nodeAgent: 'batch.node.debian 9' },
];

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

/** Enterprise Linux versions compare by major number (VERSION_ID 9.4 is 9); others exactly. */
export function versionMatches(actual: string, wanted: string): boolean {
  return actual === wanted || actual.startsWith(`${wanted}.`);
}

export function findBatchDistro(id: string, versionId: string): BatchDistro | undefined {
  return BATCH_DISTROS.find((d) => d.ids.includes(id) && versionMatches(versionId, d.version));
}
