import path from 'node:path';
import type { Check, CheckResult, Evidence, Finding, Mode } from '../src/types';
import type { Host } from '../src/host/host';
import { error, fail, finding, pass, unreadable, warn } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { ibvDevinfoFailure, parseIbvDevinfo } from '../src/parsers/ibv-devinfo';
import { isUnlimited, parseLimitsConf, rootMemlock, type LimitsFile } from '../src/parsers/limits-conf';
import { ParseError } from '../src/parsers/parse-error';
import { installCommand } from '../src/remediation';
import type { DistroFamily } from '../src/parsers/os-release';
import { rdmaKind, rdmaKindName, type RdmaKindProbe } from '../src/probes/rdma-kind';
import { runTool } from '../src/run-tool';

const MEMLOCK_FIX =
  'RDMA registers (pins) memory: give root an unlimited memlock limit, e.g. `printf "root soft memlock unlimited\\nroot hard memlock unlimited\\n" > /etc/security/limits.d/90-rdma-memlock.conf` ' +
  '(a `*` line is not enough: Debian and Ubuntu never apply wildcard lines to root). Services started by systemd need LimitMEMLOCK=infinity instead.';

/**
 * limits.conf then limits.d/*.conf as pam_limits reads them: it globs `*.conf` (so no hidden
 * file) in C-locale order, which is the order `list` gives.
 */
async function readLimits(host: Host): Promise<{ path: string; parsed: LimitsFile }[]> {
  const files = ['/etc/security/limits.conf'];
  const dropIns = (await host.fs.listIfExists('/etc/security/limits.d')).filter((n) => n.endsWith('.conf') && !n.startsWith('.'));
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

/** What node prep runs on SR-IOV sizes besides ibv_devinfo, each under set -e, and what its output starts with. */
const SRIOV_TOOLS: readonly { cmd: string; what: RegExp; fix: (f: DistroFamily) => string }[] = [
  { cmd: 'ofed_info', what: /OFED/, fix: () => 'Install the Mellanox OFED / NVIDIA DOCA host stack (ofed_info comes with it; rdma-core alone does not ship it), or build from an Azure HPC image.' },
  {
    cmd: 'ibstatus',
    what: /Infiniband device/i,
    fix: (f) => installCommand(f, { debian: 'infiniband-diags', rhel: 'infiniband-diags', suse: 'infiniband-diags' }),
  },
];

/** ofed_info and ibstatus: installed, and on a running host (not an image-build VM, which need not have the devices) they run as node prep runs them. */
async function sriovTools(host: Host, family: DistroFamily, kind: RdmaKindProbe, evidence: Evidence, mode: Mode): Promise<Finding[]> {
  const out: Finding[] = [];
  const why = `node prep runs it on ${rdmaKindName(kind.kind)} nodes (${kind.why}) and exits when it fails`;
  for (const t of SRIOV_TOOLS) {
    const at = await host.which(t.cmd);
    evidence[t.cmd] = at;
    if (!at) {
      out.push(finding.fail(`${t.cmd} is not installed: ${why}`, t.fix(family), { retryable: false }));
      continue;
    }
    if (!host.live || !host.canExec || mode === 'image') continue;
    const r = await runTool(host, t.cmd, [], (text) => {
      if (!t.what.test(text)) throw new ParseError(`no ${t.what.source} in its output`);
      return text;
    });
    if (r.kind === 'missing') out.push(finding.fail(`${t.cmd} is not installed: ${why}`, t.fix(family), { retryable: false }));
    else if (r.kind === 'broken') out.push(finding.fail(`${r.summary}: ${why}`, t.fix(family), { retryable: false }));
    else if (r.kind === 'unknown') out.push(finding.error(r.summary));
  }
  return out;
}

export const rdmaUserland: Check = {
  id: 'rdma.userland',
  title: 'RDMA user-space stack',
  area: 'rdma',
  features: ['infiniband'],
  dependsOn: [],
  live: false,
  description:
    'MPI over InfiniBand needs the verbs user-space stack (rdma-core / MLNX_OFED). Checks that ibv_devinfo is installed and, on a running host outside image mode, that it ' +
    'lists the devices (parsed: hca_id, port state, link layer); "No IB devices found" or "Failed to get IB devices list: Function not implemented" fails. ' +
    'On SR-IOV RDMA nodes (HB/HC sizes, NC*rs_v3, or whenever /dev/infiniband/issm0 exists, as node prep decides) node prep also runs `ofed_info` and ' +
    '`ibstatus`: each must be installed and, on a running host, exit 0. No port PORT_ACTIVE warns and is retryable (node prep does not check it; a port ' +
    'can still be INIT shortly after boot). It also reads /etc/security/limits.conf and limits.d/*.conf for root\'s memlock limit: not unlimited warns ' +
    '(RDMA pins memory). On Debian/Ubuntu only explicit `root` lines count, since their pam_limits never applies `*` lines to root; upstream Linux-PAM (RHEL, SLES) does.',
  consequence:
    'fail: on SR-IOV nodes node prep runs ofed_info, ibstatus and ibv_devinfo under set -e (check_for_mellanox_card): a missing or failing one stops it and the ' +
    'node goes to starttaskfailed; elsewhere MPI over InfiniBand cannot start without the verbs stack. warn: node prep passes (port not ACTIVE yet, memlock limited).',
  fix: 'Install rdma-core and ibverbs-utils (or MLNX_OFED), load the RDMA drivers, and set `root soft/hard memlock unlimited` in /etc/security/limits.d/.',
  byTarget: {
    batch: {
      description:
        'MPI over InfiniBand needs the verbs user-space stack: the distribution\'s inbox rdma-core with ibverbs-utils, or MLNX_OFED / DOCA. Checks that ' +
        'ibv_devinfo is installed and, on a running host outside image mode, that it lists the devices (parsed: hca_id, port state, link layer); "No IB devices found" or ' +
        '"Failed to get IB devices list: Function not implemented" fails. ofed_info and ibstatus are not required: an inbox rdma-core stack with an ACTIVE ' +
        'port serves verbs and MPI. No port PORT_ACTIVE warns and is retryable (a port can still be INIT shortly after boot). Root\'s memlock limit in ' +
        '/etc/security/limits.conf and limits.d/*.conf that is not unlimited warns (RDMA pins memory; Debian/Ubuntu apply only explicit `root` lines to root).',
      consequence:
        'fail: without a working verbs stack, MPI and other RDMA programs cannot use InfiniBand; Batch itself starts the node, and the tasks fail. ' +
        'warn: no ACTIVE port yet, or memlock limited.',
      fix: 'Install rdma-core and ibverbs-utils (inbox packages are enough) or MLNX_OFED, load the RDMA drivers, and set `root soft/hard memlock unlimited` in /etc/security/limits.d/.',
    },
  },
  async run({ host, settings }) {
    const family = (await osRelease(host)).family;
    const evidence: Evidence = {};
    let memlock: string | null;
    let binary: string | null;
    let extra: Finding[];
    try {
      memlock = await memlockProblem(host, family, evidence);
      binary = await host.which('ibv_devinfo');
      // ofed_info and ibstatus are node prep's demands alone: plain Batch needs only a verbs stack with an ACTIVE port (inbox rdma-core will do).
      if (settings.target === 'batch') extra = [];
      else {
        const kind = await rdmaKind(host, settings.vmSize);
        evidence.rdmaKind = `${rdmaKindName(kind.kind)} (${kind.why})`;
        extra = kind.kind === 'sr-iov' ? await sriovTools(host, family, kind, evidence, settings.mode) : [];
      }
    } catch (err) {
      return unreadable(err);
    }
    evidence.ibvDevinfo = binary;
    // Every finding of this check: the ibv_devinfo verdict, the SR-IOV tools, memlock.
    const withOthers = (r: CheckResult): CheckResult => ({
      ...r,
      findings: [...r.findings, ...extra, ...(memlock ? [finding.warn(memlock, MEMLOCK_FIX)] : [])],
    });
    if (!binary) return withOthers(fail('ibv_devinfo is not installed (no verbs user-space tools)', ibvFix(family), evidence, { retryable: false }));
    if (!host.live || !host.canExec || settings.mode === 'image') {
      const why =
        settings.mode === 'image'
          ? "image mode: the build VM need not have the pool's RDMA devices; start-task mode runs it"
          : host.canExec
            ? 'container mode: the host devices are not visible'
            : 'offline root: not the running system';
      return withOthers(pass(`ibv_devinfo is installed at ${binary}; not run (${why})`, evidence));
    }
    const r = await host.exec('ibv_devinfo', []);
    evidence.run = r.summary;
    const output = `${r.stdout}\n${r.stderr}`.trim();
    if (r.outcome === 'timeout' || r.outcome === 'crashed') return withOthers(error(`ibv_devinfo did not answer: ${r.summary}`, { ...evidence, output: output.slice(0, 500) }));
    if (r.outcome === 'not-found') return withOthers(fail('ibv_devinfo is not installed', ibvFix(family), evidence, { retryable: false }));
    const said = ibvDevinfoFailure(output);
    if (said) {
      return withOthers(
        fail(
          `ibv_devinfo found no RDMA device: "${said}"`,
          'The verbs library sees no device: load the RDMA drivers (`modprobe mlx5_ib ib_uverbs`), check `ls /sys/class/infiniband`, and use an RDMA-capable VM size.',
          { ...evidence, output: output.slice(0, 500) },
          { retryable: false },
        ),
      );
    }
    if (r.exitCode !== 0) return withOthers(error(`ibv_devinfo failed (exit ${r.exitCode}): ${output.split('\n')[0]?.slice(0, 200) ?? ''}`, { ...evidence, output: output.slice(0, 500) }));
    let devices;
    try {
      devices = parseIbvDevinfo(r.stdout);
    } catch (err) {
      if (err instanceof ParseError) return withOthers(error(`ibv_devinfo printed output that could not be read: ${err.message}`, { ...evidence, output: r.stdout.slice(0, 500) }));
      throw err;
    }
    if (devices.length === 0) return withOthers(fail('ibv_devinfo lists no device', 'Load the RDMA drivers and check `ls /sys/class/infiniband`.', evidence, { retryable: false }));
    evidence.devices = devices.map((d) => ({ hcaId: d.hcaId, ports: d.ports.map((p) => `${p.port}: ${p.state} ${p.linkLayer ?? ''}`.trim()) }));
    // Azure's accelerated-networking VF is an mlx5 device too, with an Ethernet port that is up
    // whenever the VM has a network: MPI needs an InfiniBand port (an ibv_devinfo that prints no
    // link_layer line is taken at its word that the port may be one).
    const unchecked = settings.target === 'batch' ? 'the verbs stack works' : 'node prep does not check this';
    const fabric = devices.flatMap((d) => d.ports.filter((p) => p.linkLayer !== 'Ethernet').map((p) => ({ hcaId: d.hcaId, ...p })));
    const active = fabric.filter((p) => p.state === 'PORT_ACTIVE').map((p) => `${p.hcaId} port ${p.port} (${p.linkLayer ?? 'unknown link layer'})`);
    if (active.length === 0) {
      const listed = devices.map((d) => d.hcaId).join(', ');
      if (fabric.length === 0) {
        return withOthers(
          warn(
            `ibv_devinfo lists ${listed} with Ethernet ports only, no InfiniBand port; ${unchecked}, but MPI over InfiniBand needs one`,
            'Check `ibstat` and `lspci | grep -i mellanox`: the InfiniBand VF is missing on this VM (redeploy it), or the size has no InfiniBand.',
            evidence,
            { category: 'node', retryable: false },
          ),
        );
      }
      // ibv_devinfo exits 0 whatever the port state, so node prep passes; the fabric brings ports up after boot.
      const init = fabric.every((p) => p.state === 'PORT_INIT');
      return withOthers(
        warn(
          `ibv_devinfo lists ${listed} but no InfiniBand port is PORT_ACTIVE yet; ${unchecked}, but MPI over InfiniBand needs an ACTIVE port`,
          'Check `ibstat`: INIT means no subnet manager has configured the port yet (run again later), DOWN means no link (redeploy the VM if it stays down).',
          evidence,
          { category: init ? 'transient' : 'node', retryable: true },
        ),
      );
    }
    return withOthers(pass(`ibv_devinfo lists ${active.join(', ')} active`, evidence));
  },
};
