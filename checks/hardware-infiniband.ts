import type { Check } from '../src/types';
import { error, finding, pass, warn } from '../src/check-helpers';
import type { Finding } from '../src/types';
import { IB_CLASS, ibPorts, type IbPortText } from '../src/probes/ib-ports';
import { parseIbPhysState, parseIbPortState } from '../src/parsers/ib-port-state';
import { parseIbPortRate } from '../src/parsers/ib-port-rate';
import { ParseError } from '../src/parsers/parse-error';
import { lookUpVmSize } from '../src/vm-size-lookup';

type Health = 'ok' | 'coming-up' | 'down' | 'slow';

interface Port {
  name: string;
  state: string;
  physState: string;
  gbps: number;
  health: Health;
}

/** ACTIVE and LinkUp at the size's rate is healthy; INIT/ARMED means the subnet manager has not finished with it yet. */
function judge(p: IbPortText, wantGbps: number): Port {
  const name = `${p.device} port ${p.port}`;
  if (p.state === null || p.physState === null || p.rate === null) throw new ParseError(`${IB_CLASS}/${p.device}/ports/${p.port} lacks state, phys_state or rate`);
  const state = parseIbPortState(p.state).name;
  const physState = parseIbPhysState(p.physState).name;
  const gbps = parseIbPortRate(p.rate).gbps;
  let health: Health;
  if (physState !== 'LinkUp') health = 'down';
  else if (state === 'INIT' || state === 'ARMED') health = 'coming-up';
  // DOWN, and the kernel's other states (NOP, ACTIVE_DEFER): no usable link.
  else if (state !== 'ACTIVE') health = 'down';
  else health = gbps < wantGbps ? 'slow' : 'ok';
  return { name, state, physState, gbps, health };
}

const describe = (p: Port) => `${p.name} ${p.state}/${p.physState} at ${p.gbps} Gb/s`;

export const hardwareInfiniband: Check = {
  id: 'hardware.infiniband',
  title: 'InfiniBand ports the VM size promises are up at full rate',
  area: 'hardware',
  category: 'node',
  features: ['infiniband'],
  dependsOn: [],
  live: true,
  needsVmSize: true,
  description:
    `Compares the InfiniBand ports in ${IB_CLASS}/*/ports/* (link_layer InfiniBand; state, phys_state and rate) with the ports and rate ` +
    "the pool's VM size has (src/data/vm-size-hardware.ts, from the Azure size pages; e.g. ND H100 v5: 8 x 400 Gb/s NDR). A missing port, one " +
    'DOWN or not LinkUp, or one ACTIVE below the size\'s rate fails: the node\'s fabric link is degraded. A port in INIT or ARMED is still being ' +
    'configured by the subnet manager, which Azure does within minutes of boot: that failure is worth retrying. Ethernet (accelerated ' +
    'networking) ports are not counted. A size missing from the table, or whose ports the table does not know, is a warning, never a pass.',
  consequence:
    'fail: the start task fails and the node (starttaskfailed) takes no tasks, instead of slowing or failing every MPI/NCCL job that spans it; a port in INIT is worth a start task retry',
  fix: 'A port in INIT: wait and rerun (the subnet manager configures it). A port DOWN, missing or slow: reboot; if it stays so, reimage or delete the node and report the host to Azure support.',
  async run({ host, settings }) {
    const sz = lookUpVmSize(settings, 'InfiniBand ports');
    if (!sz.ok) return sz.result;
    const { size, row, evidence } = sz;
    if (row.ib === null) return pass(`${size.name} (${row.series}) has no InfiniBand: nothing to compare`, evidence);
    if (row.ib === 'unknown') {
      return warn(`${size.name} (${row.series}) has InfiniBand, but batch-preflight's size table does not know its ports and rate, so they cannot be compared`, `Add them, from ${row.source}, to src/data/vm-size-hardware.ts`, evidence);
    }
    const want = row.ib;
    const probe = await ibPorts(host);
    if (!probe.ok) return error(`could not read ${IB_CLASS}: ${probe.reason}`, evidence);
    const ibOnly = probe.ports.filter((p) => p.linkLayer === null || p.linkLayer === 'InfiniBand');
    let ports: Port[];
    try {
      ports = ibOnly.map((p) => judge(p, want.rateGbps));
    } catch (err) {
      if (err instanceof ParseError) return error(`could not read an InfiniBand port: ${err.message}`, evidence);
      throw err;
    }
    const promised = `${want.ports} x ${want.rateGbps} Gb/s ${want.generation}`;
    Object.assign(evidence, { expected: promised, ports: ports.map(describe), ethernetPorts: probe.ports.length - ibOnly.length });
    const healthy = ports.filter((p) => p.health === 'ok');
    if (healthy.length >= want.ports) return pass(`${healthy.length} InfiniBand port${healthy.length > 1 ? 's' : ''} ACTIVE at ${want.rateGbps} Gb/s or more, as ${size.name} has (${promised})`, evidence);

    const problems: Finding[] = [];
    const faulty = 'Reboot the node; if a port stays missing, down or slow (ibstat, dmesg | grep mlx5), reimage or delete the node and report the host to Azure support';
    const missing = want.ports - ports.length;
    if (missing > 0) problems.push(finding.fail(`${missing} of the ${want.ports} InfiniBand ports of ${size.name} ${missing > 1 ? 'are' : 'is'} missing (${ports.length} found)`, faulty));
    const bad = (h: Health) => ports.filter((p) => p.health === h);
    if (bad('slow').length) problems.push(finding.fail(`${bad('slow').map(describe).join(', ')}: below the ${want.rateGbps} Gb/s of ${size.name}`, faulty));
    if (bad('down').length) problems.push(finding.fail(`${bad('down').map(describe).join(', ')}: no link`, faulty));
    if (bad('coming-up').length) {
      problems.push(
        finding.fail(
          `${bad('coming-up').map(describe).join(', ')}: not yet configured by the subnet manager`,
          'Wait a few minutes and rerun: the fabric configures ports in INIT shortly after boot; if they stay in INIT, reboot the node',
          { category: 'transient', retryable: true },
        ),
      );
    }
    // Fewer healthy ports than the size has means at least one is missing or bad: never empty here.
    return { findings: problems, evidence };
  },
};
