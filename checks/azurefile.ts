import type { Check } from '../src/types';
import { fail, pass } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { installCommand, reinstallCommand } from '../src/remediation';
import { parseCifsUtilsVersion } from '../src/parsers/version-banners';
import { selfReport } from '../src/tool-self-report';

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
  fix: 'Install cifs-utils.',
  async run({ host }) {
    const os = await osRelease(host);
    const binary = await host.which('mount.cifs');
    if (!binary) return fail('mount.cifs is not installed, so Azure Files shares cannot be mounted', installCommand(os.family, PKGS), { searched: 'mount.cifs in the fixed PATH' });
    const evidence: Record<string, unknown> = { binary };
    const v = await selfReport(host, 'mount.cifs', ['-V'], parseCifsUtilsVersion, reinstallCommand(os.family, PKGS), evidence);
    if (!v.ok) return v.result;
    evidence.version = v.version;
    return pass(`mount.cifs is installed at ${binary}; ${v.note}`, evidence);
  },
};
