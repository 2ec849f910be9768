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
//     - { id: site.ib-up, readiness: true, category: node, modes: [start-task], port: 8080 }
import type { Check } from '../types';
import { YamlInput } from './yaml-doc';
import { KINDS, type CustomKind, type KindSpec } from './kinds';
import { DECLARATION_KEYS, declarationProblem, declaredMeta, type CheckDeclaration } from './declaration';

/** What a kind decides (`live`) and what the file calls otherwise (`fix` is `remediation` here) are not declared. */
const META_KEYS = DECLARATION_KEYS.filter((k) => k !== 'live' && k !== 'fix');
const KNOWN_KEYS = new Set([...META_KEYS, 'remediation', ...Object.keys(KINDS)]);

type Path = (string | number)[];

function optionalString(input: YamlInput, v: unknown, path: Path): string | undefined {
  if (v === undefined) return undefined;
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
    const meta = Object.fromEntries(Object.entries(entry).filter(([k]) => META_KEYS.includes(k)));
    const problem = declarationProblem(meta);
    if (problem) throw input.error(at(...problem.path), problem.message);
    const d = meta as CheckDeclaration;
    if (seen.has(d.id)) throw input.error(at('id'), `duplicate check id ${d.id}`);
    seen.add(d.id);
    const unknownDependency = d.dependsOn?.findIndex((dep) => !seen.has(dep)) ?? -1;
    if (unknownDependency >= 0) throw input.error(at('dependsOn', unknownDependency), 'not a known check (built-in, or declared before it)');
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
    const remediation = optionalString(input, entry.remediation, at('remediation'));
    return {
      ...declaredMeta(d, {
        description: `Site check from ${file}: ${spec.describe(entry[kind])}.`,
        fix: remediation ?? 'See the site documentation for this check.',
        live: spec.live,
      }),
      run: async (ctx) => {
        const r = await build(ctx);
        if (!remediation) return r;
        return { ...r, findings: r.findings.map((f) => (f.status === 'fail' || f.status === 'warn' ? { ...f, remediation } : f)) };
      },
    };
  });
}
