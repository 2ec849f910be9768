import type { Check } from '../src/types';
import { fail, pass, unreadable, warn } from '../src/check-helpers';
import { parseKeyValueFile } from '../src/parsers/ini-keys';
import { osRelease } from '../src/probes/os-release';
import { expectedResourceMount } from '../src/probes/resource-disk';

const CONF = '/etc/waagent.conf';
const AGENT_DEFAULT = '/mnt/resource';

export const waagentResourceDisk: Check = {
  id: 'waagent.resource-disk',
  title: 'Azure Linux agent resource disk mount point',
  area: 'azure',
  features: [],
  dependsOn: [],
  live: false,
  description:
    'Reads ResourceDisk.MountPoint from /etc/waagent.conf. Azure Batch puts AZ_BATCH_NODE_ROOT_DIR on the resource (temp) disk, ' +
    'and Batch Shipyard node prep exits unless that disk is mounted at /mnt (Ubuntu) or /mnt/resource (other distributions), ' +
    "as the pool's node agent implies. A custom image must leave the setting at its default.",
  fix: "Leave ResourceDisk.MountPoint in /etc/waagent.conf at its default: /mnt on Ubuntu, /mnt/resource elsewhere (as the pool's node agent implies).",
  async run({ host, settings }) {
    const os = await osRelease(host);
    const expected = expectedResourceMount(settings, os);
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
  },
};
