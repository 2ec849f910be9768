import path from 'node:path';
import type { Check, Feature, Finding } from '../src/types';
import { combine, finding, unreadable } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { forFamily, installCommand, type Packages } from '../src/remediation';
import { parsePythonVersion } from '../src/parsers/version-banners';
import { runTool } from '../src/run-tool';
import type { DistroFamily } from '../src/parsers/os-release';
import type { Host } from '../src/host/host';
import { rdmaKind, type RdmaKindProbe } from '../src/probes/rdma-kind';

/** What decides whether a missing tool stops node prep on this node. */
interface NodeFacts {
  features: ReadonlySet<Feature>;
  rdma: RdmaKindProbe;
}

interface Tool {
  cmd: string;
  pkg: Packages;
  /** What node prep does with it. */
  use: string;
  /** Why a missing tool stops node prep on this node, or null when it does not. Absent: it stops it on every pool. */
  fatal?: (n: NodeFacts) => string | null;
  /** What happens instead, when it does not stop node prep. */
  otherwise?: (n: NodeFacts) => string;
}

/** Commands Batch Shipyard 3.9.1 node prep calls, and the packages that provide them. */
const TOOLS: readonly Tool[] = [
  { cmd: 'curl', pkg: { debian: 'curl', rhel: 'curl' }, use: 'fetches the instance metadata and downloads with curl' },
  { cmd: 'lsblk', pkg: { debian: 'util-linux', rhel: 'util-linux' }, use: 'finds the temp disk with lsblk' },
  { cmd: 'ip', pkg: { debian: 'iproute2', rhel: 'iproute', suse: 'iproute2' }, use: 'lists the network interfaces with `ip addr`' },
  {
    cmd: 'lspci',
    pkg: { debian: 'pciutils', rhel: 'pciutils' },
    use: 'finds NVIDIA GPUs and Mellanox RDMA devices with lspci',
    // check_for_mellanox_card exits when lspci shows no Mellanox device, but only for vm_rdma_type 1 (SR-IOV).
    fatal: (n) => (n.rdma.kind === 'sr-iov' ? `an SR-IOV RDMA node, where check_for_mellanox_card exits without a Mellanox device in lspci: ${n.rdma.why}` : null),
    // check_for_nvidia_on_custom_or_native runs lspci under set +e and logs "No Nvidia card(s) detected!" when it finds none.
    otherwise: (n) =>
      'without it node prep logs "No Nvidia card(s) detected" and goes on (lspci runs under set +e), skipping its GPU setup' +
      `${n.features.has('gpu') ? ' (persistence mode, nvidia-smi queries) on this GPU pool' : ''}; it stops only on SR-IOV RDMA nodes, which this one is not (${n.rdma.why})`,
  },
  {
    cmd: 'openssl',
    pkg: { debian: 'openssl', rhel: 'openssl' },
    use: 'decrypts the encrypted credentials with openssl',
    fatal: (n) => (n.features.has('credential-encryption') ? 'this pool requires credential-encryption' : null),
    otherwise: () => 'node prep uses it only when config.yaml enables credential encryption (batch_shipyard.encryption.enabled), which this run was not told (--config)',
  },
];

const IMDS_ONE_LINER = "`python -c \"...;print(a['compute']['vmSize']).lower()\"`";
const WHY_PYTHON = `node prep reads the VM size from the instance metadata with ${IMDS_ONE_LINER} under set -e, on every pool`;
const WHY_NOT_PY3 =
  "under Python 3 that line parses, but print() returns None and `.lower()` raises AttributeError, so node prep exits 1 there and the node goes to starttaskfailed";

type PythonFinding = { state: 'python2'; detail: string } | { state: 'not-python2'; detail: string } | { state: 'unknown'; detail: string };

/** Which Python `python` is: run it when we may, else read the name its symlink chain ends at. */
async function whichPython(host: Host, found: string): Promise<PythonFinding> {
  if (host.canExec) {
    const r = await runTool(host, 'python', ['--version'], parsePythonVersion);
    if (r.kind === 'ok') return r.value.major === 2 ? { state: 'python2', detail: `Python ${r.value.version}` } : { state: 'not-python2', detail: `\`python\` is Python ${r.value.version}` };
    if (r.kind === 'unknown') return { state: 'unknown', detail: r.summary };
    return { state: 'not-python2', detail: `\`python\` is installed but does not run: ${r.summary}` };
  }
  const real = await host.fs.resolve(found);
  const name = path.basename(real);
  const notRun = 'python --version not run: commands are not run against an offline root';
  if (/^python2(\.\d+)?$/.test(name)) return { state: 'python2', detail: `${found} is ${name} (${notRun})` };
  if (/^python3(\.\d+)?$/.test(name)) return { state: 'not-python2', detail: `${found} is ${name}` };
  return { state: 'unknown', detail: `${found} resolves to ${name}, whose version cannot be told without running it (${notRun})` };
}

function pythonFix(family: DistroFamily): string {
  return forFamily(family, {
    debian: 'Ubuntu 22.04: apt-get install -y python2 python-is-python2 (Ubuntu 24.04 ships no Python 2: install python2.7 from source or another trusted build and link /usr/bin/python to it)',
    rhel: 'EL 8: dnf install -y python2 && alternatives --set python /usr/bin/python2 (EL 9 ships no Python 2: install one and link /usr/bin/python to it)',
    default: 'Install Python 2.7 and make /usr/bin/python point at it',
  });
}

function missingTools(tools: readonly Tool[], family: DistroFamily, status: 'fail' | 'warn', why: (t: Tool) => string): Finding | null {
  if (tools.length === 0) return null;
  const pkgs = {
    debian: tools.map((t) => t.pkg.debian).join(' '),
    rhel: tools.map((t) => t.pkg.rhel).join(' '),
    suse: tools.map((t) => t.pkg.suse ?? t.pkg.rhel).join(' '),
    azurelinux: tools.map((t) => t.pkg.azurelinux ?? t.pkg.rhel).join(' '),
  };
  const message = `missing ${tools.map((t) => t.cmd).join(', ')}: ${tools.map(why).join('; ')}`;
  return finding[status](message, installCommand(family, pkgs));
}

export const toolsNodeprep: Check = {
  id: 'tools.nodeprep',
  title: 'Tools Batch Shipyard node prep calls',
  area: 'os',
  features: [],
  dependsOn: [],
  live: false,
  targets: ['shipyard'],
  description:
    'Batch Shipyard 3.9.1 node prep runs under set -e and calls curl (instance metadata, downloads), lsblk (temp disk) and ip ' +
    '(interfaces) on every pool, lspci (GPU and Mellanox detection) and openssl (encrypted credentials). It also reads the VM size ' +
    `with ${IMDS_ONE_LINER}, which works only when \`python\` is Python 2. Checks the commands in the fixed PATH, and the Python ` +
    'version with `python --version` (or, offline, from the name /usr/bin/python links to).',
  consequence:
    'fail: node prep stops (set -e) when curl, lsblk, ip or a Python 2 `python` is missing, when lspci is missing on an SR-IOV RDMA ' +
    'node (HB/HC sizes, NC*rs_v3, or /dev/infiniband/issm0 present: check_for_mellanox_card exits), and when openssl is missing with credential ' +
    'encryption enabled; the node goes to starttaskfailed. A missing lspci elsewhere warns, GPU pools included: node prep runs it under set +e, ' +
    'logs "No Nvidia card(s) detected" and skips its GPU setup. A missing openssl without credential encryption warns.',
  fix: 'Install curl, util-linux (lsblk), iproute2 (iproute on RHEL), pciutils and openssl; provide Python 2 as `python` (python2 and python-is-python2 on Ubuntu 22.04; python2 plus `alternatives --set python /usr/bin/python2` on EL 8).',
  async run({ host, features, settings }) {
    const os = await osRelease(host);
    const found = await Promise.all(TOOLS.map(async (t) => ({ tool: t, path: await host.which(t.cmd) })));
    const evidence: Record<string, unknown> = { tools: Object.fromEntries(found.map((t) => [t.tool.cmd, t.path])) };
    const missing = found.filter((t) => t.path === null).map((t) => t.tool);
    let facts: NodeFacts;
    try {
      facts = { features, rdma: await rdmaKind(host, settings.vmSize) };
    } catch (err) {
      return unreadable(err);
    }
    const whyFatal = (t: Tool): string | null => (t.fatal ? t.fatal(facts) : '');
    const problems: Finding[] = [];
    const fatalMissing = missingTools(
      missing.filter((t) => whyFatal(t) !== null),
      os.family,
      'fail',
      (t) => `node prep ${t.use}${whyFatal(t) ? ` (${whyFatal(t)})` : ''}`,
    );
    if (fatalMissing) problems.push(fatalMissing);
    for (const t of missing.filter((x) => whyFatal(x) === null)) problems.push(missingTools([t], os.family, 'warn', (x) => `node prep ${x.use}; ${x.otherwise!(facts)}`)!);

    const pyPath = await host.which('python');
    evidence.python = pyPath;
    let py: PythonFinding | null = null;
    if (pyPath) {
      try {
        py = await whichPython(host, pyPath);
      } catch (err) {
        return unreadable(err);
      }
      evidence.pythonVersion = py.detail;
    }
    if (!pyPath) problems.push(finding.fail(`no \`python\` command: ${WHY_PYTHON}, so it stops there`, pythonFix(os.family)));
    else if (py!.state === 'not-python2') problems.push(finding.fail(`${py!.detail}, not Python 2: ${WHY_PYTHON}; ${WHY_NOT_PY3}`, pythonFix(os.family)));
    else if (py!.state === 'unknown') problems.push(finding.error(`could not tell whether \`python\` is Python 2: ${py!.detail}`));

    const present = found.filter((t) => t.path !== null).map((t) => t.tool.cmd);
    return combine(problems, evidence, `${present.join(', ')} are present, and \`python\` is Python 2 (${py?.detail})`);
  },
};
