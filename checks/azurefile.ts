import type { Check } from '../src/types';
import { parseCifsUtilsVersion } from '../src/parsers/version-banners';
import { singleToolCheck } from '../src/tool-self-report';

const PKGS = { debian: 'cifs-utils', rhel: 'cifs-utils' };

export const azurefile: Check = {
  id: 'azurefile',
  title: 'Azure Files (SMB) client',
  area: 'storage',
  features: ['azurefile'],
  dependsOn: [],
  live: false,
  description:
    'An azurefile shared data volume is an Azure Files share mounted over SMB 3 with mount.cifs (cifs-utils). Checks that mount.cifs ' +
    'is installed and, when commands may run, that `mount.cifs -V` runs.',
  consequence:
    'fail: an azurefile shared data volume is mounted with mount.cifs; without cifs-utils (or with a mount.cifs that does not run) the mount fails and tasks that use the volume cannot run.',
  fix: 'Install cifs-utils.',
  run: ({ host }) =>
    singleToolCheck(host, { cmd: 'mount.cifs', versionArgs: ['-V'], parse: parseCifsUtilsVersion, pkgs: PKGS, without: 'Azure Files shares cannot be mounted' }),
};
