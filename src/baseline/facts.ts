// The facts of a host that matter for a pool, for the golden-image baseline: read through the
// existing probes and the host door (files under the root, commands by argument array), never a
// shell. Offline (--root) only files are read. A fact that cannot be read is `unknown` with the
// reason, never guessed; one known not to be there is `absent`.
import type { Host } from '../host/host';
import { messageOf } from '../errors';
import { dpkgStatus, DPKG_STATUS } from '../probes/dpkg-status';
import { fabricManagerPackages, loadedDriverVersion } from '../probes/nvidia-fabricmanager';
import { upstreamDriverVersion } from '../parsers/nvidia-driver-version';
import type { Fact } from './schema';

/**
 * The packages whose versions are recorded, by name, one fact each (`package:NAME`): what the
 * checks look for (Docker and containerd: checks/docker-version.ts, containerd-cri.ts; the NVIDIA
 * container toolkit: docker-gpus.ts; rdma-core: rdma-userland.ts; Open MPI and MPICH: mpi-runtime.ts;
 * nfs-common and cifs-utils: nfs-client.ts, azurefile.ts; openssh-server: sshd.ts). HPC-X is no
 * package (Azure's HPC images unpack it under /opt): it is not recorded.
 */
export const BASELINE_PACKAGES = [
  'nvidia-container-toolkit',
  'docker-ce',
  'docker-ce-cli',
  'moby-engine',
  'docker.io',
  'containerd',
  'containerd.io',
  'rdma-core',
  'openmpi-bin',
  'mpich',
  'nfs-common',
  'cifs-utils',
  'openssh-server',
] as const;

/** The facts besides the packages, in the order the README lists them. */
export const BASELINE_FACTS = ['kernel', 'nvidia.driver', 'cuda', 'nvidia.fabricmanager', 'mofed'] as const;

const RPM_DBS = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'];
/** Ubuntu's NVIDIA driver metapackages (nvidia-driver-550, nvidia-driver-550-server, -open): offline, the driver's version. */
const DRIVER_PACKAGE = /^nvidia-driver-\d+(-server)?(-open)?$/;
export const CUDA_VERSION_JSON = '/usr/local/cuda/version.json';

const known = (value: string, source: string): Fact => ({ state: 'known', value, source });
const absent = (source: string): Fact => ({ state: 'absent', source });
const unknown = (reason: string): Fact => ({ state: 'unknown', reason });

/** The running kernel live; offline the newest kernel under /lib/modules, the one an image boots by default. */
async function kernel(host: Host): Promise<Fact> {
  try {
    if (host.live) {
      const text = await host.fs.readTextIfExists('/proc/sys/kernel/osrelease', 4096);
      if (text !== null && text.trim() !== '') return known(text.trim(), '/proc/sys/kernel/osrelease');
      return unknown('/proc/sys/kernel/osrelease is missing or empty');
    }
    const kernels = (await host.fs.listIfExists('/lib/modules')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (kernels.length === 0) return absent('/lib/modules is empty or missing');
    return known(kernels[kernels.length - 1]!, 'the newest folder in /lib/modules');
  } catch (err) {
    return unknown(messageOf(err));
  }
}

/** The loaded module live; offline the version of Ubuntu's nvidia-driver-<branch> package. */
async function nvidiaDriver(host: Host): Promise<Fact> {
  if (host.live) {
    const loaded = await loadedDriverVersion(host);
    if (loaded.state === 'known') return known(loaded.version, loaded.source);
    if (loaded.state === 'absent') return absent('no nvidia module loaded (/sys/module/nvidia/version and /proc/driver/nvidia/version absent)');
    return unknown(loaded.reason);
  }
  const dpkg = await dpkgStatus(host);
  if (dpkg.state === 'ok') {
    const pkg = [...dpkg.packages.values()].find((p) => p.installed && DRIVER_PACKAGE.test(p.name));
    if (!pkg) return absent(`no nvidia-driver-<branch> package in ${DPKG_STATUS}`);
    return known(upstreamDriverVersion(pkg.version) ?? pkg.version, `${pkg.name} in ${DPKG_STATUS}`);
  }
  if (dpkg.state === 'absent') return unknown(`offline root without ${DPKG_STATUS}: the driver's version is read from dpkg's status file only`);
  return unknown(dpkg.reason);
}

/** The toolkit's own record of its version (CUDA 11.1 and later): {"cuda": {"version": "12.4.1"}}. */
async function cuda(host: Host): Promise<Fact> {
  let text: string | null;
  try {
    text = await host.fs.readTextIfExists(CUDA_VERSION_JSON, 1024 * 1024);
  } catch (err) {
    return unknown(`${CUDA_VERSION_JSON} could not be read: ${messageOf(err)}`);
  }
  if (text === null) return absent(`${CUDA_VERSION_JSON} does not exist`);
  try {
    const v = (JSON.parse(text) as { cuda?: { version?: unknown } } | null)?.cuda?.version;
    if (typeof v === 'string' && v !== '') return known(v, CUDA_VERSION_JSON);
  } catch {
    // Not JSON: said below.
  }
  return unknown(`${CUDA_VERSION_JSON} has no cuda.version string`);
}

async function fabricManager(host: Host): Promise<Fact> {
  const fm = await fabricManagerPackages(host);
  if (fm.state === 'unknown') return unknown(fm.reason);
  if (fm.packages.length === 0) return absent(`no Fabric Manager package (${fm.source})`);
  return known(fm.packages.map((p) => `${p.name} ${p.version}`).join(', '), fm.source);
}

/** `ofed_info -s` (MLNX_OFED and DOCA OFED print e.g. `MLNX_OFED_LINUX-23.10-1.1.9.0:`); only on the running system. */
async function mofed(host: Host): Promise<Fact> {
  if (!host.canExec) return unknown('ofed_info is not run against an offline root (rdma-core is recorded as a package)');
  const r = await host.exec('ofed_info', ['-s']);
  if (r.outcome === 'not-found') return absent('no ofed_info command');
  const line = r.stdout.trim().split('\n')[0]?.replace(/:$/, '').trim() ?? '';
  if (r.outcome !== 'exited' || r.exitCode !== 0 || line === '') return unknown(`ofed_info -s did not give a version: ${r.summary}`);
  return known(line, 'ofed_info -s');
}

/** `rpm -q` of the listed packages, on the running system only (rpm's database needs rpm to read it). */
async function rpmPackages(host: Host): Promise<Map<string, Fact> | string> {
  if (!host.canExec) return 'an rpm database cannot be read without running rpm, and commands are not run against an offline root';
  const r = await host.exec('rpm', ['-q', '--queryformat', '%{NAME} %{VERSION}-%{RELEASE}\\n', ...BASELINE_PACKAGES]);
  if (r.outcome !== 'exited') return `rpm -q did not finish: ${r.summary}`;
  const out = new Map<string, Fact>(BASELINE_PACKAGES.map((n) => [n, absent('rpm -q')]));
  for (const line of r.stdout.split('\n').map((l) => l.trim()).filter(Boolean)) {
    if (/^package \S+ is not installed$/.test(line)) continue;
    const m = /^(\S+) (\S+)$/.exec(line);
    if (!m || !out.has(m[1]!)) return `rpm -q printed something unexpected`;
    out.set(m[1]!, known(m[2]!, 'rpm -q'));
  }
  return out;
}

async function packages(host: Host): Promise<Map<string, Fact>> {
  const dpkg = await dpkgStatus(host);
  const all = (f: Fact) => new Map<string, Fact>(BASELINE_PACKAGES.map((n) => [n, f]));
  if (dpkg.state === 'ok') {
    return new Map(
      BASELINE_PACKAGES.map((n) => {
        const p = dpkg.packages.get(n);
        return [n, p?.installed ? known(p.version, DPKG_STATUS) : absent(DPKG_STATUS)];
      }),
    );
  }
  if (dpkg.state !== 'absent') return all(unknown(dpkg.reason));
  const rpmDb = (await Promise.all(RPM_DBS.map((d) => host.fs.exists(d).catch(() => false)))).some(Boolean);
  if (!rpmDb) return all(unknown(`no package database (neither ${DPKG_STATUS} nor an rpm database)`));
  const rpm = await rpmPackages(host);
  return typeof rpm === 'string' ? all(unknown(rpm)) : rpm;
}

/** Every fact, by id, sorted by id. */
export async function gatherFacts(host: Host): Promise<Record<string, Fact>> {
  const [k, d, c, fm, ofed, pkgs] = await Promise.all([kernel(host), nvidiaDriver(host), cuda(host), fabricManager(host), mofed(host), packages(host)]);
  const facts: [string, Fact][] = [
    ['kernel', k],
    ['nvidia.driver', d],
    ['cuda', c],
    ['nvidia.fabricmanager', fm],
    ['mofed', ofed],
    ...[...pkgs].map(([n, f]): [string, Fact] => [`package:${n}`, f]),
  ];
  return Object.fromEntries(facts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
