import type { Check } from '../src/types';
import { parseNfsUtilsVersion } from '../src/parsers/version-banners';
import { singleToolCheck } from '../src/tool-self-report';

const PKGS = { debian: 'nfs-common', rhel: 'nfs-utils', suse: 'nfs-client' };
const DOCS = 'https://learn.microsoft.com/azure/batch/virtual-file-mount';
/** Batch's node agent downloads the NFS client for an nfsMountConfiguration (DOCS, networking requirements). */
const BATCH_INSTALLS = {
  why: "the Batch node agent downloads nfs-common or nfs-utils for the pool's NFS mounts when a node joins, so every node needs access to the distribution's package repositories",
  fix: 'Install the NFS client in the image (nfs-common on Ubuntu/Debian, nfs-utils on RHEL/Alma/Rocky) so that no node depends on the package repositories, or make sure the nodes can reach them.',
};

export const nfsClient: Check = {
  id: 'nfs.client',
  title: 'NFSv4 client',
  area: 'storage',
  features: ['nfs'],
  dependsOn: [],
  live: false,
  description:
    'A storage cluster of type nfs is mounted with the NFSv4 client, and Batch Shipyard node prep runs `mount.nfs4 -V` on custom images ' +
    'and stops when it fails. Checks that mount.nfs4 is installed and, when commands may run, that `mount.nfs4 -V` runs and reports the nfs-utils version.',
  consequence:
    'fail: for an NFS storage cluster volume node prep runs `mount.nfs4 -V` under set -e and mounts the share; without the NFS client it stops and the node goes to starttaskfailed.',
  fix: 'Install the NFS client: nfs-common (Ubuntu/Debian), nfs-utils (RHEL/Alma/Rocky), nfs-client (SLES).',
  byTarget: {
    batch: {
      description:
        "An nfsMountConfiguration entry of a Batch pool's mountConfiguration is mounted with the NFS client when the node joins the pool, and the " +
        'Batch node agent downloads nfs-common (Debian/Ubuntu) or nfs-utils (RHEL family) itself for it: the VMs need access to the distribution\'s ' +
        `package manager (Azure docs, Mount a virtual file system on a Batch pool, networking requirements: ${DOCS}). Checks that mount.nfs4 is installed ` +
        'and, when commands may run, that `mount.nfs4 -V` runs and reports the nfs-utils version.',
      consequence:
        'warn: the NFS client is not in the image, so the node agent must download it at every new node (a node without access to the package repositories ' +
        'fails its mount and becomes unusable). fail: an installed mount.nfs4 that does not run.',
      fix: 'Install the NFS client in the image (nfs-common on Ubuntu/Debian, nfs-utils on RHEL/Alma/Rocky), or let the nodes reach the distribution\'s package repositories.',
    },
  },
  run: ({ host, settings }) =>
    singleToolCheck(host, {
      cmd: 'mount.nfs4',
      versionArgs: ['-V'],
      parse: parseNfsUtilsVersion,
      pkgs: PKGS,
      without: 'NFS storage clusters cannot be mounted',
      ...(settings.target === 'batch' ? { installedByOthers: BATCH_INSTALLS } : {}),
    }),
};
