// Batch Shipyard 3.9.1 node prep's own distribution switch (scripts/shipyard_nodeprep.sh): it reads
// ID and VERSION_ID from /etc/os-release, lower-cases them, and picks its package manager in the
// `PACKAGER=` block: apt for ubuntu and debian, yum for centos* and rhel, zypper for every other ID.
// Whatever node prep installs itself (blobfuse, Singularity's squashfs-tools) goes through that branch.

export type NodePrepPackager = 'apt' | 'yum' | 'zypper';

export function nodePrepPackager(id: string): NodePrepPackager {
  const i = id.toLowerCase();
  if (i === 'ubuntu' || i === 'debian') return 'apt';
  if (i.startsWith('centos') || i === 'rhel') return 'yum';
  return 'zypper';
}

/** SUSE's os-release IDs (sles, sles_sap, opensuse-leap, ...): the only ones where the zypper branch has a zypper to run. */
function isSuse(id: string): boolean {
  const i = id.toLowerCase();
  return i.startsWith('sles') || i.startsWith('opensuse');
}

export type Installable = { ok: true; packager: NodePrepPackager; how: string; unsure?: string } | { ok: false; packager: NodePrepPackager; why: string };

/** Whether node prep's package-manager branch can install packages at all on this distribution. */
export function nodePrepCanInstall(id: string): Installable {
  const packager = nodePrepPackager(id);
  if (packager === 'zypper' && !isSuse(id)) {
    return {
      ok: false,
      packager,
      why: `node prep gives apt only to ubuntu/debian and yum only to centos*/rhel, so ID=${id.toLowerCase()} takes its zypper (SLES) branch, and \`zypper -n in\` does not exist here`,
    };
  }
  return { ok: true, packager, how: `\`${packager === 'apt' ? 'apt-get install' : packager === 'yum' ? 'yum install' : 'zypper -n in'}\`` };
}

/** The last Ubuntu release with a blobfuse v1 package (Azure/azure-storage-fuse issues 742 and 808: none for 21.10, 22.04 or later). */
const LAST_UBUNTU_WITH_V1 = 20.04;

/**
 * Whether node prep's mount_azureblob_container can install blobfuse v1 when the package is missing:
 * it fetches packages-microsoft-prod from packages.microsoft.com/config/<distro>/<VERSION_ID>/ (apt:
 * ubuntu/<VERSION_ID>, Debian 9 only via ubuntu/16.04; yum: rhel/<VERSION_ID>; zypper:
 * sles/<VERSION_ID>), exits 1 with "unsupported distribution for Azure blob" when it has no URL,
 * then runs `install_packages blobfuse`, which exits 1 when the package cannot be installed.
 */
export function nodePrepBlobfuseInstall(id: string, versionId: string): Installable {
  const base = nodePrepCanInstall(id);
  if (!base.ok) return base;
  const i = id.toLowerCase();
  const v = versionId.toLowerCase();
  const config = (distro: string, ext: string) => `packages.microsoft.com/config/${distro}/packages-microsoft-prod.${ext}`;
  if (i === 'debian') {
    if (v !== '9') return { ok: false, packager: 'apt', why: `node prep knows a Microsoft repository only for Debian 9, so on Debian ${v} it exits with "unsupported distribution for Azure blob"` };
    return { ok: true, packager: 'apt', how: `\`apt-get install blobfuse\` after adding ${config('ubuntu/16.04', 'deb')}` };
  }
  if (i === 'ubuntu') {
    const n = Number.parseFloat(v);
    if (!Number.isFinite(n) || n > LAST_UBUNTU_WITH_V1) {
      return {
        ok: false,
        packager: 'apt',
        why: `node prep adds ${config(`ubuntu/${v}`, 'deb')} and runs \`apt-get install blobfuse\`, but packages.microsoft.com has no blobfuse v1 package after Ubuntu 20.04 (Azure/azure-storage-fuse issues 742, 808), so that install fails and node prep exits`,
      };
    }
    return { ok: true, packager: 'apt', how: `\`apt-get install blobfuse\` after adding ${config(`ubuntu/${v}`, 'deb')}` };
  }
  if (base.packager === 'yum') {
    const how = `\`yum install blobfuse\` after adding ${config(`rhel/${v}`, 'rpm')}`;
    // CentOS's VERSION_ID is the major alone ("7"); RHEL's carries the minor ("9.4"), a path Microsoft's guides do not use (they name rhel/8, rhel/9.0).
    return v.includes('.')
      ? { ok: true, packager: 'yum', how, unsure: `packages.microsoft.com may have no config/rhel/${v}/ path or no blobfuse v1 package for this release (not checked here); node prep exits if either is missing` }
      : { ok: true, packager: 'yum', how };
  }
  return { ok: true, packager: 'zypper', how: `\`zypper -n in blobfuse\` after adding ${config(`sles/${v}`, 'rpm')}` };
}
