// InfiniBand links that went down since the counters were last cleared. Azure's health checks fail a
// node whose IB link flapped (Azure/azurehpc-health-checks customTests/azure_ib_link_flapping.nhc
// counts "lost carrier" log lines of ib* devices, 5 in 24 hours by default); at start time the port's
// own link_downed counter says the same without a log: any count means the link has dropped.
import type { Check } from '../src/types';
import { combine, error, finding } from '../src/check-helpers';
import { ibLinkDowned } from '../src/probes/ib-link-downed';

export const rdmaLinkFlaps: Check = {
  id: 'rdma.link-flaps',
  title: 'InfiniBand links have not gone down',
  area: 'rdma',
  category: 'node',
  features: ['infiniband'],
  // No InfiniBand device at all is rdma.devices' finding.
  dependsOn: ['rdma.devices'],
  live: true,
  needsPoolHardware: true,
  readiness: false,
  description:
    'Reads the link_downed counter of every InfiniBand port (/sys/class/infiniband/*/ports/*/counters/link_downed; Ethernet ports are not ' +
    'counted): the times the link failed to recover from errors and went down. Any count warns: the link has flapped, which Azure\'s health ' +
    'checks treat as a node fault (azurehpc-health-checks azure_ib_link_flapping.nhc, from the log). A counter that cannot be read is an error, never a pass.',
  consequence:
    'warn: MPI and NCCL jobs spanning the node may stall or fail when the link drops again; the node keeps taking tasks.',
  fix: 'Watch the port (`ibstat`, the counter again after a while); if it keeps going down, remove the node (`az batch node delete`), resize the pool back, and report the host to Azure support.',
  async run({ host }) {
    const probe = await ibLinkDowned(host);
    if (!probe.ok) return error(`could not read the InfiniBand ports: ${probe.reason}`);
    const evidence = { linkDowned: probe.ports.map((p) => `${p.port}: ${p.count ?? `unreadable (${p.reason})`}`) };
    if (probe.ports.length === 0) return error('no InfiniBand port under /sys/class/infiniband (only Ethernet ports or none): no link_downed counter to read', evidence);
    const unreadable = probe.ports.filter((p) => p.count === null);
    const downed = probe.ports.filter((p) => (p.count ?? 0) > 0);
    const problems = [
      ...downed.map((p) =>
        finding.warn(
          `${p.port}: the link went down ${p.count} time(s) (counters/link_downed)`,
          'Watch the port (`ibstat`, the counter again after a while); if it keeps going down, remove the node (`az batch node delete --pool-id <pool> --node-list <node>`), resize the pool back, and report the host to Azure support.',
        ),
      ),
      ...unreadable.map((p) => finding.error(`${p.port}: link_downed could not be read: ${p.reason}`)),
    ];
    return combine(problems, evidence, `${probe.ports.length} InfiniBand port(s), none has gone down (link_downed 0)`);
  },
};
