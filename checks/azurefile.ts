import type { Check } from '../src/types';
import { parseCifsUtilsVersion } from '../src/parsers/version-banners';
import { singleToolCheck } from '../src/tool-self-report';

const PKGS = { debian: 'cifs-utils', rhel: 'cifs-utils' };
const DOCS = 'https://learn.microsoft.com/azure/batch/virtual-file-mount';
/** "On Linux, Batch installs the package cifs-utils. Then, Batch issues the mount command." (DOCS, troubleshooting). */
const BATCH_INSTALLS = {
  why: "the Batch node agent installs cifs-utils for the pool's Azure Files and CIFS mounts when a node joins, so every node needs access to the distribution's package repositories",
  fix: 'Install cifs-utils in the image so that no node depends on the package repositories, or make sure the nodes can reach them.',
};

export const azurefile: Check = {
  id: 'azurefile',
  title: 'Azure Files / SMB (CIFS) client',
  area: 'storage',
  features: ['azurefile', 'cifs'],
  dependsOn: [],
  live: false,
  description:
    'An azurefile shared data volume (Batch Shipyard), or an azureFileShareConfiguration or cifsMountConfiguration entry of a Batch pool\'s ' +
    'mountConfiguration, is an SMB share mounted with mount.cifs (cifs-utils). Checks that mount.cifs ' +
    'is installed and, when commands may run, that `mount.cifs -V` runs.',
  consequence:
    'fail: node prep mounts azurefile shared data volumes at every boot (its generated azurefile-mount.sh, a CIFS mount) under set -e; without cifs-utils (or with a mount.cifs that does not run) the mount fails, node prep stops and the node goes to starttaskfailed.',
  fix: 'Install cifs-utils.',
  byTarget: {
    batch: {
      description:
        "An azureFileShareConfiguration or cifsMountConfiguration entry of a Batch pool's mountConfiguration is an SMB share mounted with mount.cifs " +
        '(cifs-utils); on Linux the Batch node agent installs cifs-utils itself, so the VMs need access to the distribution\'s package manager (Azure docs, ' +
        `Mount a virtual file system on a Batch pool: ${DOCS}). Checks that mount.cifs is installed and, when commands may run, that \`mount.cifs -V\` runs.`,
      consequence:
        'warn: cifs-utils is not in the image, so the node agent must install it at every new node (a node without access to the package repositories ' +
        'fails its mount and becomes unusable). fail: an installed mount.cifs that does not run.',
      fix: "Install cifs-utils in the image, or let the nodes reach the distribution's package repositories.",
    },
  },
  run: ({ host, settings }) =>
    singleToolCheck(host, {
      cmd: 'mount.cifs',
      versionArgs: ['-V'],
      parse: parseCifsUtilsVersion,
      pkgs: PKGS,
      without: 'Azure Files shares cannot be mounted',
      ...(settings.target === 'batch' ? { installedByOthers: BATCH_INSTALLS } : {}),
    }),
};
