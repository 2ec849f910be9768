// cloud-init system configuration: /etc/cloud/cloud.cfg and /etc/cloud/cloud.cfg.d/*.cfg, YAML
// mappings merged in file order (later files win; mappings merge key by key, lists are replaced).
import { parseDocument } from 'yaml';
import { ParseError } from './parse-error';

export type CloudConfig = Record<string, unknown>;

export interface CloudConfigSource {
  file: string;
  config: CloudConfig;
}

export interface MergedCloudConfig {
  config: CloudConfig;
  /** Which file set each key, by dotted path (`mounts`, `disk_setup.ephemeral0`). */
  from: Map<string, string>;
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One file's YAML; throws ParseError (with the line) when it is not a YAML mapping. */
export function parseCloudConfig(text: string): CloudConfig {
  let value: unknown;
  try {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
    const first = doc.errors[0];
    // The yaml library's messages may quote the source; its error code and position do not.
    if (first) throw new ParseError(`not valid YAML (${first.code})`, first.linePos?.[0]?.line, first.linePos?.[0]?.col);
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    if (err instanceof ParseError) throw err;
    throw new ParseError('not valid YAML');
  }
  if (value === null || value === undefined) return {};
  if (!isMapping(value)) throw new ParseError('the top level is not a mapping of keys', 1);
  return value;
}

function mergeInto(target: Record<string, unknown>, src: Record<string, unknown>, file: string, prefix: string, from: Map<string, string>): void {
  for (const [key, value] of Object.entries(src)) {
    const p = prefix ? `${prefix}.${key}` : key;
    const existing = target[key];
    if (isMapping(existing) && isMapping(value)) {
      mergeInto(existing, value, file, p, from);
    } else {
      for (const k of [...from.keys()]) if (k.startsWith(`${p}.`)) from.delete(k);
      target[key] = isMapping(value) ? structuredClone(value) : value;
      if (isMapping(value)) recordAll(value, file, p, from);
    }
    from.set(p, file);
  }
}

function recordAll(value: Record<string, unknown>, file: string, prefix: string, from: Map<string, string>): void {
  for (const [key, v] of Object.entries(value)) {
    from.set(`${prefix}.${key}`, file);
    if (isMapping(v)) recordAll(v, file, `${prefix}.${key}`, from);
  }
}

export function mergeCloudConfigs(sources: readonly CloudConfigSource[]): MergedCloudConfig {
  const config: CloudConfig = {};
  const from = new Map<string, string>();
  for (const s of sources) mergeInto(config, s.config, s.file, '', from);
  return { config, from };
}
