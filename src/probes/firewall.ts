// The host firewalls, gathered once per run and shared by firewall.inbound and firewall.outbound.
// On a live host the kernel's rule sets decide (iptables nft and legacy backends, native nftables;
// ufw and firewalld load their rules there too). Otherwise what the image loads at boot is read
// from saved configuration: ufw files, saved iptables rule files, firewalld zones.
import type { Host } from '../host/host';
import type { ExecResult } from '../host/exec';
import { ParseError } from '../parsers/parse-error';
import { parseIptablesSave, type IptablesSave } from '../parsers/iptables-save';
import { parseNftJson } from '../parsers/nft-json';
import { parseKeyValueFile } from '../parsers/ini-keys';
import { iptablesRuleSet } from '../firewall/from-iptables';
import { iptablesNftTables, nftRuleSet } from '../firewall/from-nft';
import { ufwRuleSet } from '../firewall/ufw';
import { evaluateRuleSet } from '../firewall/evaluate';
import { firewalldStatic, firewalldLive } from './firewalld';
import type { FirewallSource, RuleSet } from '../firewall/model';
import { unitFile } from './unit-files';
import { messageOf } from '../errors';

export interface FirewallProbe {
  /** Whether the kernel's live rule sets were read (else saved configuration). */
  live: boolean;
  sources: FirewallSource[];
  /** Firewalls looked for and found absent or inactive, in words. */
  absent: string[];
  /** What was not checked, in words (for the message). */
  notChecked: string[];
  /** Other facts worth saying (a running firewalld). */
  notes: string[];
  /** The front-end that manages the rules, for the fix: 'firewalld', 'ufw', 'nftables', 'iptables'. */
  manager: string | null;
}

const EXEC_TIMEOUT_MS = 10_000;

function ruleSetSource(rs: RuleSet, detail: string): FirewallSource {
  return { state: 'active', name: rs.source, detail, evaluate: (p) => evaluateRuleSet(rs, p) };
}

/** Output of a rule-set dump, or why it cannot be used. */
async function dump(host: Host, cmd: string, args: string[]): Promise<{ ok: true; text: string; r: ExecResult } | { ok: false; missing: boolean; reason: string }> {
  const r = await host.exec(cmd, args);
  if (r.outcome === 'not-found') return { ok: false, missing: true, reason: r.summary };
  if (r.outcome !== 'exited' || r.exitCode !== 0 || r.truncated) {
    const err = r.stderr.trim().split('\n')[0] ?? '';
    return { ok: false, missing: false, reason: `${cmd} ${args.join(' ')}: ${r.summary}${err ? `: ${err}` : ''}` };
  }
  return { ok: true, text: r.stdout, r };
}

function parseFailure(cmd: string, err: unknown): FirewallSource {
  if (err instanceof ParseError) return { state: 'error', name: cmd, reason: `${cmd} printed output that is not a rule set (${err.message})` };
  throw err;
}

async function liveSources(host: Host, out: FirewallProbe): Promise<void> {
  // iptables: the nft backend (iptables-nft-save, or iptables-save when that is all there is) and the legacy one.
  let nftBackendRead = false;
  const iptCmd = (await host.which('iptables-nft-save')) ? 'iptables-nft-save' : 'iptables-save';
  const legacyCmd = 'iptables-legacy-save';
  const seen = new Set<string>();
  for (const cmd of [iptCmd, legacyCmd]) {
    const d = await dump(host, cmd, []);
    if (!d.ok) {
      if (d.missing) out.absent.push(`${cmd} not installed`);
      else out.sources.push({ state: 'error', name: cmd, reason: d.reason });
      continue;
    }
    let save: IptablesSave;
    try {
      save = parseIptablesSave(d.text);
    } catch (err) {
      out.sources.push(parseFailure(cmd, err));
      continue;
    }
    const backend = save.backend ?? (cmd === legacyCmd ? 'legacy' : cmd === 'iptables-nft-save' ? 'nf_tables' : 'unknown backend');
    if (seen.has(backend)) continue;
    seen.add(backend);
    if (backend === 'nf_tables') nftBackendRead = true;
    if (save.tables.length === 0) {
      out.absent.push(`no iptables (${backend}) tables loaded`);
      continue;
    }
    out.manager ??= 'iptables';
    out.sources.push(ruleSetSource(iptablesRuleSet(save, `iptables (${backend})`), `${cmd}: tables ${save.tables.map((t) => t.name).join(', ')}`));
  }
  const d = await dump(host, 'nft', ['-j', 'list', 'ruleset']);
  if (!d.ok) {
    if (d.missing) out.absent.push('nft not installed');
    else out.sources.push({ state: 'error', name: 'nft', reason: d.reason });
  } else {
    try {
      const parsed = parseNftJson(d.text);
      // Tables iptables-nft made are read better from iptables-nft-save (nft shows its matches as opaque xt).
      const skip = nftBackendRead ? iptablesNftTables(parsed) : new Set<string>();
      const own = parsed.tables.filter((t) => !skip.has(`${t.family} ${t.name}`));
      if (own.length === 0) out.absent.push('no native nftables tables loaded');
      else {
        if (own.some((t) => t.name === 'firewalld')) out.manager = 'firewalld';
        else out.manager ??= 'nftables';
        out.sources.push(ruleSetSource(nftRuleSet(parsed, (f, t) => skip.has(`${f} ${t}`)), `nft tables ${own.map((t) => `${t.family} ${t.name}`).join(', ')}`));
      }
    } catch (err) {
      out.sources.push(parseFailure('nft -j list ruleset', err));
    }
  }
  // A running firewalld (nftables backend) shows as its own table; only then is firewall-cmd asked.
  const fwd = out.manager === 'firewalld' ? await firewalldLive(host) : null;
  if (fwd) {
    out.manager = 'firewalld';
    out.notes.push(fwd);
  }
  if ((await host.fs.readTextIfExists('/etc/ufw/ufw.conf').catch(() => null))?.match(/^\s*ENABLED\s*=\s*yes/m)) out.manager = 'ufw';
}

async function enabled(host: Host, units: string[]): Promise<string | null> {
  for (const u of units) if ((await unitFile(host, u)).state === 'enabled') return u;
  return null;
}

async function savedIptables(host: Host, out: FirewallProbe): Promise<void> {
  const files: [string, string[]][] = [
    ['/etc/iptables/rules.v4', ['netfilter-persistent.service', 'iptables-persistent.service']],
    ['/etc/sysconfig/iptables', ['iptables.service']],
  ];
  for (const [file, units] of files) {
    const text = await host.fs.readTextIfExists(file);
    if (text === null) continue;
    const unit = await enabled(host, units);
    if (!unit) {
      out.absent.push(`${file} exists but ${units.join('/')} is not enabled`);
      continue;
    }
    try {
      out.sources.push(ruleSetSource(iptablesRuleSet(parseIptablesSave(text), `iptables (${file})`), `${file}, loaded at boot by ${unit}`));
      out.manager ??= 'iptables';
    } catch (err) {
      out.sources.push(parseFailure(file, err));
    }
  }
}

async function savedUfw(host: Host, out: FirewallProbe): Promise<void> {
  const conf = await host.fs.readTextIfExists('/etc/ufw/ufw.conf');
  if (conf === null) {
    out.absent.push('ufw not installed');
    return;
  }
  if (parseKeyValueFile(conf).get('ENABLED')?.value.toLowerCase() !== 'yes') {
    out.absent.push('ufw installed but not enabled (/etc/ufw/ufw.conf ENABLED is not yes)');
    return;
  }
  out.manager = 'ufw';
  const defaults = parseKeyValueFile((await host.fs.readTextIfExists('/etc/default/ufw')) ?? '');
  const rulesText = await host.fs.readTextIfExists('/etc/ufw/user.rules');
  if (rulesText === null) {
    out.sources.push({ state: 'error', name: 'ufw', reason: 'ufw is enabled but /etc/ufw/user.rules is missing' });
    return;
  }
  try {
    const cfg = {
      inputPolicy: defaults.get('DEFAULT_INPUT_POLICY')?.value ?? 'DROP',
      outputPolicy: defaults.get('DEFAULT_OUTPUT_POLICY')?.value ?? 'ACCEPT',
      userRules: parseIptablesSave(rulesText),
    };
    out.sources.push(ruleSetSource(ufwRuleSet(cfg, 'ufw (/etc/ufw/user.rules)'), `ufw enabled; default input ${cfg.inputPolicy}, output ${cfg.outputPolicy}`));
  } catch (err) {
    out.sources.push(parseFailure('/etc/ufw/user.rules', err));
  }
}

async function savedNftables(host: Host, out: FirewallProbe): Promise<void> {
  const unit = await enabled(host, ['nftables.service']);
  if (!unit) return;
  // nftables.conf is a script (includes, variables, defines): not evaluated offline.
  out.sources.push({ state: 'error', name: 'nftables', reason: 'nftables.service is enabled; its rule file (/etc/nftables.conf or /etc/sysconfig/nftables.conf) is not evaluated without a live kernel' });
  out.manager ??= 'nftables';
}

async function gather(host: Host): Promise<FirewallProbe> {
  const out: FirewallProbe = { live: host.live && host.canExec, sources: [], absent: [], notChecked: [], notes: [], manager: null };
  try {
    if (out.live) {
      await liveSources(host, out);
    } else {
      out.notChecked.push('the kernel rule sets (not a live host): the saved configuration loaded at boot was read instead');
      await savedUfw(host, out);
      await savedIptables(host, out);
      await savedNftables(host, out);
      const fwd = await firewalldStatic(host);
      if (fwd.source) {
        out.sources.push(fwd.source);
        out.manager = 'firewalld';
      } else if (fwd.absent) out.absent.push(fwd.absent);
    }
  } catch (err) {
    out.sources.push({ state: 'error', name: 'firewall files', reason: messageOf(err) });
  }
  return out;
}

export function firewallRules(host: Host): Promise<FirewallProbe> {
  return host.probe('firewall-rules', () => gather(host));
}
