import type { Check, Finding } from '../src/types';
import { combine, finding, unreadable } from '../src/check-helpers';
import { osRelease, type OsReleaseProbe } from '../src/probes/os-release';
import { forFamily, installCommand } from '../src/remediation';
import { dpkgStatus, firstInstalled } from '../src/probes/dpkg-status';
import { nodePrepBlobfuseInstall } from '../src/data/nodeprep-distro';
import type { Host } from '../src/host/host';

const V1_INSTALL =
  'Install the blobfuse (version 1) package in the image from packages.microsoft.com: apt-get install -y blobfuse (Ubuntu 20.04 and earlier), yum install -y blobfuse (RHEL/CentOS). ' +
  'No v1 package exists for Ubuntu 22.04 or later (Azure/azure-storage-fuse issue 808): there, build the image from a distribution node prep supports.';
const WHY_V1 =
  'Batch Shipyard 3.9.1 looks for the blobfuse package (dpkg -s blobfuse / yum list installed blobfuse / rpm -q blobfuse) and mounts with the blobfuse v1 command line, which blobfuse2 does not accept';
/** Azure docs, "Mount a virtual file system on a Batch pool" (MicrosoftDocs azure-docs articles/batch/virtual-file-mount.md, Networking requirements). */
const BATCH_AGENT_INSTALLS =
  'the Batch node agent installs blobfuse itself when it mounts an Azure Blob container (mountConfiguration), downloading it from packages.microsoft.com';
const BATCH_FIX = 'Allow outbound HTTPS from the nodes to packages.microsoft.com (the Batch mount needs it), or install blobfuse in the image.';

type Found = { v1: string | null; v2: string | null };

/** Under --target batch: what Batch's own mount needs. The agent brings blobfuse; the image need not. */
function batchProblems(found: Found): Finding[] {
  if (found.v1 || found.v2) return [];
  return [finding.warn(`blobfuse is not installed in the image: ${BATCH_AGENT_INSTALLS}, so every node needs outbound access there`, BATCH_FIX)];
}

function installWhere(os: OsReleaseProbe): ReturnType<typeof nodePrepBlobfuseInstall> | { ok: null; why: string } {
  if (!os.ok) return { ok: null, why: `the distribution cannot be told (${os.reason})` };
  return nodePrepBlobfuseInstall(os.fields.ID!, os.fields.VERSION_ID ?? '');
}

/** Under --target shipyard: node prep's mount_azureblob_container decides (scripts/shipyard_nodeprep.sh). */
async function shipyardProblems(host: Host, os: OsReleaseProbe, found: Found, evidence: Record<string, unknown>): Promise<Finding[]> {
  if (found.v1) {
    // Shipyard asks the package manager, not the PATH: a hand-copied binary is not found there.
    const dpkg = await dpkgStatus(host);
    evidence.dpkgPackage = dpkg.state === 'ok' ? (firstInstalled(dpkg, ['blobfuse'])?.version ?? null) : `not checked (${dpkg.state === 'absent' ? 'no dpkg database' : dpkg.reason})`;
    if (dpkg.state === 'ok' && !firstInstalled(dpkg, ['blobfuse'])) {
      return [finding.warn(`${found.v1} is not from the blobfuse package, so Batch Shipyard's \`dpkg -s blobfuse\` will not find it and node prep tries to install the package`, V1_INSTALL)];
    }
    return [];
  }
  const what = found.v2 ? `only blobfuse2 is installed (${found.v2}), and ${WHY_V1}` : 'blobfuse is not installed';
  // Node prep installs the v1 package itself, but only where its distribution branch can.
  const where = installWhere(os);
  evidence.nodePrepInstall = where.ok ? where.how : where.why;
  if (where.ok === null) return [finding.error(`${what}; whether node prep can install it cannot be told: ${where.why}`)];
  if (!where.ok) return [finding.fail(`${what}, and node prep cannot install blobfuse v1 here: ${where.why}; the node goes to starttaskfailed`, V1_INSTALL, { retryable: false })];
  const unsure = where.unsure ? `; ${where.unsure}` : '';
  return [finding.warn(`${what}: node prep installs blobfuse v1 itself (${where.how}) on every node where it is missing, which needs outbound access to packages.microsoft.com and slows every node start${unsure}`, V1_INSTALL)];
}

export const blobfuse: Check = {
  id: 'blobfuse',
  title: 'blobfuse for Azure Blob mounts',
  area: 'storage',
  features: ['blobfuse'],
  dependsOn: [],
  live: false,
  description:
    'An Azure Blob container is mounted with blobfuse over FUSE. Under --target shipyard, Batch Shipyard 3.9.1 node prep looks for the blobfuse v1 package ' +
    '(dpkg -s / yum list installed / rpm -q blobfuse) and, when it is missing, installs it through its own distribution branch: apt on ubuntu/debian, yum on ' +
    'centos/rhel, zypper on every other ID. Checks that blobfuse v1 is installed from its package, or else whether that branch can install it (no v1 package ' +
    'after Ubuntu 20.04; zypper does not exist on AlmaLinux, Rocky or Azure Linux). Under --target batch, the Batch node agent installs blobfuse for a ' +
    'mountConfiguration itself (Azure docs: Mount a virtual file system on a Batch pool), so only its absence is noted. Both: fusermount or fusermount3, and, on a live host, /dev/fuse.',
  consequence:
    'shipyard: fail when blobfuse v1 is missing and node prep cannot install it (its install exits, the node goes to starttaskfailed); warn when node prep installs it ' +
    'itself (needs outbound access to packages.microsoft.com) or when a hand-copied binary is not from the package. batch: warn when blobfuse is absent ' +
    '(the agent downloads it from packages.microsoft.com). Both: fail without FUSE (fusermount, /dev/fuse) where blobfuse is already installed.',
  fix: `${V1_INSTALL} Under --target batch: ${BATCH_FIX} Install fuse (fusermount) and make sure the fuse kernel module loads (/dev/fuse).`,
  byTarget: {
    batch: {
      description:
        'An Azure Blob container is mounted with blobfuse over FUSE. For a mountConfiguration the Batch node agent installs blobfuse itself (Azure docs: ' +
        'Mount a virtual file system on a Batch pool), so its absence is only noted (the node needs outbound access to packages.microsoft.com). Checks fusermount ' +
        'or fusermount3 and, on a live host, /dev/fuse.',
      consequence:
        'warn: blobfuse is absent (the agent downloads it from packages.microsoft.com). fail: no FUSE (fusermount, /dev/fuse) where blobfuse is already installed, so the mount cannot work.',
      fix: `${BATCH_FIX} Install fuse (fusermount) and make sure the fuse kernel module loads (/dev/fuse).`,
    },
  },
  async run({ host, settings }) {
    const os = await osRelease(host);
    const [v1, v2, fuser] = await Promise.all([host.which('blobfuse'), host.which('blobfuse2'), host.whichAny(['fusermount', 'fusermount3'])]);
    const evidence: Record<string, unknown> = { blobfuse: v1, blobfuse2: v2, fusermount: fuser?.path ?? null };
    const found = { v1, v2 };
    const problems = settings.target === 'batch' ? batchProblems(found) : await shipyardProblems(host, os, found, evidence);
    // A blobfuse package that is still to be installed brings fuse as its dependency; an installed one needs it now.
    if (!fuser && (v1 || v2)) problems.push(finding.fail('neither fusermount nor fusermount3 is installed; FUSE mounts cannot be managed', installCommand(os.family, { debian: 'fuse', rhel: 'fuse', suse: 'fuse' })));
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
    return combine(problems, evidence, `blobfuse is installed at ${v1 ?? v2}, ${fuser?.cmd} at ${fuser?.path}; ${devNote}`);
  },
};
