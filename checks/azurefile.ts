import type { Check } from '../src/types';
import { parseCifsUtilsVersion } from '../src/parsers/version-banners';
import { singleToolCheck } from '../src/tool-self-report';

const PKGS = { debian: 'cifs-utils', rhel: 'cifs-utils' };

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
        '(cifs-utils). Checks that mount.cifs is installed and, when commands may run, that `mount.cifs -V` runs.',
      consequence:
        'fail: azureFileShareConfiguration and cifsMountConfiguration entries are mounted with mount.cifs when the node joins the pool; without cifs-utils ' +
        'those mounts cannot be made and tasks that use them fail (whether the Batch node agent installs cifs-utils itself on a custom image is not verified here, ' +
        'so this check asks the image to carry it).',
    },
  },
  run: ({ host }) =>
    singleToolCheck(host, { cmd: 'mount.cifs', versionArgs: ['-V'], parse: parseCifsUtilsVersion, pkgs: PKGS, without: 'Azure Files shares cannot be mounted' }),
};
