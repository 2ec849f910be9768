import path from 'node:path';
import type { Check } from '../src/types';
import { error, fail, pass, unreadable, warn } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { forFamily, installCommand, type Packages } from '../src/remediation';
import { parsePythonVersion } from '../src/parsers/version-banners';
import { runTool } from '../src/run-tool';
import type { Host } from '../src/host/host';

/** Commands Batch Shipyard 3.9.1 node prep calls, and the packages that provide them. */
const TOOLS: readonly { cmd: string; pkg: Packages }[] = [
  { cmd: 'lspci', pkg: { debian: 'pciutils', rhel: 'pciutils' } },
  { cmd: 'lsblk', pkg: { debian: 'util-linux', rhel: 'util-linux' } },
  { cmd: 'ip', pkg: { debian: 'iproute2', rhel: 'iproute', suse: 'iproute2' } },
  { cmd: 'curl', pkg: { debian: 'curl', rhel: 'curl' } },
  { cmd: 'openssl', pkg: { debian: 'openssl', rhel: 'openssl' } },
];

const WHY_PY2 = "Batch Shipyard 3.9.1 node prep parses the instance metadata with a `python` one-liner written in Python 2 syntax, which Python 3 rejects";

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

export const toolsNodeprep: Check = {
  id: 'tools.nodeprep',
  title: 'Tools Batch Shipyard node prep calls',
  area: 'os',
  features: [],
  dependsOn: [],
  live: false,
  targets: ['shipyard'],
  description:
    'Batch Shipyard 3.9.1 node prep calls lspci (GPU detection), lsblk (temp disk), ip (interfaces), curl (downloads, instance metadata) ' +
    'and openssl (encrypted credentials); a missing one stops node prep. It also runs `python` to parse the instance metadata with a ' +
    'Python 2 one-liner, so `python` should be Python 2. Checks the commands in the fixed PATH, and the Python version with ' +
    '`python --version` (or, offline, from the name /usr/bin/python links to).',
  fix: 'Install pciutils, util-linux, iproute2 (iproute on RHEL), curl and openssl; provide Python 2 as `python` (python2 and python-is-python2 on Ubuntu 22.04; python2 plus `alternatives --set python /usr/bin/python2` on EL 8).',
  async run({ host }) {
    const os = await osRelease(host);
    const found = await Promise.all(TOOLS.map(async (t) => ({ ...t, path: await host.which(t.cmd) })));
    const missing = found.filter((t) => t.path === null);
    const evidence: Record<string, unknown> = { tools: Object.fromEntries(found.map((t) => [t.cmd, t.path])) };
    const pythonFix = forFamily(os.family, {
      debian: 'Ubuntu 22.04: apt-get install -y python2 python-is-python2 (Ubuntu 24.04 ships no Python 2: install python2.7 from source or another trusted build and link /usr/bin/python to it)',
      rhel: 'EL 8: dnf install -y python2 && alternatives --set python /usr/bin/python2 (EL 9 ships no Python 2: install one and link /usr/bin/python to it)',
      default: 'Install Python 2.7 and make /usr/bin/python point at it',
    });
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
    const pyProblem = !pyPath ? `no \`python\` command; ${WHY_PY2}` : py!.state === 'not-python2' ? `${py!.detail}, not Python 2; ${WHY_PY2}` : null;
    if (missing.length > 0) {
      const pkgs = { debian: missing.map((t) => t.pkg.debian).join(' '), rhel: missing.map((t) => t.pkg.rhel).join(' '), suse: missing.map((t) => t.pkg.suse ?? t.pkg.rhel).join(' ') };
      const also = pyProblem ? `; also ${pyProblem}` : py?.state === 'unknown' ? `; also could not tell the Python version: ${py.detail}` : '';
      return fail(`missing ${missing.map((t) => t.cmd).join(', ')}, which node prep calls${also}`, installCommand(os.family, pkgs) + (pyProblem ? `; ${pythonFix}` : ''), evidence);
    }
    if (pyProblem) return warn(`lspci, lsblk, ip, curl and openssl are present, but ${pyProblem}`, pythonFix, evidence);
    if (py!.state === 'unknown') return error(`lspci, lsblk, ip, curl and openssl are present; could not tell whether \`python\` is Python 2: ${py!.detail}`, evidence);
    return pass(`lspci, lsblk, ip, curl and openssl are present, and \`python\` is Python 2 (${py!.detail})`, evidence);
  },
};
