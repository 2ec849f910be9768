import path from 'node:path';
import type { Check, Evidence, Finding } from '../src/types';
import type { Host } from '../src/host/host';
import { combine, fail, finding, pass, unreadable } from '../src/check-helpers';
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

/**
 * Where distributions and vendors install MPI outside the default PATH, and how a job puts each on
 * its PATH (`{dir}` is the directory of the mpirun found, `{root}` the installation's top).
 */
const OFF_PATH: readonly { base: string; pattern: string; rest: string; load: string }[] = [
  { base: '/usr/lib64', pattern: 'openmpi', rest: 'bin/mpirun', load: '`module load mpi/openmpi-x86_64`' },
  { base: '/usr/lib64', pattern: 'mpich', rest: 'bin/mpirun', load: '`module load mpi/mpich-x86_64`' },
  { base: '/usr/lib64', pattern: 'mvapich2*', rest: 'bin/mpirun', load: 'its module (`module avail mpi`, e.g. `module load mpi/mvapich2-x86_64`)' },
  { base: '/usr/lib/x86_64-linux-gnu', pattern: 'openmpi', rest: 'bin/mpirun', load: 'its directory on PATH (`export PATH={dir}:$PATH`; Debian ships no module for it)' },
  { base: '/opt/intel/oneapi/mpi', pattern: '*', rest: 'bin/mpirun', load: 'its environment (`source {root}/env/vars.sh`)' },
  { base: '/opt/intel/impi', pattern: '*', rest: 'intel64/bin/mpirun', load: 'its environment (`source {dir}/mpivars.sh`)' },
  { base: '/opt/intel/impi', pattern: '*', rest: 'bin64/mpirun', load: 'its environment (`source {dir}/mpivars.sh`)' },
  { base: '/opt', pattern: 'hpcx*', rest: 'ompi/bin/mpirun', load: 'its environment (`source {root}/hpcx-init.sh && hpcx_load`)' },
  { base: '/opt', pattern: '*', rest: 'bin/mpirun', load: 'its module or directory (`module load mpi/<name>`, or `export PATH={dir}:$PATH`)' },
];

interface Candidate {
  /** Path inside the root as found. */
  path: string;
  /** Where its symlinks lead (Debian alternatives: /usr/bin/mpirun -> /etc/alternatives/mpirun -> ...). */
  resolved: string;
  args: string[];
  /** Implementation guessed from the paths, before (or without) running it. */
  guess: string | null;
  /** Found in the default PATH, where a job's plain `mpirun` finds it. */
  onPath: boolean;
  /** Off PATH: how a job loads it. */
  load?: string;
  /** Why it fails the agent's trust rule for executables (src/host/exec-trust.ts): then it is never run nor recommended. */
  untrusted?: string;
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

type Found = Omit<Candidate, 'resolved' | 'guess'>;

async function findCandidates(host: Host): Promise<{ candidates: Candidate[]; dangling: string[] }> {
  // Every look-up is independent: ask them all at once rather than one after another.
  const inPath = await Promise.all(
    PATH_TOOLS.map(async ([cmd, args]) => {
      const p = await host.which(cmd);
      if (p) return { found: [{ path: p, args, onPath: true }], dangling: [] };
      // A Debian alternative whose target was removed: a link that leads nowhere.
      const links = await Promise.all(FIXED_PATH.map(async (dir) => {
        const link = path.posix.join(dir, cmd);
        return (await host.fs.readlink(link).catch(() => null)) !== null ? link : null;
      }));
      return { found: [], dangling: links.filter((l): l is string => l !== null) };
    }),
  );
  const offPath = await Promise.all(
    OFF_PATH.map(async ({ base, pattern, rest, load }): Promise<Found[]> => {
      const names = (await host.fs.listIfExists(base)).filter((n) => glob(pattern).test(n));
      const paths = names.map((name) => path.posix.join(base, name, rest));
      const executable = await Promise.all(paths.map((p) => host.fs.isExecutable(p)));
      return paths
        .filter((_, i) => executable[i])
        .map((p, i) => ({ path: p, args: ['--version'], onPath: false, load: load.replaceAll('{dir}', path.posix.dirname(p)).replaceAll('{root}', path.posix.join(base, names[i]!)) }));
    }),
  );
  const found: Found[] = [...inPath.flatMap((r) => r.found), ...offPath.flat()];
  const resolvedPaths = await Promise.all(found.map((f) => host.fs.resolve(f.path)));
  // Anyone who can change a vendor's /opt/*/bin/mpirun (or a directory above it) must not get it run as root.
  const untrusted = await Promise.all(found.map((f) => host.untrustedExecutable(f.path)));
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  found.forEach((f, i) => {
    const resolved = '/' + path.relative(host.root, resolvedPaths[i]!);
    // The same binary reached from PATH and from its own directory counts once, as on PATH (found first).
    if (seen.has(resolved)) return;
    seen.add(resolved);
    const c: Candidate = { ...f, resolved, guess: guessFamily(f.path, resolved) };
    if (untrusted[i]) c.untrusted = untrusted[i]!;
    candidates.push(c);
  });
  return { candidates, dangling: [...new Set(inPath.flatMap((r) => r.dangling))] };
}

const shown = (c: Candidate) => (c.resolved === c.path ? c.path : `${c.path} -> ${c.resolved}`);

interface Answer {
  candidate: Candidate;
  ok: boolean;
  /** "Open MPI 4.1.4" when it answered; the guess (or "MPI") offline. */
  label: string;
  problem?: string;
  /** true when the answer says it is broken (exit/crash), false when we cannot tell (timeout, garbage). */
  broken?: boolean;
}

/** An untrusted candidate is not run (here or online) and never counts as working. */
const refused = (c: Candidate): Answer => ({ candidate: c, ok: false, label: c.guess ?? 'an MPI launcher of unknown kind', problem: `not trusted, not run: ${c.untrusted}` });

async function ask(host: Host, c: Candidate): Promise<Answer> {
  const label = c.guess ?? 'an MPI launcher of unknown kind';
  if (c.untrusted) return refused(c);
  const r = await runTool(host, c.path, c.args, parseMpiVersion);
  switch (r.kind) {
    case 'ok': {
      const v = r.value;
      const name = c.guess === 'HPC-X (Open MPI)' && v.implementation === 'Open MPI' ? 'HPC-X Open MPI' : v.implementation;
      return { candidate: c, ok: true, label: `${name} ${v.version}` };
    }
    case 'unknown':
      return { candidate: c, ok: false, label, problem: r.parseError ? `printed no MPI version: ${r.parseError.message}` : r.exec.summary, broken: false };
    // Found on disk but not runnable (e.g. its interpreter is gone): broken, not absent.
    case 'missing':
      return { candidate: c, ok: false, label, problem: r.exec.summary, broken: true };
    case 'broken': {
      const e = r.exec;
      const firstLine = `${e.stdout}\n${e.stderr}`.trim().split('\n')[0]?.slice(0, 160) ?? '';
      return { candidate: c, ok: false, label, problem: e.outcome === 'exited' ? `${e.summary}: ${firstLine}` : e.summary, broken: true };
    }
  }
}

/** The fix for an MPI that works but is off PATH: a link in /usr/local/bin, which the default PATH holds. */
const linkFix = (c: Candidate) =>
  `Put it on the default PATH so that a job's plain \`mpirun\` finds it: ln -s ${c.path} /usr/local/bin/mpirun ` +
  "(or have each job load it, or set the job's multi_instance.mpi.executable_path to it)";

/** Findings for launchers that do not work: broken ones fail, unanswered ones are errors. */
function notWorking(answers: readonly Answer[], where: string, reinstall: string): Finding[] {
  const out: Finding[] = [];
  const broken = answers.filter((a) => !a.ok && a.broken);
  const unknown = answers.filter((a) => !a.ok && !a.broken && !a.candidate.untrusted);
  const list = (as: readonly Answer[]) => as.map((a) => `${shown(a.candidate)}: ${a.problem}`).join('; ');
  if (broken.length > 0) out.push(finding.fail(`MPI ${where} is installed but does not run: ${list(broken)}`, `Reinstall it (${reinstall}) and run \`mpirun --version\` to see the error.`));
  if (unknown.length > 0) out.push(finding.error(`could not tell whether MPI ${where} works: ${list(unknown)}`));
  return out;
}

export const mpiRuntime: Check = {
  id: 'mpi.runtime',
  title: 'MPI runtime',
  area: 'mpi',
  features: ['mpi'],
  dependsOn: [],
  live: false,
  description:
    "MPI jobs need an MPI runtime on the node: Singularity multi-instance MPI tasks run the host's `mpirun` (jobs.yaml " +
    'multi_instance.mpi.executable_path, `mpirun` in PATH by default). Looks for mpirun, mpiexec, ompi_info and mpichversion in the ' +
    'fixed PATH (following Debian alternatives symlinks), and for mpirun where distributions and vendors put it off PATH: ' +
    '/usr/lib64/{openmpi,mpich,mvapich2*}/bin (RHEL environment modules), /usr/lib/x86_64-linux-gnu/openmpi/bin, Intel MPI ' +
    '(/opt/intel/oneapi/mpi/*/bin, /opt/intel/impi/*/), HPC-X (/opt/hpcx*/ompi/bin) and /opt/*/bin (MVAPICH and Open MPI on Azure ' +
    'HPC images). Where commands can run, each is asked for its version. One that works on PATH passes; one that works only off ' +
    'PATH warns, naming the module or environment script to load.',
  consequence:
    'Node prep does not check MPI. fail: the pool requires mpi and no MPI runs (none installed, or the one on PATH is broken), so ' +
    "MPI tasks cannot start. warn: MPI works but is off PATH, so a job's plain `mpirun` does not find it unless the job loads it.",
  fix: 'Install an MPI runtime (Ubuntu/Debian: openmpi-bin or mpich; RHEL: openmpi or mpich; or use an Azure HPC image, which ships HPC-X, Open MPI, MVAPICH and Intel MPI), and make its mpirun reachable from the default PATH (e.g. a link in /usr/local/bin).',
  byTarget: {
    batch: {
      consequence:
        "fail: the pool requires mpi and no MPI runs (none installed, or the one on PATH is broken), so MPI tasks cannot start. warn: MPI works but is off PATH, so a task's plain `mpirun` does not find it unless the task loads it.",
    },
  },
  async run({ host }) {
    const family = (await osRelease(host)).family;
    let found;
    try {
      found = await findCandidates(host);
    } catch (err) {
      return unreadable(err);
    }
    const { candidates, dangling } = found;
    const evidence: Evidence = { candidates: candidates.map((c) => `${shown(c)}${c.onPath ? '' : ' (off PATH)'}`) };
    const distrusted = candidates.filter((c) => c.untrusted);
    if (distrusted.length > 0) evidence.untrusted = Object.fromEntries(distrusted.map((c) => [shown(c), `${c.untrusted}: not run`]));
    if (dangling.length > 0) evidence.danglingLinks = dangling;
    const install = installCommand(family, { debian: 'openmpi-bin', rhel: 'openmpi', suse: 'openmpi4' });
    if (candidates.length === 0) {
      const links = dangling.length > 0 ? ` (${dangling.join(', ')} ${dangling.length > 1 ? 'are links' : 'is a link'} to nothing: a removed alternative)` : '';
      return fail(`no MPI runtime found: no mpirun, mpiexec, ompi_info or mpichversion in PATH and none in the usual places off PATH${links}`, install, evidence);
    }
    const notRun = 'not run (offline root), so versions and whether they start are not checked';
    const answers: Answer[] = host.canExec
      ? await Promise.all(candidates.map((c) => ask(host, c)))
      : candidates.map((c) => (c.untrusted ? refused(c) : { candidate: c, ok: true, label: c.guess ?? 'an MPI launcher of unknown kind' }));
    if (host.canExec) evidence.answers = Object.fromEntries(answers.map((a) => [shown(a.candidate), a.ok ? a.label : a.problem]));
    const at = (as: readonly Answer[]) => [...new Set(as.map((a) => a.label))].join(', ') + ` (${as.map((a) => shown(a.candidate)).join(', ')})`;
    const onPath = answers.filter((a) => a.candidate.onPath);
    const offPath = answers.filter((a) => !a.candidate.onPath);
    const workingOn = onPath.filter((a) => a.ok);
    if (workingOn.length > 0) return pass(host.canExec ? at(workingOn) : `found ${at(workingOn)}; ${notRun}`, evidence);

    const problems = notWorking(onPath, 'in PATH', install);
    // Never "link it into /usr/local/bin": whoever can change it would then own every job's mpirun, and root's runs.
    if (distrusted.length > 0) {
      problems.push(
        finding.fail(
          `found ${distrusted.map((c) => `${shown(c)} (${c.untrusted})`).join('; ')}, but a user other than root can change ${distrusted.length > 1 ? 'them' : 'it'}, so ${distrusted.length > 1 ? 'they were' : 'it was'} not run and whether ${distrusted.length > 1 ? 'they work' : 'it works'} is unknown`,
          'Make the installation and every directory above it owned by root and not writable by group or others (chown -R root:root DIR; chmod -R go-w DIR), or reinstall it from its package, then run the agent again.',
        ),
      );
    }
    const workingOff = offPath.filter((a) => a.ok);
    if (workingOff.length > 0) {
      const first = workingOff[0]!.candidate;
      const loads = workingOff.map((a) => `${a.label} at ${shown(a.candidate)}: load ${a.candidate.load}`).join('; ');
      const runNote = host.canExec ? '' : ` (${notRun})`;
      problems.push(finding.warn(`MPI is installed but not in the default PATH, so a job's plain \`mpirun\` does not find it: ${loads}${runNote}`, linkFix(first)));
    } else {
      problems.push(...notWorking(offPath, 'off PATH', install));
    }
    return combine(problems, evidence, '');
  },
};
