// The shared decision of the firewall checks: the verdict of every firewall for each port asked
// about, turned into a status, a message that names the deciding rules, and a fix for the host.
import type { CheckResult } from './types';
import { error, fail, pass, warn } from './check-helpers';
import type { DistroFamily } from './parsers/os-release';
import type { FirewallProbe } from './probes/firewall';
import { combineVerdicts } from './firewall/evaluate';
import type { Packet, Verdict } from './firewall/model';

export interface PortQuestion {
  port: number;
  /** Why the port matters, e.g. 'Batch node communication'. */
  why: string;
  /** When set, a closed port is no failure, for this reason (simplified node communication). */
  closedIsFine?: string;
  /** When set, a closed port warns instead of failing, for this reason (a port the guide says "should" be open). */
  closedWarns?: string;
}

export interface PortAnswer extends PortQuestion {
  verdict: Verdict;
}

export function answerPorts(probe: FirewallProbe, direction: Packet['direction'], questions: readonly PortQuestion[]): PortAnswer[] {
  return questions.map((q) => {
    const p: Packet = { proto: 'tcp', dport: q.port, direction };
    const verdicts: Verdict[] = probe.sources.map((s) =>
      s.state === 'active' ? s.evaluate(p) : { kind: 'unknown', reason: `${s.name}: ${s.reason}`, by: [s.name] },
    );
    return { ...q, verdict: combineVerdicts(verdicts) };
  });
}

const list = (as: readonly PortAnswer[]) => as.map((a) => a.port).join(', ');

/** Fix commands for opening (or un-blocking) TCP ports with the firewall front-end in use. */
export function openPortsFix(manager: string | null, family: DistroFamily, ports: readonly number[], direction: Packet['direction']): string {
  const csv = ports.join(',');
  if (direction === 'out') {
    return manager === 'ufw'
      ? `ufw allow out ${csv}/tcp`
      : `Remove the rule that drops outgoing TCP ${csv} (e.g. \`iptables -I OUTPUT -p tcp -m multiport --dports ${csv} -j ACCEPT\` or \`nft insert rule inet filter output tcp dport { ${ports.join(', ')} } accept\`), and persist it.`;
  }
  switch (manager) {
    case 'firewalld':
      return ports.map((p) => `firewall-cmd --permanent --add-port=${p}/tcp`).join(' && ') + ' && firewall-cmd --reload';
    case 'ufw':
      return ports.map((p) => `ufw allow ${p}/tcp`).join(' && ');
    case 'nftables':
      return `nft insert rule inet filter input tcp dport { ${ports.join(', ')} } accept (use your table/chain), and add it to /etc/nftables.conf (or /etc/sysconfig/nftables.conf) so it survives a reboot`;
    default: {
      const persist = family === 'debian' ? 'netfilter-persistent save' : family === 'rhel' ? 'iptables-save > /etc/sysconfig/iptables' : 'save the rules so they load at boot';
      return `iptables -I INPUT -p tcp -m multiport --dports ${csv} -j ACCEPT && ${persist}`;
    }
  }
}

function describe(a: PortAnswer): string {
  const v = a.verdict;
  switch (v.kind) {
    case 'accepted':
      return `TCP ${a.port} accepted`;
    case 'dropped':
      return `TCP ${a.port} dropped by ${v.by[0]}`;
    case 'restricted':
      return `TCP ${a.port} accepted only for ${v.only.join('; ')} (${v.by[0]})`;
    case 'unknown':
      return `TCP ${a.port} could not be decided: ${v.reason}`;
  }
}

/** The check result for the answers: fail > error > warn > pass. */
/**
 * The front-end to fix with: ufw or firewalld when they manage the rules, else the rule set whose
 * rule decided (a native nftables drop is not fixed with iptables).
 */
function managerFor(probe: FirewallProbe, decidedBy: string | undefined): string | null {
  if (probe.manager === 'ufw' || probe.manager === 'firewalld') return probe.manager;
  if (decidedBy?.startsWith('nftables')) return 'nftables';
  if (decidedBy?.startsWith('iptables')) return 'iptables';
  return probe.manager;
}

export function portResult(probe: FirewallProbe, answers: readonly PortAnswer[], family: DistroFamily, direction: Packet['direction']): CheckResult {
  const fix = (as: readonly PortAnswer[]) => openPortsFix(managerFor(probe, as[0]?.verdict.by[0]), family, as.map((a) => a.port), direction);
  const evidence = {
    mode: probe.live ? 'live kernel rule sets' : 'saved configuration loaded at boot',
    firewalls: probe.sources.map((s) => (s.state === 'active' ? { name: s.name, detail: s.detail } : { name: s.name, error: s.reason })),
    absent: probe.absent,
    ports: Object.fromEntries(answers.map((a) => [a.port, { why: a.why, ...a.verdict }])),
    ...(probe.notes.length > 0 ? { notes: probe.notes } : {}),
    ...(probe.notChecked.length > 0 ? { notChecked: probe.notChecked } : {}),
  };
  const tail = [...probe.notes, ...probe.notChecked.map((n) => `not checked: ${n}`)].join('; ');
  const withTail = (m: string) => (tail ? `${m} (${tail})` : m);
  const dir = direction === 'in' ? 'inbound' : 'outbound';
  if (probe.sources.length === 0) {
    return pass(withTail(`no host firewall is installed or loaded (${probe.absent.join('; ') || 'none found'}): ${dir} TCP ${list(answers)} not filtered`), evidence);
  }
  const blocked = answers.filter((a) => a.verdict.kind === 'dropped' && !a.closedIsFine && !a.closedWarns);
  const shouldBeOpen = answers.filter((a) => a.verdict.kind === 'dropped' && !a.closedIsFine && a.closedWarns);
  const unknown = answers.filter((a) => a.verdict.kind === 'unknown');
  const limited = answers.filter((a) => a.verdict.kind === 'restricted' && !a.closedIsFine);
  const excused = answers.filter((a) => a.closedIsFine && a.verdict.kind !== 'accepted' && a.verdict.kind !== 'unknown');
  const excuse = excused.length > 0 ? `; TCP ${list(excused)} not open, which is fine: ${excused[0]!.closedIsFine}` : '';
  const all = answers.map(describe).join('; ');
  if (blocked.length > 0) {
    return fail(withTail(`the host firewall blocks ${dir} TCP ${list(blocked)} (${[...new Set(blocked.map((a) => a.why))].join(', ')}): ${all}`), fix(blocked), evidence);
  }
  if (unknown.length > 0) return error(withTail(`could not tell whether the host firewall lets ${dir} TCP ${list(unknown)} through: ${all}`), evidence);
  if (shouldBeOpen.length > 0) {
    const why = [...new Set(shouldBeOpen.map((a) => a.closedWarns))].join('; ');
    return warn(withTail(`the host firewall blocks ${dir} TCP ${list(shouldBeOpen)}, which only ${why}: ${all}${excuse}`), fix(shouldBeOpen), evidence);
  }
  if (limited.length > 0) {
    return warn(withTail(`${dir} TCP ${list(limited)} is accepted only for some sources or interfaces: ${all}${excuse}`), `If Batch traffic can come from elsewhere, open the ports to all sources: ${fix(limited)}`, evidence);
  }
  const open = answers.filter((a) => a.verdict.kind === 'accepted');
  const opened = open.length > 0 ? `the host firewall lets ${dir} TCP ${list(open)} through` : 'the host firewall lets none of the ports through';
  return pass(withTail(`${opened}${excuse}`), evidence);
}
