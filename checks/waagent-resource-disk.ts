import type { Check, CheckResult } from '../src/types';
import { error, fail, merge, pass, statusOf, unreadable, warn } from '../src/check-helpers';
import { parseKeyValueFile } from '../src/parsers/ini-keys';
import { osRelease } from '../src/probes/os-release';
import { expectedResourceMount, RESOURCE_MOUNTS, resourceMountUnknown, type ExpectedMount } from '../src/probes/resource-disk';
import { cloudInitConfig, ephemeralDiskFindings } from '../src/probes/cloud-init';
import type { Host } from '../src/host/host';

const CONF = '/etc/waagent.conf';
const AGENT_DEFAULT = '/mnt/resource';

async function agentPart(host: Host, expected: ExpectedMount): Promise<CheckResult> {
  const fix = `Set ResourceDisk.MountPoint=${expected.path} in ${CONF} before capturing the image.`;
  let text: string | null;
  try {
    text = await host.fs.readTextIfExists(CONF);
  } catch (err) {
    return unreadable(err);
  }
  const evidence: Record<string, unknown> = { file: CONF, expected: expected.path, expectedBecause: expected.why };
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
    if (expected.path === AGENT_DEFAULT) return pass(`ResourceDisk.MountPoint is not set; the agent default ${AGENT_DEFAULT} applies, as expected`, evidence);
    return warn(`ResourceDisk.MountPoint is not set, so the agent would use ${AGENT_DEFAULT}, but ${expected.path} is expected (${expected.why})`, fix, evidence);
  }
  evidence.value = entry.value;
  evidence.line = entry.line;
  const value = entry.value.replace(/\/+$/, '') || '/';
  if (value === expected.path) return pass(`ResourceDisk.MountPoint=${entry.value} (${expected.why})`, evidence);
  return fail(
    `ResourceDisk.MountPoint=${entry.value} at ${CONF} line ${entry.line}, but ${expected.path} is expected (${expected.why}); Batch Shipyard node prep exits when the temp disk is elsewhere`,
    fix,
    evidence,
  );
}

async function cloudInitPart(host: Host, expected: ExpectedMount): Promise<CheckResult> {
  const ci = await cloudInitConfig(host);
  if (!ci.ok) {
    const where = ci.line === undefined ? ci.file : `${ci.file} line ${ci.line}`;
    if (ci.kind === 'invalid') return error(`cloud-init configuration ${where} is not valid YAML (${ci.reason}); cloud-init would not apply it as written`, { file: ci.file, line: ci.line });
    return error(`could not read cloud-init configuration ${ci.file}: ${ci.reason}`, { file: ci.file });
  }
  if (!ci.present) return pass('cloud-init is not configured (no /etc/cloud/cloud.cfg)', { cloudInit: 'absent' });
  const findings = ephemeralDiskFindings(ci.merged, expected.path);
  const evidence = { cloudInitFiles: ci.files, cloudInitFindings: findings };
  if (findings.length === 0) return pass('cloud-init leaves the temp disk (ephemeral0) alone', evidence);
  return fail(
    `cloud-init changes the temp disk: ${findings.map((f) => `${f.file} key ${f.key} ${f.problem}`).join('; ')}`,
    `Remove those settings (or the drop-in file) so that Azure's defaults apply: ephemeral0 formatted ext4 and mounted at ${expected.path}. ` +
      'Then run `cloud-init clean` before capturing the image.',
    evidence,
  );
}

async function evaluate(host: Host, expected: ExpectedMount): Promise<CheckResult> {
  return merge([await agentPart(host, expected), await cloudInitPart(host, expected)]);
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
    'and Batch Shipyard node prep exits unless that disk is mounted at /mnt (Ubuntu) or /mnt/resource (other distributions), ' +
    "as the pool's node agent implies. A custom image must leave the agent setting at its default, and cloud-init must not " +
    'mount ephemeral0 elsewhere (mounts), split it (disk_setup layout) or format it with another file system than ext4 (fs_setup).',
  fix:
    "Leave ResourceDisk.MountPoint in /etc/waagent.conf at its default: /mnt on Ubuntu, /mnt/resource elsewhere (as the pool's node agent implies); " +
    'remove cloud-init mounts/disk_setup/fs_setup entries for ephemeral0.',
  async run({ host, settings }) {
    const os = await osRelease(host);
    const unknown = resourceMountUnknown(settings, os);
    if (!unknown) return evaluate(host, expectedResourceMount(settings, os));
    // Either place may be right: the answer stands only when both give it (a missing waagent.conf,
    // a mount point that is neither); otherwise this cannot be told.
    const [ubuntu, other] = await Promise.all([
      evaluate(host, { path: '/mnt', why: 'Ubuntu node agents' }),
      evaluate(host, { path: '/mnt/resource', why: 'other node agents' }),
    ]);
    if (statusOf(ubuntu!) === statusOf(other!)) {
      const note = ' (the distribution is unknown; /mnt, for Ubuntu node agents, gives the same answer)';
      return { ...other!, findings: other!.findings.map((f) => ({ ...f, message: f.message + note })) };
    }
    return error(`could not check ResourceDisk.MountPoint: ${unknown}`, { ...other!.evidence, expected: [...RESOURCE_MOUNTS] });
  },
};
