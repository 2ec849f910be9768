import path from 'node:path';
import type { Check, Evidence, Finding, Target } from '../src/types';
import type { Host } from '../src/host/host';
import { combine, error, fail, finding, unreadable } from '../src/check-helpers';
import { parseIbPortState } from '../src/parsers/ib-port-state';
import { ParseError } from '../src/parsers/parse-error';
import { isMellanoxInfiniband, MELLANOX_VENDOR, pciDevices } from '../src/probes/pci';
import { IB_CLASS, ibPorts, type IbPortsProbe } from '../src/probes/ib-ports';
import { ISSM0, rdmaKind, rdmaKindName, UVERBS0, type RdmaKindProbe } from '../src/probes/rdma-kind';

/** Node prep reads the P_Keys of this device and port by name: `cat .../mlx5_0/ports/1/pkeys/{0,1}`. */
const PKEYS = ['0', '1'].map((i) => `${IB_CLASS}/mlx5_0/ports/1/pkeys/${i}`);

interface Port {
  port: string;
  state: string;
  linkLayer: string;
}

interface IbDevice {
  name: string;
  driver: string | null;
  ports: Port[];
}

const DRIVER_FIX =
  'Build the image from an Azure HPC image, or install the Mellanox OFED / DOCA host drivers (mlx5_ib) and rdma-core; ' +
  'then `modprobe mlx5_ib ib_uverbs ib_umad` and add them to /etc/modules-load.d/ so they load at boot.';
const SIZE_FIX = 'Use an RDMA-capable VM size (H, HB, HC, or an N size with "r" in its name) for a pool that needs InfiniBand, or redeploy this VM if its size is one.';
const MODULES_FIX = 'Load the user-space access modules: `modprobe ib_uverbs ib_umad` (uverbs0, issm0), and add them to /etc/modules-load.d/ so they load at boot.';

/** The devices and their ports as the ib-ports probe read them, with each port's state parsed. */
function devicesOf(probe: Extract<IbPortsProbe, { ok: true }>): IbDevice[] {
  return probe.devices.map(({ name, driver }) => ({
    name,
    driver,
    ports: probe.ports
      .filter((p) => p.device === name)
      .map((p) => {
        if (p.state === null) throw new ParseError(`${IB_CLASS}/${name}/ports/${p.port}/state does not exist`);
        return { port: p.port, state: parseIbPortState(p.state).name, linkLayer: p.linkLayer ?? 'unknown' };
      }),
  }));
}

const linkName = (l: string) => (l === 'Ethernet' ? 'Ethernet (RoCE)' : l);

/** Device nodes node prep needs for this kind: missing, or not a character device. */
async function deviceNodeProblems(host: Host, kind: RdmaKindProbe, evidence: Evidence, target: Target): Promise<string[]> {
  // issm0 is node prep's SR-IOV demand; verbs programs open uverbs0 on any target.
  const nodes = kind.kind === 'sr-iov' && target === 'shipyard' ? [UVERBS0, ISSM0] : [UVERBS0];
  const kinds: Record<string, string> = {};
  const bad: string[] = [];
  for (const n of nodes) {
    const info = await host.fs.statIfExists(n);
    kinds[n] = info?.kind ?? 'missing';
    if (!info) bad.push(`${n} is missing`);
    else if (info.kind !== 'char-device') bad.push(`${n} is a ${info.kind}, not a character device`);
  }
  evidence.deviceNodes = kinds;
  return bad;
}

/** P_Keys node prep reads (SR-IOV only); each problem in words. */
async function pkeyProblems(host: Host, evidence: Evidence): Promise<string[]> {
  const bad: string[] = [];
  const read: Record<string, string | null> = {};
  for (const p of PKEYS) {
    const v = (await host.fs.readTextIfExists(p, 64))?.trim() ?? null;
    read[p] = v;
    if (v === null) bad.push(`${p} does not exist`);
    else if (!/^0x[0-9a-f]+$/i.test(v)) bad.push(`${p} holds ${JSON.stringify(v.slice(0, 20))}, not a P_Key`);
  }
  evidence.pkeys = read;
  return bad;
}

function portFinding(devices: IbDevice[], target: Target): Finding | null {
  const all = devices.flatMap((d) => d.ports.map((p) => ({ dev: d.name, ...p })));
  if (all.some((p) => p.state === 'ACTIVE')) return null;
  const states = all.map((p) => `${p.dev} port ${p.port} ${p.state}`);
  const init = all.length > 0 && all.every((p) => p.state === 'INIT');
  // Nothing stops on a port state (node prep does not look at it); the fabric's subnet manager brings ports up after boot.
  const nothingStops = target === 'batch' ? 'the node starts' : 'node prep does not check this';
  return finding.warn(
    `no InfiniBand port is ACTIVE yet (${states.length > 0 ? states.join(', ') : 'no ports listed'}); ${nothingStops}, but MPI over InfiniBand needs an ACTIVE port`,
    'INIT means no subnet manager has configured the port yet (on Azure the fabric does this within minutes of boot): run again later. ' +
      'DOWN means no link: check `ibstat` and `dmesg | grep mlx5`, and redeploy the VM if it stays down.',
    { category: init ? 'transient' : 'node', retryable: true },
  );
}

export const rdmaDevices: Check = {
  id: 'rdma.devices',
  title: 'RDMA devices',
  area: 'rdma',
  features: ['infiniband'],
  dependsOn: [],
  live: true,
  needsPoolHardware: true,
  // The port comes up when the fabric's subnet manager configures it, seconds to minutes after boot.
  readiness: true,
  description:
    'RDMA pools need an InfiniBand device the kernel drives, with the device nodes Batch Shipyard node prep requires. Node prep decides the RDMA ' +
    'kind as it does: SR-IOV for HB/HC sizes and NC*rs_v3, or whenever /dev/infiniband/issm0 exists; Network Direct for the older H/NC/ND r sizes ' +
    'and A8/A9, or when only uverbs0 exists. SR-IOV needs the character devices issm0 and uverbs0, a Mellanox PCI device and ' +
    '/sys/class/infiniband/mlx5_0/ports/1/pkeys/{0,1}; Network Direct needs uverbs0 (any RDMA pool: uverbs0). No device in /sys/class/infiniband ' +
    'fails: with a Mellanox PCI device the driver is missing (image), without one the hardware is (node, or the VM size: config). ' +
    'No port ACTIVE warns and is retryable: node prep does not check it, and a port can still be INIT shortly after boot.',
  consequence:
    'fail: node prep stops in get_vm_size_from_imds (issm0/uverbs0 missing) or check_for_mellanox_card (no Mellanox device, P_Keys unreadable) under set -e ' +
    'and the node goes to starttaskfailed. warn: node prep passes, but MPI over InfiniBand cannot run until a port is ACTIVE.',
  fix: 'Use an RDMA-capable VM size, install the Mellanox/NVIDIA RDMA drivers and rdma-core (or build from an Azure HPC image), load ib_uverbs and ib_umad at boot.',
  byTarget: {
    batch: {
      description:
        'RDMA pools need an InfiniBand device the kernel drives and the verbs device node /dev/infiniband/uverbs0 that MPI and other verbs programs open. ' +
        'No device in /sys/class/infiniband fails: with a Mellanox PCI device the driver is missing (image), without one the hardware is (node, or the VM ' +
        'size: config). A missing uverbs0 fails. No port ACTIVE warns and is retryable: a port can still be INIT shortly after boot. issm0 and the P_Keys ' +
        'of mlx5_0 are not required.',
      consequence: 'fail: MPI and other RDMA programs cannot use InfiniBand; Batch itself starts the node, and the tasks fail. warn: MPI over InfiniBand cannot run until a port is ACTIVE.',
      fix: 'Use an RDMA-capable VM size, install the RDMA drivers and rdma-core (inbox packages are enough, or build from an Azure HPC image), load ib_uverbs at boot.',
    },
  },
  async run({ host, settings }) {
    let kind: RdmaKindProbe;
    try {
      kind = await rdmaKind(host, settings.vmSize);
    } catch (err) {
      return unreadable(err);
    }
    const ib = await ibPorts(host);
    if (!ib.ok) return error(`could not read ${ib.reason}`);
    const evidence: Evidence = { rdmaKind: rdmaKindName(kind.kind), rdmaKindBecause: kind.why };
    const pci = await pciDevices(host);
    const mellanoxDevices = pci.ok ? pci.devices.filter((d) => d.vendor === MELLANOX_VENDOR) : null;
    const mellanoxIb = mellanoxDevices?.filter(isMellanoxInfiniband).map((d) => d.address) ?? null;
    evidence.mellanoxPci = mellanoxDevices?.map((d) => `${d.address} class ${d.class}`) ?? `unknown: ${pci.ok ? '' : pci.reason}`;

    if (ib.devices.length === 0) {
      if (mellanoxIb === null) return error(`no InfiniBand device in ${IB_CLASS}, and the PCI devices could not be read to tell a missing driver from missing hardware`, evidence);
      if (mellanoxIb.length > 0) {
        return fail(`no InfiniBand device in ${IB_CLASS}, though Mellanox InfiniBand PCI device(s) ${mellanoxIb.join(', ')} are present: the RDMA driver (mlx5_ib) is not loaded`, DRIVER_FIX, evidence, {
          retryable: false,
        });
      }
      const sizeSays = kind.bySize !== null && kind.bySize !== 'none';
      return fail(
        `no InfiniBand hardware: ${IB_CLASS} is absent or empty and there is no Mellanox InfiniBand PCI device${sizeSays ? ` on a VM size that has it (${kind.why})` : ''}`,
        SIZE_FIX,
        evidence,
        { category: sizeSays ? 'node' : 'config', retryable: false },
      );
    }

    let devices: IbDevice[];
    try {
      devices = devicesOf(ib);
    } catch (err) {
      if (err instanceof ParseError) return error(`could not read an InfiniBand port state: ${err.message}`);
      throw err;
    }
    evidence.devices = devices.map((d) => ({ name: d.name, driver: d.driver, ports: d.ports.map((p) => `${p.port}: ${p.state} ${linkName(p.linkLayer)}`) }));

    const problems: Finding[] = [];
    // issm0, a Mellanox PCI device and mlx5_0's P_Keys are node prep's SR-IOV steps; plain Batch needs a device, uverbs0 and an ACTIVE port.
    const shipyard = settings.target === 'shipyard';
    let nodes: string[];
    let pkeys: string[] = [];
    try {
      nodes = await deviceNodeProblems(host, kind, evidence, settings.target);
      if (kind.kind === 'sr-iov' && shipyard) pkeys = await pkeyProblems(host, evidence);
    } catch (err) {
      return unreadable(err);
    }
    const kindName = `${rdmaKindName(kind.kind)} (${kind.why})`;
    if (nodes.length > 0) {
      const why = !shipyard
        ? 'verbs programs (MPI over InfiniBand) cannot open the device'
        : kind.kind === 'none'
          ? `verbs programs (MPI over InfiniBand) cannot open the device (node prep sees ${kindName})`
          : `node prep requires it for ${kindName}`;
      problems.push(finding.fail(`${nodes.join('; ')}: ${why}`, MODULES_FIX, { retryable: false }));
    }
    if (shipyard && kind.bySize === 'sr-iov' && kind.kind === 'network-direct') {
      problems.push(
        finding.warn(
          `${ISSM0} is missing on an SR-IOV size, so node prep treats the node as Network Direct and skips the SR-IOV set-up (P_Key export, OFED checks)`,
          'Load ib_umad (`modprobe ib_umad`) at boot so that issm0 exists.',
        ),
      );
    }
    if (shipyard && kind.kind === 'sr-iov') {
      // With the PCI bus unreadable this adds nothing: the P_Keys node prep reads are mlx5_0's, a device of the mlx5 driver, which drives Mellanox PCI functions only.
      if (mellanoxDevices !== null && mellanoxDevices.length === 0) {
        problems.push(finding.fail('no Mellanox PCI device: node prep looks for one with lspci on SR-IOV RDMA sizes and exits', SIZE_FIX, { category: 'node', retryable: false }));
      }
      if (pkeys.length > 0) problems.push(finding.fail(`${pkeys.join('; ')}: node prep reads them to export IB_PKEY and exits when it cannot`, DRIVER_FIX, { retryable: false }));
    }
    const port = portFinding(devices, settings.target);
    if (port) problems.push(port);
    const active = devices.flatMap((d) => d.ports.filter((p) => p.state === 'ACTIVE').map((p) => `${d.name} port ${p.port} (${linkName(p.linkLayer)})`));
    const present = Object.keys(evidence.deviceNodes as object).map((n) => path.posix.basename(n)).join(', ');
    return combine(problems, evidence, `${active.join(', ')} ACTIVE; ${present} present${shipyard ? ` (${kindName})` : ''}`);
  },
};
