import path from 'node:path';
import type { Check, Evidence } from '../src/types';
import type { Host } from '../src/host/host';
import { error, fail, pass, unreadable } from '../src/check-helpers';
import { FIXED_PATH } from '../src/host/exec';
import { osRelease } from '../src/probes/os-release';
import { parseMpiVersion, type MpiFamily } from '../src/parsers/mpi-version';
import { installCommand } from '../src/remediation';
import { runTool } from '../src/run-tool';

/** Launchers and version tools looked up in the fixed PATH; the argument that prints the version. */
const PATH_TOOLS: readonly [string, string[]][] = [
  ['mpirun', ['--version']],
  ['mpiexec', ['--version']],
  ['ompi_info', ['--version']],
  ['mpichversion', []],
];

/** Where vendor MPIs install outside PATH: Intel MPI, HPC-X, and /opt/<mpi>-<version> as on Azure HPC images. */
const OPT_PATTERNS: readonly string[][] = [
  ['/opt/intel/oneapi/mpi', '*', 'bin/mpirun'],
  ['/opt/intel/impi', '*', 'intel64/bin/mpirun'],
  ['/opt/intel/impi', '*', 'bin64/mpirun'],
  ['/opt', 'hpcx*', 'ompi/bin/mpirun'],
  ['/opt', '*', 'bin/mpirun'],
];

interface Candidate {
  /** Path inside the root as found. */
  path: string;
  /** Where its symlinks lead (Debian alternatives: /usr/bin/mpirun -> /etc/alternatives/mpirun -> ...). */
  resolved: string;
  args: string[];
  /** Implementation guessed from the paths, before (or without) running it. */
  guess: string | null;
}

function guessFamily(p: string, resolved: string): string | null {
  const all = `${p} ${resolved}`.toLowerCase();
  if (all.includes('/opt/intel/')) return 'Intel MPI';
  if (/\/opt\/hpcx/.test(all)) return 'HPC-X (Open MPI)';
  if (/mvapich/.test(all)) return 'MVAPICH';
  if (/openmpi|ompi|orterun|prterun/.test(all)) return 'Open MPI';
  if (/mpich|hydra/.test(all)) return 'MPICH';
  return null;
}

function glob(part: string): RegExp {
  return new RegExp(`^${part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

async function findCandidates(host: Host): Promise<{ candidates: Candidate[]; dangling: string[] }> {
  // Every look-up is independent: ask them all at once rather than one after another.
  const inPath = await Promise.all(
    PATH_TOOLS.map(async ([cmd, args]) => {
      const p = await host.which(cmd);
      if (p) return { found: [{ path: p, args }], dangling: [] };
      // A Debian alternative whose target was removed: a link that leads nowhere.
      const links = await Promise.all(FIXED_PATH.map(async (dir) => {
        const link = path.posix.join(dir, cmd);
        return (await host.fs.readlink(link).catch(() => null)) !== null ? link : null;
      }));
      return { found: [], dangling: links.filter((l): l is string => l !== null) };
    }),
  );
  const inOpt = await Promise.all(
    OPT_PATTERNS.map(async ([base, pattern, rest]) => {
      const names = (await host.fs.listIfExists(base!)).filter((n) => glob(pattern!).test(n));
      const paths = names.map((name) => path.posix.join(base!, name, rest!));
      const executable = await Promise.all(paths.map((p) => host.fs.isExecutable(p)));
      return paths.filter((_, i) => executable[i]).map((p) => ({ path: p, args: ['--version'] }));
    }),
  );
  const found = [...inPath.flatMap((r) => r.found), ...inOpt.flat()];
  const resolvedPaths = await Promise.all(found.map((f) => host.fs.resolve(f.path)));
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  found.forEach((f, i) => {
    const resolved = '/' + path.relative(host.root, resolvedPaths[i]!);
    if (seen.has(resolved)) return;
    seen.add(resolved);
    candidates.push({ ...f, resolved, guess: guessFamily(f.path, resolved) });
  });
  return { candidates, dangling: [...new Set(inPath.flatMap((r) => r.dangling))] };
}

const shown = (c: Candidate) => (c.resolved === c.path ? c.path : `${c.path} -> ${c.resolved}`);

interface Answer {
  candidate: Candidate;
  ok: boolean;
  /** "Open MPI 4.1.4" when it answered. */
  label?: string;
  implementation?: MpiFamily;
  problem?: string;
  /** true when the answer says it is broken (exit/crash), false when we cannot tell (timeout, garbage). */
  broken?: boolean;
}

async function ask(host: Host, c: Candidate): Promise<Answer> {
  const r = await runTool(host, c.path, c.args, parseMpiVersion);
  switch (r.kind) {
    case 'ok': {
      const v = r.value;
      const name = c.guess === 'HPC-X (Open MPI)' && v.implementation === 'Open MPI' ? 'HPC-X Open MPI' : v.implementation;
      return { candidate: c, ok: true, label: `${name} ${v.version}`, implementation: v.implementation };
    }
    case 'unknown':
      return { candidate: c, ok: false, problem: r.parseError ? `printed no MPI version: ${r.parseError.message}` : r.exec.summary, broken: false };
    // Found on disk but not runnable (e.g. its interpreter is gone): broken, not absent.
    case 'missing':
      return { candidate: c, ok: false, problem: r.exec.summary, broken: true };
    case 'broken': {
      const e = r.exec;
      const firstLine = `${e.stdout}\n${e.stderr}`.trim().split('\n')[0]?.slice(0, 160) ?? '';
      return { candidate: c, ok: false, problem: e.outcome === 'exited' ? `${e.summary}: ${firstLine}` : e.summary, broken: true };
    }
  }
}

export const mpiRuntime: Check = {
  id: 'mpi.runtime',
  title: 'MPI runtime',
  area: 'mpi',
  features: ['mpi'],
  dependsOn: [],
  live: false,
  description:
    'MPI jobs need an MPI runtime that can be invoked on the node. Looks for Open MPI, MPICH, MVAPICH, Intel MPI (/opt/intel/oneapi/mpi/*/, ' +
    '/opt/intel/impi/*/) and HPC-X (/opt/hpcx*/ompi/) launchers: mpirun, mpiexec, ompi_info and mpichversion in the fixed PATH (following Debian ' +
    'alternatives symlinks) and mpirun under /opt/*. Where commands can run, each is asked for its version and the check passes when one answers; ' +
    'offline it reports what is installed and that it was not run.',
  fix: 'Install an MPI runtime (Ubuntu/Debian: openmpi-bin or mpich; RHEL: openmpi or mpich; or use an Azure HPC image, which ships HPC-X, Open MPI, MVAPICH and Intel MPI).',
  async run({ host }) {
    const family = (await osRelease(host)).family;
    let found;
    try {
      found = await findCandidates(host);
    } catch (err) {
      return unreadable(err);
    }
    const { candidates, dangling } = found;
    const evidence: Evidence = { candidates: candidates.map(shown) };
    if (dangling.length > 0) evidence.danglingLinks = dangling;
    const install = installCommand(family, { debian: 'openmpi-bin', rhel: 'openmpi', suse: 'openmpi4' });
    if (candidates.length === 0) {
      const links = dangling.length > 0 ? ` (${dangling.join(', ')} ${dangling.length > 1 ? 'are links' : 'is a link'} to nothing: a removed alternative)` : '';
      return fail(`no MPI runtime found: no mpirun, mpiexec, ompi_info or mpichversion in PATH and none under /opt${links}`, install, evidence);
    }
    if (!host.canExec) {
      const names = candidates.map((c) => `${c.guess ?? 'an MPI launcher of unknown kind'} at ${shown(c)}`);
      return pass(`found ${names.join('; ')}; not run (offline root), so versions and whether they start are not checked`, evidence);
    }
    const answers = await Promise.all(candidates.map((c) => ask(host, c)));
    evidence.answers = Object.fromEntries(answers.map((a) => [shown(a.candidate), a.ok ? a.label : a.problem]));
    const ok = answers.filter((a) => a.ok);
    if (ok.length > 0) {
      const labels = [...new Set(ok.map((a) => a.label!))];
      return pass(`${labels.join(', ')} (${ok.map((a) => shown(a.candidate)).join(', ')})`, evidence);
    }
    const problems = answers.map((a) => `${shown(a.candidate)}: ${a.problem}`).join('; ');
    if (answers.some((a) => a.broken)) return fail(`MPI is installed but does not run: ${problems}`, `Reinstall it (${install}) and run \`mpirun --version\` to see the error.`, evidence);
    return error(`could not tell whether MPI works: ${problems}`, evidence);
  },
};
