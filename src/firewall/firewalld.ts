// What a firewalld zone does with an inbound connection: rich rules that deny, then open ports,
// services and rich rules that accept, then the zone's target. firewalld leaves outbound traffic alone.
import type { FirewalldPort, FirewalldZone } from '../parsers/firewalld-xml';
import { parsePortSpec } from './from-iptables';
import type { Packet, Verdict } from './model';

function covers(ports: readonly FirewalldPort[], p: Packet): boolean {
  return ports.some((x) => x.protocol === p.proto && (() => {
    const r = parsePortSpec(x.port);
    return r !== null && p.dport >= r[0] && p.dport <= r[1];
  })());
}

/** `servicePorts` maps each service the zone names to its ports (null: no definition found). */
export function evaluateZone(zoneName: string, zone: FirewalldZone, servicePorts: ReadonlyMap<string, FirewalldPort[] | null>, p: Packet): Verdict {
  const where = `firewalld zone ${zoneName}`;
  if (p.direction === 'out') return { kind: 'accepted', by: [`${where}: firewalld does not filter outgoing traffic from the host`] };
  // Batch reaches the node over IPv4 (the kernel rule sets are read for IPv4 too): IPv6-only rules do not apply.
  const ruleCovers = (r: FirewalldZone['rules'][number]) => r.family !== 'ipv6' && (r.anyTraffic || covers(r.ports, p) || r.services.some((s) => covers(servicePorts.get(s) ?? [], p)));
  const denies = zone.rules.filter((r) => (r.action === 'drop' || r.action === 'reject') && ruleCovers(r));
  const deny = denies.find((r) => !r.source);
  if (deny) return { kind: 'dropped', by: [`${where}: ${deny.text}`] };
  const source = (r: FirewalldZone['rules'][number]) => `source ${r.sourceInvert ? 'not ' : ''}${r.source}`;
  // Deny rules come before the allows: one limited to a source (or to all but one) leaves the port
  // open only to the rest.
  const accepted = (by: string): Verdict =>
    denies.length > 0 ? { kind: 'restricted', only: denies.map((r) => `all but ${source(r)}`), by: [...denies.map((r) => `${where}: ${r.text}`), by] } : { kind: 'accepted', by: [by] };
  if (zone.target === 'ACCEPT') return accepted(`${where}: target ACCEPT`);
  if (covers(zone.ports, p)) return accepted(`${where}: port ${zone.ports.filter((x) => covers([x], p)).map((x) => `${x.port}/${x.protocol}`).join(', ')}`);
  const missing = zone.services.filter((s) => servicePorts.get(s) === null);
  const svc = zone.services.find((s) => covers(servicePorts.get(s) ?? [], p));
  if (svc) return accepted(`${where}: service ${svc}`);
  const open = zone.rules.find((r) => r.action === 'accept' && !r.source && ruleCovers(r));
  if (open) return accepted(`${where}: ${open.text}`);
  const restricted = zone.rules.filter((r) => r.action === 'accept' && r.source && ruleCovers(r));
  if (restricted.length > 0) {
    return { kind: 'restricted', only: restricted.map(source), by: restricted.map((r) => `${where}: ${r.text}`) };
  }
  if (missing.length > 0) return { kind: 'unknown', reason: `services without a definition: ${missing.join(', ')}`, by: [where] };
  return { kind: 'dropped', by: [`${where}: target ${zone.target} (port not opened by any port, service or rich rule)`] };
}
