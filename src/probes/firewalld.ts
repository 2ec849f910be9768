// firewalld as a firewall source: on a live host it is reported (its rules are in the kernel and
// read from there); offline, its default zone is read from the XML files it loads at boot.
import type { Host } from '../host/host';
import { ParseError } from '../parsers/parse-error';
import { parseFirewalldService, parseFirewalldZone, type FirewalldPort } from '../parsers/firewalld-xml';
import { parseKeyValueFile } from '../parsers/ini-keys';
import { unitFile } from './unit-files';
import { evaluateZone } from '../firewall/firewalld';
import type { FirewallSource } from '../firewall/model';

/**
 * A line about firewalld when it runs (its rules were read from the kernel); null when it does not.
 * firewall-cmd is a Python program (~120 ms to start): callers ask only when firewalld's table is loaded.
 */
export async function firewalldLive(host: Host): Promise<string | null> {
  if (!(await host.which('firewall-cmd'))) return null;
  const state = await host.exec('firewall-cmd', ['--state']);
  if (state.outcome !== 'exited' || state.stdout.trim() !== 'running') return null;
  const zone = await host.exec('firewall-cmd', ['--get-default-zone']);
  const name = zone.outcome === 'exited' && zone.exitCode === 0 ? zone.stdout.trim() : 'unknown';
  return `firewalld is running (default zone ${name}); its rules were evaluated as loaded in the kernel`;
}

async function firstFile(host: Host, dirs: string[], name: string): Promise<{ path: string; text: string } | null> {
  for (const d of dirs) {
    const text = await host.fs.readTextIfExists(`${d}/${name}`);
    if (text !== null) return { path: `${d}/${name}`, text };
  }
  return null;
}

export async function firewalldStatic(host: Host): Promise<{ source?: FirewallSource; absent?: string }> {
  const unit = await unitFile(host, 'firewalld.service');
  if (unit.state === 'not-found') return { absent: 'firewalld not installed' };
  if (unit.state !== 'enabled') return { absent: `firewalld installed but firewalld.service is ${unit.state}` };
  const conf = await host.fs.readTextIfExists('/etc/firewalld/firewalld.conf');
  const zoneName = (conf && parseKeyValueFile(conf).get('DefaultZone')?.value) || 'public';
  const name = 'firewalld';
  try {
    const file = await firstFile(host, ['/etc/firewalld/zones', '/usr/lib/firewalld/zones'], `${zoneName}.xml`);
    if (!file) return { source: { state: 'error', name, reason: `default zone ${zoneName} has no zone file` } };
    const zone = parseFirewalldZone(file.text);
    const services = new Map<string, FirewalldPort[] | null>();
    for (const s of new Set([...zone.services, ...zone.rules.flatMap((r) => r.services)])) {
      const f = await firstFile(host, ['/etc/firewalld/services', '/usr/lib/firewalld/services'], `${s}.xml`);
      services.set(s, f ? parseFirewalldService(f.text) : null);
    }
    return {
      source: {
        state: 'active',
        name: `firewalld (${file.path})`,
        detail: `firewalld.service enabled; default zone ${zoneName} from ${file.path}`,
        evaluate: (p) => evaluateZone(zoneName, zone, services, p),
      },
    };
  } catch (err) {
    if (err instanceof ParseError) return { source: { state: 'error', name, reason: `firewalld configuration is not valid XML: ${err.message}` } };
    throw err;
  }
}
