import type { Check, CheckResult, Target } from '../src/types';
import { error, fail, merge, pass, unreadable, warn } from '../src/check-helpers';
import { parseKeyValueFile } from '../src/parsers/ini-keys';
import { osRelease } from '../src/probes/os-release';
import { isResourceMount, nodeAgentDefaultMount, RESOURCE_MOUNTS, type DefaultMount } from '../src/probes/resource-disk';
import { cloudInitConfig, ephemeralDiskFindings } from '../src/probes/cloud-init';
import type { Host } from '../src/host/host';

const CONF = '/etc/waagent.conf';
const AGENT_DEFAULT = '/mnt/resource';
const EITHER = RESOURCE_MOUNTS.join(' or ');

/** Plain Batch keeps the node root directory on the temp disk: /mnt/batch under Ubuntu node agents, /mnt/resource/batch under the others. */
const BATCH_ROOT_DIR = 'Batch keeps the node root directory (AZ_BATCH_NODE_ROOT_DIR: /mnt/batch under Ubuntu node agents, /mnt/resource/batch under the others) on the temp disk';
const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

/** A mount point of the two, judged against the node agent's default (null: unknown). */
function placeFinding(value: string, what: string, def: DefaultMount | null, evidence: Record<string, unknown>, target: Target): CheckResult {
  if (target === 'batch') {
    if (!def || under(`${def.path}/batch`, value)) return pass(`${what}${def ? ` (${def.why}: node root directory ${def.path}/batch)` : ''}`, evidence);
    return warn(
      `${what}: under ${def.why} the node root directory is ${def.path}/batch, which is then not on the temp disk but on the OS disk`,
      `Set ResourceDisk.MountPoint=${def.path} in ${CONF}, or use a node agent whose default is ${value}.`,
      evidence,
      { category: 'config' },
    );
  }
  if (!def || def.path === value) return pass(`${what}${def ? ` (${def.why})` : ` (node prep accepts ${EITHER})`}`, evidence);
  return warn(
    `${what}: node prep accepts it, but ${def.why} is ${def.path}, and Batch Shipyard builds task paths on that default (registry login, Singularity cache)`,
    `Set ResourceDisk.MountPoint=${def.path} in ${CONF}, or use a node agent whose default is ${value}.`,
    evidence,
    { category: 'config' },
  );
}

async function agentPart(host: Host, def: DefaultMount | null, target: Target): Promise<CheckResult> {
  let text: string | null;
  try {
    text = await host.fs.readTextIfExists(CONF);
  } catch (err) {
    return unreadable(err);
  }
  const evidence: Record<string, unknown> = { file: CONF, accepted: [...RESOURCE_MOUNTS], nodeAgentDefault: def?.path ?? null };
  if (def) evidence.nodeAgentDefaultBecause = def.why;
  if (text === null) {
    return warn(
      `${CONF} does not exist: the Azure Linux agent (WALinuxAgent) seems not to be installed, so the resource disk mount point cannot be confirmed`,
      'Install the Azure Linux agent (Ubuntu/Debian: walinuxagent or waagent; RHEL family: WALinuxAgent) and keep its default ResourceDisk.MountPoint.',
      evidence,
    );
  }
  const entry = parseKeyValueFile(text).get('ResourceDisk.MountPoint');
  if (!entry) {
    evidence.value = null;
    return placeFinding(AGENT_DEFAULT, `ResourceDisk.MountPoint is not set, so the agent uses ${AGENT_DEFAULT}`, def, evidence, target);
  }
  evidence.value = entry.value;
  evidence.line = entry.line;
  const value = entry.value.replace(/\/+$/, '') || '/';
  if (isResourceMount(value)) return placeFinding(value, `ResourceDisk.MountPoint=${entry.value}`, def, evidence, target);
  if (target === 'batch') {
    return warn(
      `ResourceDisk.MountPoint=${entry.value} at ${CONF} line ${entry.line}: ${BATCH_ROOT_DIR}, so with the disk there it lands on the OS disk (a size with an NVMe-only temp disk is mounted by Batch itself)`,
      `Set ResourceDisk.MountPoint=${def?.path ?? AGENT_DEFAULT} in ${CONF} before capturing the image.`,
      evidence,
    );
  }
  return fail(
    `ResourceDisk.MountPoint=${entry.value} at ${CONF} line ${entry.line}: Batch Shipyard node prep exits unless the temp disk is at ${EITHER}`,
    `Set ResourceDisk.MountPoint=${def?.path ?? AGENT_DEFAULT} in ${CONF} before capturing the image.`,
    evidence,
  );
}

async function cloudInitPart(host: Host, def: DefaultMount | null, target: Target): Promise<CheckResult> {
  const ci = await cloudInitConfig(host);
  if (!ci.ok) {
    const where = ci.line === undefined ? ci.file : `${ci.file} line ${ci.line}`;
    if (ci.kind === 'invalid') return error(`cloud-init configuration ${where} is not valid YAML (${ci.reason}); cloud-init would not apply it as written`, { file: ci.file, line: ci.line });
    return error(`could not read cloud-init configuration ${ci.file}: ${ci.reason}`, { file: ci.file });
  }
  if (!ci.present) return pass('cloud-init is not configured (no /etc/cloud/cloud.cfg)', { cloudInit: 'absent' });
  const findings = ephemeralDiskFindings(ci.merged, RESOURCE_MOUNTS);
  const evidence = { cloudInitFiles: ci.files, cloudInitFindings: findings };
  if (findings.length === 0) return pass('cloud-init leaves the temp disk (ephemeral0) alone', evidence);
  // Plain Batch runs the node anyway: the node root directory is then on the OS disk or a smaller, reformatted part of the disk.
  return (target === 'batch' ? warn : fail)(
    `cloud-init changes the temp disk: ${findings.map((f) => `${f.file} key ${f.key} ${f.problem}`).join('; ')}${target === 'batch' ? `; ${BATCH_ROOT_DIR}` : ''}`,
    `Remove those settings (or the drop-in file) so that Azure's defaults apply: ephemeral0 formatted ext4 and mounted at ${def?.path ?? EITHER}. ` +
      'Then run `cloud-init clean` before capturing the image.',
    evidence,
  );
}

export const waagentResourceDisk: Check = {
  id: 'waagent.resource-disk',
  title: 'Azure Linux agent and cloud-init resource disk settings',
  area: 'azure',
  features: [],
  dependsOn: [],
  live: false,
  description:
    'Reads ResourceDisk.MountPoint from /etc/waagent.conf, and the cloud-init configuration (/etc/cloud/cloud.cfg and ' +
    '/etc/cloud/cloud.cfg.d/*.cfg, merged in order). Azure Batch puts AZ_BATCH_NODE_ROOT_DIR on the resource (temp) disk, ' +
    'and Batch Shipyard node prep exits unless that disk is mounted at /mnt or /mnt/resource (either, for any distribution). ' +
    'A mount point elsewhere fails; the one of the two that is not the node agent\'s default (Ubuntu node agents /mnt, others ' +
    '/mnt/resource, from the pool or else the distribution) warns, since Shipyard builds task paths on the default. cloud-init must not ' +
    'mount ephemeral0 elsewhere (mounts), split it (disk_setup layout) or format it with another file system than ext4 (fs_setup).',
  consequence:
    'fail: at boot the agent or cloud-init puts the temp disk where node prep does not look (set_user_mountpoint exits under set -e), ' +
    "or splits or reformats it, and the node goes to starttaskfailed. warn: node prep passes, but Shipyard's task commands assume the node agent's default mount point.",
  byTarget: {
    batch: {
      description:
        'Reads ResourceDisk.MountPoint from /etc/waagent.conf, and the cloud-init configuration (/etc/cloud/cloud.cfg and /etc/cloud/cloud.cfg.d/*.cfg, ' +
        'merged in order). Azure Batch keeps the node root directory on a SCSI temp disk: /mnt/batch under Ubuntu node agents, /mnt/resource/batch under ' +
        'the others ("Files and directories"; NVMe-only temp disks Batch mounts itself). A mount point elsewhere, one that leaves the node agent\'s root ' +
        'directory outside the disk, or cloud-init mounting ephemeral0 elsewhere, splitting it or formatting it other than ext4 warns.',
      consequence: 'warn only: Batch runs the node, but its root directory (task files, container data) lands on the OS disk or on a reformatted part of the temp disk.',
    },
  },
  fix:
    "Leave ResourceDisk.MountPoint in /etc/waagent.conf at the node agent's default: /mnt on Ubuntu, /mnt/resource elsewhere; " +
    'remove cloud-init mounts/disk_setup/fs_setup entries for ephemeral0.',
  async run({ host, settings }) {
    const def = nodeAgentDefaultMount(settings, await osRelease(host));
    return merge([await agentPart(host, def, settings.target), await cloudInitPart(host, def, settings.target)]);
  },
};
