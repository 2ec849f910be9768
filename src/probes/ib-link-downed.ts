// The link_downed counter of every InfiniBand port (/sys/class/infiniband/<device>/ports/<n>/counters/link_downed,
// the path Telegraf's infiniband input reads: influxdata/telegraf plugins/inputs/infiniband/README.md):
// how many times the port's link failed to recover from errors and went down (the IBTA PortCounters
// LinkDownedCounter). Read once per run; Ethernet (accelerated networking) ports are left out.
import path from 'node:path';
import type { Host } from '../host/host';
import { IB_CLASS, ibPorts } from './ib-ports';
import { messageOf } from '../errors';

export interface LinkDowned {
  /** e.g. "mlx5_ib0 port 1" */
  port: string;
  /** null when the counter could not be read: `reason` says why. */
  count: number | null;
  reason?: string;
}

export type LinkDownedProbe = { ok: true; ports: LinkDowned[] } | { ok: false; reason: string };

export function ibLinkDowned(host: Host): Promise<LinkDownedProbe> {
  return host.probe('ib-link-downed', async () => {
    const probe = await ibPorts(host);
    if (!probe.ok) return probe;
    const ib = probe.ports.filter((p) => p.linkLayer === 'InfiniBand');
    const ports = await Promise.all(
      ib.map(async (p): Promise<LinkDowned> => {
        const port = `${p.device} port ${p.port}`;
        const file = path.posix.join(IB_CLASS, p.device, 'ports', p.port, 'counters', 'link_downed');
        try {
          const text = (await host.fs.readText(file, 64)).trim();
          if (!/^\d+$/.test(text)) return { port, count: null, reason: `${file} does not hold a count` };
          return { port, count: Number(text) };
        } catch (err) {
          return { port, count: null, reason: messageOf(err) };
        }
      }),
    );
    return { ok: true, ports };
  });
}
