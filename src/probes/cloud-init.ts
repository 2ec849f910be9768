// cloud-init's system configuration as it merges it, and what it would do to the Azure temp disk
// (cloud-init's name for it is `ephemeral0`; on Azure also /dev/disk/cloud/azure_resource).
import path from 'node:path';
import type { Host } from '../host/host';
import { mergeCloudConfigs, parseCloudConfig, type CloudConfigSource, type MergedCloudConfig } from '../parsers/cloud-init';
import { ParseError } from '../parsers/parse-error';
import { messageOf } from '../errors';

export const CLOUD_CFG = '/etc/cloud/cloud.cfg';
export const CLOUD_CFG_D = '/etc/cloud/cloud.cfg.d';

export type CloudInitProbe =
  | { ok: true; present: false }
  | { ok: true; present: true; files: string[]; merged: MergedCloudConfig }
  /** A file is not valid YAML (file and line named) or could not be read. */
  | { ok: false; file: string; line?: number; reason: string; kind: 'invalid' | 'unreadable' };

export function cloudInitConfig(host: Host): Promise<CloudInitProbe> {
  return host.probe('cloud-init-config', async () => {
    const files: string[] = [];
    let current = CLOUD_CFG;
    try {
      const main = await host.fs.readTextIfExists(CLOUD_CFG);
      current = CLOUD_CFG_D;
      const dropIns = (await host.fs.listIfExists(CLOUD_CFG_D)).filter((n) => n.endsWith('.cfg')).map((n) => path.posix.join(CLOUD_CFG_D, n));
      if (main === null && dropIns.length === 0) return { ok: true, present: false };
      const sources: CloudConfigSource[] = [];
      if (main !== null) {
        current = CLOUD_CFG;
        files.push(CLOUD_CFG);
        sources.push({ file: CLOUD_CFG, config: parseCloudConfig(main) });
      }
      for (const f of dropIns) {
        current = f;
        files.push(f);
        sources.push({ file: f, config: parseCloudConfig(await host.fs.readText(f)) });
      }
      return { ok: true, present: true, files, merged: mergeCloudConfigs(sources) };
    } catch (err) {
      if (err instanceof ParseError) return { ok: false, kind: 'invalid', file: current, line: err.line, reason: err.message };
      return { ok: false, kind: 'unreadable', file: current, reason: messageOf(err) };
    }
  });
}

export interface EphemeralFinding {
  file: string;
  /** The key that decides, e.g. `mounts[0]`, `fs_setup[1].filesystem`, `disk_setup.ephemeral0.layout`. */
  key: string;
  problem: string;
}

const EPHEMERAL = /^(ephemeral0(\.\d+)?|\/dev\/disk\/cloud\/azure_resource(-part\d+)?)$/;
/** What Azure's cloud-init data source does itself: one GPT partition over the whole disk, ext4. */
const DEFAULT_FS = 'ext4';

function isWholeDiskLayout(layout: unknown): boolean {
  if (layout === true) return true;
  if (!Array.isArray(layout) || layout.length !== 1) return false;
  const only = layout[0];
  return only === 100 || (Array.isArray(only) && only[0] === 100);
}

/** Settings that move the temp disk away from `accepted` mount points or reformat it; pure, from the merged configuration. */
export function ephemeralDiskFindings(merged: MergedCloudConfig, accepted: readonly string[]): EphemeralFinding[] {
  const out: EphemeralFinding[] = [];
  const { config, from } = merged;
  const norm = (p: string) => p.replace(/\/+$/, '') || '/';
  if (Array.isArray(config.mounts)) {
    config.mounts.forEach((entry, i) => {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !EPHEMERAL.test(entry[0])) return;
      const target = entry[1];
      // An entry without a mount point only stops cloud-init from mounting it.
      if (typeof target !== 'string' || target === '' || target.toLowerCase() === 'none') return;
      if (!accepted.includes(norm(target))) {
        out.push({ file: from.get('mounts') ?? '?', key: `mounts[${i}]`, problem: `mounts ${entry[0]} at ${target}, not at ${accepted.join(' or ')}` });
      }
    });
  }
  const disks = config.disk_setup;
  if (typeof disks === 'object' && disks !== null && !Array.isArray(disks)) {
    for (const [dev, spec] of Object.entries(disks as Record<string, unknown>)) {
      if (!EPHEMERAL.test(dev) || typeof spec !== 'object' || spec === null) continue;
      const layout = (spec as Record<string, unknown>).layout;
      if (layout !== undefined && !isWholeDiskLayout(layout)) {
        out.push({ file: from.get(`disk_setup.${dev}`) ?? '?', key: `disk_setup.${dev}.layout`, problem: `repartitions ${dev} (layout ${JSON.stringify(layout)})` });
      }
    }
  }
  if (Array.isArray(config.fs_setup)) {
    config.fs_setup.forEach((fs, i) => {
      if (typeof fs !== 'object' || fs === null) return;
      const { device, filesystem } = fs as Record<string, unknown>;
      if (typeof device !== 'string' || !EPHEMERAL.test(device)) return;
      if (typeof filesystem === 'string' && filesystem.toLowerCase() !== DEFAULT_FS) {
        out.push({ file: from.get('fs_setup') ?? '?', key: `fs_setup[${i}].filesystem`, problem: `formats ${device} as ${filesystem} instead of ${DEFAULT_FS}` });
      }
    });
  }
  return out;
}
