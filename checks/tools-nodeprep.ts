import path from 'node:path';
import type { Check, Feature, Finding } from '../src/types';
import { combine, finding, unreadable } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { forFamily, installCommand, type Packages } from '../src/remediation';
import { parsePythonVersion } from '../src/parsers/version-banners';
import { runTool } from '../src/run-tool';
import type { DistroFamily } from '../src/parsers/os-release';
import type { Host } from '../src/host/host';

interface Tool {
  cmd: string;
  pkg: Packages;
  /** What node prep does with it. */
  use: string;
  /** Features under which a missing tool stops node prep; empty = every pool. */
  fatalWith: readonly Feature[];
  /** Why it is only a warning on other pools. */
  otherwise?: string;
}

/** Commands Batch Shipyard 3.9.1 node prep calls, and the packages that provide them. */
const TOOLS: readonly Tool[] = [
  { cmd: 'curl', pkg: { debian: 'curl', rhel: 'curl' }, use: 'fetches the instance metadata and downloads with curl', fatalWith: [] },
  { cmd: 'lsblk', pkg: { debian: 'util-linux', rhel: 'util-linux' }, use: 'finds the temp disk with lsblk', fatalWith: [] },
  { cmd: 'ip', pkg: { debian: 'iproute2', rhel: 'iproute', suse: 'iproute2' }, use: 'lists the network interfaces with `ip addr`', fatalWith: [] },
  {
    cmd: 'lspci',
    pkg: { debian: 'pciutils', rhel: 'pciutils' },
    use: 'finds NVIDIA GPUs and Mellanox RDMA devices with lspci',
    fatalWith: ['gpu', 'infiniband'],
    otherwise: 'without it node prep silently skips GPU setup, and stops on SR-IOV RDMA sizes; this pool requires neither gpu nor infiniband',
  },
  {
    cmd: 'openssl',
    pkg: { debian: 'openssl', rhel: 'openssl' },
    use: 'decrypts the encrypted credentials with openssl',
    fatalWith: ['credential-encryption'],
    otherwise: 'node prep uses it only when config.yaml enables credential encryption (batch_shipyard.encryption.enabled), which this run was not told (--config)',
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
  const pkgs = { debian: tools.map((t) => t.pkg.debian).join(' '), rhel: tools.map((t) => t.pkg.rhel).join(' '), suse: tools.map((t) => t.pkg.suse ?? t.pkg.rhel).join(' ') };
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
    'fail: node prep stops (set -e) when curl, lsblk, ip or a Python 2 `python` is missing, when lspci is missing on a GPU or ' +
    'InfiniBand pool, and when openssl is missing with credential encryption enabled; the node goes to starttaskfailed. ' +
    'A missing lspci or openssl on other pools warns.',
  fix: 'Install curl, util-linux (lsblk), iproute2 (iproute on RHEL), pciutils and openssl; provide Python 2 as `python` (python2 and python-is-python2 on Ubuntu 22.04; python2 plus `alternatives --set python /usr/bin/python2` on EL 8).',
  async run({ host, features }) {
    const os = await osRelease(host);
    const found = await Promise.all(TOOLS.map(async (t) => ({ tool: t, path: await host.which(t.cmd) })));
    const evidence: Record<string, unknown> = { tools: Object.fromEntries(found.map((t) => [t.tool.cmd, t.path])) };
    const missing = found.filter((t) => t.path === null).map((t) => t.tool);
    const fatal = (t: Tool) => t.fatalWith.length === 0 || t.fatalWith.some((f) => features.has(f));
    const problems: Finding[] = [];
    const fatalMissing = missingTools(missing.filter(fatal), os.family, 'fail', (t) =>
      `node prep ${t.use}${t.fatalWith.length ? ` (this pool requires ${t.fatalWith.filter((f) => features.has(f)).join(' and ')})` : ''}`,
    );
    if (fatalMissing) problems.push(fatalMissing);
    for (const t of missing.filter((x) => !fatal(x))) problems.push(missingTools([t], os.family, 'warn', (x) => `node prep ${x.use}; ${x.otherwise}`)!);

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
