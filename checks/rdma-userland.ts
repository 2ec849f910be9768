import path from 'node:path';
import type { Check, CheckResult, Evidence } from '../src/types';
import type { Host } from '../src/host/host';
import { error, fail, finding, pass, unreadable, warn } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { ibvDevinfoFailure, parseIbvDevinfo } from '../src/parsers/ibv-devinfo';
import { isUnlimited, parseLimitsConf, rootMemlock, type LimitsFile } from '../src/parsers/limits-conf';
import { ParseError } from '../src/parsers/parse-error';
import { installCommand } from '../src/remediation';
import type { DistroFamily } from '../src/parsers/os-release';

const MEMLOCK_FIX =
  'RDMA registers (pins) memory: give root an unlimited memlock limit, e.g. `printf "root soft memlock unlimited\\nroot hard memlock unlimited\\n" > /etc/security/limits.d/90-rdma-memlock.conf` ' +
  '(a `*` line is not enough: Debian and Ubuntu never apply wildcard lines to root). Services started by systemd need LimitMEMLOCK=infinity instead.';

/** limits.conf then limits.d/*.conf in C-locale order, as pam_limits reads them. */
async function readLimits(host: Host): Promise<{ path: string; parsed: LimitsFile }[]> {
  const files = ['/etc/security/limits.conf'];
  const dropIns = (await host.fs.listIfExists('/etc/security/limits.d')).filter((n) => n.endsWith('.conf')).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  files.push(...dropIns.map((n) => path.posix.join('/etc/security/limits.d', n)));
  const out: { path: string; parsed: LimitsFile }[] = [];
  for (const f of files) {
    const text = await host.fs.readTextIfExists(f);
    if (text !== null) out.push({ path: f, parsed: parseLimitsConf(text) });
  }
  return out;
}

/** The memlock verdict for root: null when unlimited, else why not. */
async function memlockProblem(host: Host, family: DistroFamily, evidence: Evidence): Promise<string | null> {
  // Debian's pam_limits (and so Ubuntu's) skips `*` lines for root; upstream Linux-PAM (RHEL, SLES) applies them.
  const wildcard = family === 'rhel' || family === 'suse';
  const m = rootMemlock(await readLimits(host), wildcard);
  const show = (s: typeof m.soft) => (s ? `${s.value} (${s.file}:${s.line}, ${s.domain})` : 'not set');
  evidence.memlock = { soft: show(m.soft), hard: show(m.hard), wildcardAppliesToRoot: wildcard };
  if (m.soft && m.hard && isUnlimited(m.soft.value) && isUnlimited(m.hard.value)) return null;
  const ignored = m.ignoredWildcards.length > 0 ? `; the \`*\` line at ${m.ignoredWildcards.map((w) => `${w.file}:${w.line}`).join(', ')} does not apply to root here` : '';
  return `root's memlock limit in /etc/security/limits.conf(.d) is not unlimited (soft ${show(m.soft)}, hard ${show(m.hard)})${ignored}`;
}

function ibvFix(family: DistroFamily): string {
  return installCommand(family, { debian: 'rdma-core ibverbs-utils', rhel: 'rdma-core libibverbs-utils', suse: 'rdma-core libibverbs-utils' });
}

export const rdmaUserland: Check = {
  id: 'rdma.userland',
  title: 'RDMA user-space stack',
  area: 'rdma',
  features: ['infiniband'],
  dependsOn: [],
  live: false,
  description:
    'MPI over InfiniBand needs the verbs user-space stack (rdma-core / MLNX_OFED) and Shipyard runs `ibv_devinfo` on SR-IOV RDMA sizes, failing the node ' +
    'when it does. Checks that ibv_devinfo is installed and, on a running host, that it lists the devices (parsed: hca_id, port state, link layer); ' +
    '"No IB devices found" or "Failed to get IB devices list: Function not implemented" fails. It also reads /etc/security/limits.conf and ' +
    'limits.d/*.conf for root\'s memlock limit: not unlimited warns (RDMA pins memory). On Debian/Ubuntu only explicit `root` lines count, since ' +
    'their pam_limits never applies `*` lines to root; upstream Linux-PAM (RHEL, SLES) does.',
  fix: 'Install rdma-core and ibverbs-utils (or MLNX_OFED), load the RDMA drivers, and set `root soft/hard memlock unlimited` in /etc/security/limits.d/.',
  async run({ host }) {
    const family = (await osRelease(host)).family;
    const evidence: Evidence = {};
    let memlock: string | null;
    let binary: string | null;
    try {
      memlock = await memlockProblem(host, family, evidence);
      binary = await host.which('ibv_devinfo');
    } catch (err) {
      return unreadable(err);
    }
    evidence.ibvDevinfo = binary;
    const withMemlock = (r: CheckResult): CheckResult => {
      if (!memlock) return r;
      return { ...r, findings: [...r.findings, finding.warn(memlock, MEMLOCK_FIX)] };
    };
    if (!binary) return withMemlock(fail('ibv_devinfo is not installed (no verbs user-space tools)', ibvFix(family), evidence));
    if (!host.live || !host.canExec) {
      const why = host.canExec ? 'container mode: the host devices are not visible' : 'offline root: not the running system';
      return withMemlock(pass(`ibv_devinfo is installed at ${binary}; not run (${why})`, evidence));
    }
    const r = await host.exec('ibv_devinfo', []);
    evidence.run = r.summary;
    const output = `${r.stdout}\n${r.stderr}`.trim();
    if (r.outcome === 'timeout' || r.outcome === 'crashed') return withMemlock(error(`ibv_devinfo did not answer: ${r.summary}`, { ...evidence, output: output.slice(0, 500) }));
    if (r.outcome === 'not-found') return withMemlock(fail('ibv_devinfo is not installed', ibvFix(family), evidence));
    const said = ibvDevinfoFailure(output);
    if (said) {
      return withMemlock(
        fail(
          `ibv_devinfo found no RDMA device: "${said}"`,
          'The verbs library sees no device: load the RDMA drivers (`modprobe mlx5_ib ib_uverbs`), check `ls /sys/class/infiniband`, and use an RDMA-capable VM size.',
          { ...evidence, output: output.slice(0, 500) },
        ),
      );
    }
    if (r.exitCode !== 0) return withMemlock(error(`ibv_devinfo failed (exit ${r.exitCode}): ${output.split('\n')[0]?.slice(0, 200) ?? ''}`, { ...evidence, output: output.slice(0, 500) }));
    let devices;
    try {
      devices = parseIbvDevinfo(r.stdout);
    } catch (err) {
      if (err instanceof ParseError) return withMemlock(error(`ibv_devinfo printed output that could not be read: ${err.message}`, { ...evidence, output: r.stdout.slice(0, 500) }));
      throw err;
    }
    if (devices.length === 0) return withMemlock(fail('ibv_devinfo lists no device', 'Load the RDMA drivers and check `ls /sys/class/infiniband`.', evidence));
    evidence.devices = devices.map((d) => ({ hcaId: d.hcaId, ports: d.ports.map((p) => `${p.port}: ${p.state} ${p.linkLayer ?? ''}`.trim()) }));
    const active = devices.flatMap((d) => d.ports.filter((p) => p.state === 'PORT_ACTIVE').map((p) => `${d.hcaId} port ${p.port} (${p.linkLayer ?? 'unknown link layer'})`));
    if (active.length === 0) {
      return withMemlock(fail(`ibv_devinfo lists ${devices.map((d) => d.hcaId).join(', ')} but no port is PORT_ACTIVE`, 'Check `ibstat`: INIT means no subnet manager yet, DOWN means no link.', evidence));
    }
    return withMemlock(pass(`ibv_devinfo lists ${active.join(', ')} active`, evidence));
  },
};
