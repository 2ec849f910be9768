import type { Check, CheckResult } from '../src/types';
import { combine, fail, finding, unreadable, warn } from '../src/check-helpers';
import { parseOsRelease, type OsRelease } from '../src/parsers/os-release';
import { parseKeyValueFile } from '../src/parsers/ini-keys';
import { NODE_AGENT_FAMILIES, SUPPORTED_NAMES, findBatchDistro, nodePrepPackager, supportOn, versionMatches } from '../src/data/batch-distros';
import type { Finding } from '../src/types';

const OS_RELEASE = '/etc/os-release';
const LSB_RELEASE = '/etc/lsb-release';

const REBUILD = `Build the image from a distribution Azure Batch supports for Linux node agents (${SUPPORTED_NAMES}) and use the matching node agent SKU.`;

interface Identity {
  id: string;
  version: string;
  pretty: string;
  source: string;
}

/** Where Shipyard's node prep gets the distribution from: /etc/os-release, else /etc/lsb-release. */
async function identify(ctx: Parameters<Check['run']>[0]): Promise<Identity | CheckResult> {
  const { host } = ctx;
  // Node prep exits without a distribution; on a plain Batch pool nothing is known to stop, but the image cannot be matched with its node agent.
  const shipyard = ctx.settings.target === 'shipyard';
  const unknown = shipyard ? 'Batch Shipyard node prep cannot tell the distribution and exits' : 'the distribution cannot be told, so the image cannot be matched with a node agent SKU';
  const verdict = shipyard ? fail : warn;
  let text: string | null;
  try {
    text = await host.fs.readTextIfExists(OS_RELEASE, 64 * 1024);
  } catch (err) {
    return unreadable(err);
  }
  if (text !== null) {
    const f: OsRelease = parseOsRelease(text);
    if (!f.ID || !f.VERSION_ID) {
      const lacking = [!f.ID && 'ID', !f.VERSION_ID && 'VERSION_ID'].filter(Boolean).join(' and ');
      return verdict(
        `${OS_RELEASE} has no ${lacking} (${text.trim() === '' ? 'the file is empty' : 'it looks truncated or damaged'}); ${unknown}`,
        `Restore ${OS_RELEASE} from the distribution's package (Ubuntu/Debian: base-files; RHEL family: the *-release package, e.g. redhat-release, almalinux-release, rocky-release).`,
        { file: OS_RELEASE, keys: Object.keys(f) },
      );
    }
    return { id: f.ID.toLowerCase(), version: f.VERSION_ID, pretty: f.PRETTY_NAME ?? `${f.ID} ${f.VERSION_ID}`, source: OS_RELEASE };
  }
  let lsb: string | null;
  try {
    lsb = await host.fs.readTextIfExists(LSB_RELEASE, 64 * 1024);
  } catch (err) {
    return unreadable(err);
  }
  const kv = lsb === null ? null : parseKeyValueFile(lsb);
  const id = kv?.get('DISTRIB_ID')?.value;
  const version = kv?.get('DISTRIB_RELEASE')?.value;
  if (!id || !version) {
    const usrLib = await host.fs.exists('/usr/lib/os-release').catch(() => false);
    return verdict(
      `${OS_RELEASE} does not exist${lsb === null ? ` and neither does ${LSB_RELEASE}` : ` and ${LSB_RELEASE} lacks DISTRIB_ID/DISTRIB_RELEASE`}; ${unknown}`,
      usrLib ? `Restore the link: ln -s ../usr/lib/os-release ${OS_RELEASE}` : `Restore ${OS_RELEASE} from the distribution's base package (base-files on Ubuntu/Debian, the *-release package on RHEL/Alma/Rocky).`,
      { file: OS_RELEASE, usrLibOsRelease: usrLib },
    );
  }
  return { id: id.toLowerCase(), version, pretty: `${id} ${version}`, source: LSB_RELEASE };
}

export const osDistro: Check = {
  id: 'os.distro',
  title: 'Linux distribution and node agent',
  area: 'os',
  features: [],
  dependsOn: [],
  live: false,
  description:
    "Reads the distribution from /etc/os-release (ID, VERSION_ID), falling back to /etc/lsb-release as Batch Shipyard's node prep does; " +
    'without either, node prep exits. Compares it with the distributions Azure Batch supports for Linux node agents ' +
    `(${SUPPORTED_NAMES}; the table with retirement dates is src/data/batch-distros.ts); retired ones (e.g. Ubuntu 16.04-20.04, CentOS 7/8, Debian 10) and ` +
    'unknown ones warn, and a supported one past its announced end date counts as retired. When the pool\'s node agent is known, an image of another ' +
    'distribution or version fails: the agent SKU must match the image (family "el" covers RHEL, AlmaLinux, Rocky and CentOS). Node prep picks its ' +
    'package manager from ID alone: apt for ubuntu/debian, yum for centos*/rhel, zypper for everything else, AlmaLinux, Rocky and Azure Linux included; ' +
    'so when the pool installs Singularity (node prep installs its prerequisites) on such an image without zypper, it fails.',
  consequence:
    'fail: node prep cannot tell the distribution (no os-release/lsb-release) and exits, or the node agent SKU does not match the image, or node prep ' +
    'runs `zypper -n in squashfs-tools` for Singularity on an image without zypper (install_packages retries for about two minutes, then exits): the node ' +
    'goes to starttaskfailed. warn: a retired or unknown distribution still runs node prep, but Azure Batch does not support it.',
  fix: `${REBUILD} Keep /etc/os-release intact.`,
  byTarget: {
    batch: {
      description:
        'Reads the distribution from /etc/os-release (ID, VERSION_ID), falling back to /etc/lsb-release; without either it warns. Compares it with the ' +
        `distributions Azure Batch supports for Linux node agents (${SUPPORTED_NAMES}; the table with retirement dates is src/data/batch-distros.ts); retired ` +
        'and unknown ones warn, and a supported one past its announced end date counts as retired. When the pool\'s node agent is known (nodeAgentSkuId), an ' +
        'image of another distribution or version fails: the agent SKU must match the image (family "el" covers RHEL, AlmaLinux, Rocky and CentOS).',
      consequence:
        'fail: the node agent SKU does not match the image, so the pool runs an agent built for another distribution. warn: a retired or unknown distribution, ' +
        'which Azure Batch does not support, or an image whose distribution cannot be told.',
    },
  },
  async run(ctx) {
    const who = await identify(ctx);
    if ('findings' in who) return who;
    const evidence: Record<string, unknown> = { source: who.source, id: who.id, versionId: who.version };
    const fromLsb = who.source === LSB_RELEASE ? ` (from ${LSB_RELEASE}: ${OS_RELEASE} is missing)` : '';
    const expected = ctx.settings.expectedDistro;
    if (expected) {
      evidence.expected = expected;
      const ids = NODE_AGENT_FAMILIES[expected.family.toLowerCase()]?.osIds ?? [expected.family.toLowerCase()];
      const familyOk = ids.includes(who.id);
      const versionOk = !expected.version || versionMatches(who.version, expected.version);
      if (!familyOk || !versionOk) {
        return fail(
          `the image is ${who.pretty}${fromLsb}, but the pool's node agent ${expected.nodeAgent} expects ${expected.family} ${expected.version ?? ''}`.trimEnd(),
          `Use the node agent SKU that matches the image${findBatchDistro(who.id, who.version) ? ` (${findBatchDistro(who.id, who.version)!.nodeAgent})` : ''}, or build the image from ${expected.family} ${expected.version ?? ''}`.trimEnd() + '.',
          evidence,
          { category: 'config' },
        );
      }
    }
    const problems: Finding[] = [];
    const packager = nodePrepPackager(who.id);
    evidence.nodePrepPackager = packager;
    // Node prep's package manager choice is a Batch Shipyard rule alone.
    if (ctx.settings.target === 'shipyard' && ctx.features.has('singularity') && packager === 'zypper') {
      // which() never throws: an unreadable PATH directory or file counts as not found.
      if (!(await ctx.host.which('zypper'))) {
        problems.push(
          finding.fail(
            `the pool installs Singularity, and Batch Shipyard node prep installs its prerequisites with zypper on ${who.pretty} (it uses apt only for ubuntu/debian and yum only for centos/rhel), but zypper is not installed: node prep retries for about two minutes and exits`,
            'Use an Ubuntu or RHEL image for a Singularity pool, or drop singularity from container_runtimes.install.',
            { category: 'config', retryable: false },
          ),
        );
      }
    }
    const known = findBatchDistro(who.id, who.version);
    const missingFix = who.source === LSB_RELEASE ? ` Restore ${OS_RELEASE} too.` : '';
    if (!known) {
      problems.push(finding.warn(`${who.pretty}${fromLsb} is not a distribution Azure Batch supports for Linux node agents`, REBUILD + missingFix));
      return { findings: problems, evidence };
    }
    evidence.nodeAgent = known.nodeAgent;
    const support = supportOn(known, new Date().toISOString().slice(0, 10));
    evidence.support = support;
    if (support.state === 'retired') {
      const since = support.since ? ` on ${support.since}` : '';
      problems.push(finding.warn(`${who.pretty}${fromLsb} is retired by Azure Batch (node agent ${known.nodeAgent} retired${since})`, REBUILD + missingFix));
      return { findings: problems, evidence };
    }
    const matched = expected ? `, matching the pool's node agent ${expected.nodeAgent}` : ` (node agent ${known.nodeAgent})`;
    if (fromLsb) problems.push(finding.warn(`${who.pretty}${fromLsb} is supported${matched}`, `Restore ${OS_RELEASE}: many tools and the Azure Batch agent read it.`));
    const ends = support.endsOn ? `; note: Azure Batch ends support for ${known.nodeAgent} on ${support.endsOn} (in ${support.daysLeft} days)` : '';
    return combine(problems, evidence, `${who.pretty} is supported by Azure Batch${matched}${ends}`);
  },
};
