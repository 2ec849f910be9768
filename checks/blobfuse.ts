import type { Check, Finding } from '../src/types';
import { combine, finding, unreadable } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { forFamily, installCommand } from '../src/remediation';
import { dpkgStatus, firstInstalled } from '../src/probes/dpkg-status';

const V1_INSTALL =
  'Install blobfuse (version 1) from the Microsoft package repository (packages.microsoft.com): apt-get install -y blobfuse (Ubuntu), dnf install -y blobfuse (RHEL family)';
const WHY_V1 =
  'Batch Shipyard 3.9.1 looks for the blobfuse package (dpkg -s blobfuse / rpm -q blobfuse) and mounts with the blobfuse v1 command line, which blobfuse2 does not accept';

export const blobfuse: Check = {
  id: 'blobfuse',
  title: 'blobfuse for Azure Blob shared data volumes',
  area: 'storage',
  features: ['blobfuse'],
  dependsOn: [],
  live: false,
  description:
    'An azureblob shared data volume is an Azure Blob container mounted with blobfuse over FUSE. ' +
    `${WHY_V1}. Checks that blobfuse (v1) is installed (blobfuse2 alone warns), that fusermount or fusermount3 is present, ` +
    'and, on a live host, that /dev/fuse exists. On dpkg systems a blobfuse binary that no installed blobfuse package provides warns, ' +
    'since Shipyard finds it with `dpkg -s blobfuse`.',
  fix: `${V1_INSTALL}; install fuse (fusermount) and make sure the fuse kernel module loads (/dev/fuse).`,
  async run({ host }) {
    const os = await osRelease(host);
    const [v1, v2, fuser] = await Promise.all([host.which('blobfuse'), host.which('blobfuse2'), host.whichAny(['fusermount', 'fusermount3'])]);
    const evidence: Record<string, unknown> = { blobfuse: v1, blobfuse2: v2, fusermount: fuser?.path ?? null };
    const problems: Finding[] = [];
    if (!v1 && v2) problems.push(finding.warn(`only blobfuse2 is installed (${v2}); ${WHY_V1}`, V1_INSTALL));
    if (!v1 && !v2) problems.push(finding.fail('blobfuse is not installed, so Azure Blob containers cannot be mounted', V1_INSTALL));
    if (v1) {
      // Shipyard asks the package manager, not the PATH: a hand-copied binary is not found there.
      const dpkg = await dpkgStatus(host);
      evidence.dpkgPackage = dpkg.state === 'ok' ? (firstInstalled(dpkg, ['blobfuse'])?.version ?? null) : `not checked (${dpkg.state === 'absent' ? 'no dpkg database' : dpkg.reason})`;
      if (dpkg.state === 'ok' && !firstInstalled(dpkg, ['blobfuse'])) {
        problems.push(finding.warn(`${v1} is not from the blobfuse package, so Batch Shipyard's \`dpkg -s blobfuse\` will not find it`, V1_INSTALL));
      }
    }
    if (!fuser) problems.push(finding.fail('neither fusermount nor fusermount3 is installed; FUSE mounts cannot be managed', installCommand(os.family, { debian: 'fuse', rhel: 'fuse', suse: 'fuse' })));
    let devNote = '/dev/fuse not checked: not a live host';
    if (host.live) {
      try {
        const dev = await host.fs.statIfExists('/dev/fuse');
        evidence.devFuse = dev?.kind ?? null;
        if (!dev || dev.kind !== 'char-device') {
          const fix = forFamily(os.family, { default: 'modprobe fuse, and add fuse to /etc/modules-load.d/fuse.conf so that it loads at boot' });
          problems.push(finding.fail(dev ? `/dev/fuse is a ${dev.kind}, not the FUSE character device` : '/dev/fuse does not exist: the fuse kernel module is not loaded', fix));
        } else devNote = '/dev/fuse exists';
      } catch (err) {
        return unreadable(err);
      }
    }
    return combine(problems, evidence, `blobfuse is installed at ${v1}, ${fuser?.cmd} at ${fuser?.path}; ${devNote}`);
  },
};
