import type { Check } from '../src/types';
import { parseNfsUtilsVersion } from '../src/parsers/version-banners';
import { singleToolCheck } from '../src/tool-self-report';

const PKGS = { debian: 'nfs-common', rhel: 'nfs-utils', suse: 'nfs-client' };

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
        "An nfsMountConfiguration entry of a Batch pool's mountConfiguration is mounted with the NFS client when the node joins the pool. Checks that " +
        'mount.nfs4 is installed and, when commands may run, that `mount.nfs4 -V` runs and reports the nfs-utils version. Whether the Batch node agent ' +
        'installs the NFS client itself on a custom image is not verified here, so this check asks the image to carry it.',
      consequence: 'fail: without the NFS client the NFS mounts of the pool cannot be made, and tasks that read or write them fail.',
    },
  },
  run: ({ host, settings }) =>
    singleToolCheck(host, {
      cmd: 'mount.nfs4',
      versionArgs: ['-V'],
      parse: parseNfsUtilsVersion,
      pkgs: PKGS,
      without: settings.target === 'batch' ? "the pool's NFS mounts (mountConfiguration) cannot be made" : 'NFS storage clusters cannot be mounted',
    }),
};
