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
  fix: 'Install cifs-utils.',
  run: ({ host }) =>
    singleToolCheck(host, { cmd: 'mount.cifs', versionArgs: ['-V'], parse: parseCifsUtilsVersion, pkgs: PKGS, without: 'Azure Files shares cannot be mounted' }),
};
