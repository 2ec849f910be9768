// `--checks-file FILE.yaml`: site checks declared in YAML, validated on load, run like built-ins.
//
//   checks:
//     - id: site.lustre
//       title: Lustre client
//       features: [nfs]            # optional; empty = always
//       remediation: apt-get install -y lustre-client
//       command: { run: [lfs, --version], exitCode: 0, match: 'lfs \d' }
//     - id: site.license
//       file: { path: /etc/license.lic, contains: FEATURE }
//     - { id: site.port, port: 8080 }
//     - { id: site.munge, unit: munge.service }
//     - { id: site.peermem, module: nvidia_peermem }
//     - { id: site.scratch, mount: { path: /mnt/scratch, fstype: xfs } }
import { FEATURES, type Check, type Feature } from '../types';
import { YamlInput } from './yaml-doc';
import { KINDS, type CustomKind, type KindSpec } from './kinds';

const ID = /^[a-z0-9][a-z0-9.-]*$/;
const KNOWN_KEYS = new Set(['id', 'title', 'area', 'features', 'remediation', 'description', ...Object.keys(KINDS)]);

type Path = (string | number)[];

function str(input: YamlInput, v: unknown, path: Path, required: boolean): string | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw input.error(path, 'expected a non-empty string');
  return v;
}

export function loadChecksFile(file: string, taken: ReadonlySet<string>): Check[] {
  const input = YamlInput.load(file, '--checks-file');
  const doc = input.value() as { checks?: unknown } | null;
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.checks)) throw input.error([], 'expected a mapping with a `checks:` list');
  const seen = new Set(taken);
  return doc.checks.map((raw, i): Check => {
    const at = (...p: Path): Path => ['checks', i, ...p];
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw input.error(at(), 'expected a mapping');
    const entry = raw as Record<string, unknown>;
    const unknown = Object.keys(entry).filter((k) => !KNOWN_KEYS.has(k));
    if (unknown.length) throw input.error(at(unknown[0]!), `unknown key (expected one of ${[...KNOWN_KEYS].join(', ')})`);
    const id = str(input, entry.id, at('id'), true)!;
    if (!ID.test(id)) throw input.error(at('id'), 'ids are lower-case letters, digits, dots and dashes');
    if (seen.has(id)) throw input.error(at('id'), `duplicate check id ${id}`);
    seen.add(id);
    const features = entry.features ?? [];
    if (!Array.isArray(features) || features.some((f) => !(FEATURES as readonly unknown[]).includes(f))) {
      throw input.error(at('features'), `expected a list of features from: ${FEATURES.join(', ')}`);
    }
    const kinds = (Object.keys(KINDS) as CustomKind[]).filter((k) => k in entry);
    if (kinds.length !== 1) throw input.error(at(), `expected exactly one of ${Object.keys(KINDS).join(', ')}`);
    const kind = kinds[0]!;
    const spec: KindSpec = KINDS[kind];
    let build;
    try {
      build = spec.parse(entry[kind]);
    } catch (err) {
      throw input.error(at(kind), (err as Error).message);
    }
    const remediation = str(input, entry.remediation, at('remediation'), false);
    return {
      id,
      title: str(input, entry.title, at('title'), false) ?? id,
      area: str(input, entry.area, at('area'), false) ?? 'custom',
      features: features as Feature[],
      dependsOn: [],
      live: spec.live,
      description: str(input, entry.description, at('description'), false) ?? `Site check from ${file}: ${spec.describe(entry[kind])}.`,
      fix: remediation ?? 'See the site documentation for this check.',
      run: async (ctx) => {
        const r = await build(ctx);
        if (!remediation) return r;
        return { ...r, findings: r.findings.map((f) => (f.status === 'fail' || f.status === 'warn' ? { ...f, remediation } : f)) };
      },
    };
  });
}
