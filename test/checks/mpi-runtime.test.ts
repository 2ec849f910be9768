import { describe, expect, it } from 'vitest';
import { mpiRuntime } from '../../checks/mpi-runtime';
import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { runCheck, tempTree } from '../helpers/host';

const mpi = { features: ['mpi' as const] };
const stub = (body: string) => `#!/bin/sh\n${body}\n`;
const OMPI = 'echo "mpirun (Open MPI) 4.1.1"; echo; echo "Report bugs to https://www.open-mpi.org/community/help/"';
const HYDRA = 'echo "HYDRA build details:"; echo "    Version:                                 4.1.1"';
/** A launcher as the real ones behave: the banner for --version; without a program to run, an error and a non-zero exit. */
const launcher = (banner: string) => `[ "$1" = --version ] || { echo "$(basename "$0") could not find anything to do" >&2; exit 1; }\n${banner}`;
/** ompi_info: `--version` prints the banner; without arguments it prints every build parameter, no banner. */
const OMPI_INFO = [
  'if [ "$1" = --version ]; then printf \'Open MPI v4.1.4\\n\\nhttp://www.open-mpi.org/community/help/\\n\'; exit 0; fi',
  "printf '                 Package: Debian OpenMPI\\n                Open MPI: 4.1.4\\n  Open MPI repo revision: v4.1.4\\n'",
].join('\n');
/** mpichversion: every field without arguments, only the version for --version, exit 1 on an argument it does not know. */
const MPICHVERSION = [
  'if [ $# -eq 0 ]; then printf \'MPICH Version:    \\t4.0.2\\nMPICH Release date:\\tThu Apr  7 12:34:45 CDT 2022\\nMPICH Device:    \\tch4:ofi\\n\'; exit 0; fi',
  'for a; do case "$a" in -version|--version|-v) ;; *) echo "Unrecognized argument $a" >&2; exit 1 ;; esac; done',
  "printf 'MPICH Version:    \\t4.0.2\\n'",
].join('\n');

describe('mpi.runtime', () => {
  it('names Open MPI and its version, following the Debian alternatives chain', async () => {
    const r = await runCheck(mpiRuntime, 'hosts/mpi-openmpi', mpi);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('Open MPI 4.1.4 (/usr/bin/mpirun -> /usr/bin/orterun)');
    // mpiexec leads to the same binary: asked once.
    expect(r.evidence?.candidates).toEqual(['/usr/bin/mpirun -> /usr/bin/orterun']);
    expect(r.evidence).not.toHaveProperty('danglingLinks');
  });

  it.each([
    ['mpiexec', launcher(HYDRA), 'MPICH 4.1.1'],
    ['ompi_info', OMPI_INFO, 'Open MPI 4.1.4'],
    ['mpichversion', MPICHVERSION, 'MPICH 4.0.2'],
  ])('asks %s, alone in PATH, for its version with the argument it answers', async (tool, body, version) => {
    const root = tempTree({ [`usr/bin/${tool}`]: stub(body) }, 'hosts/mpi-none');
    rmSync(path.join(root, 'usr/bin/mpirun'));
    const r = await runCheck(mpiRuntime, root, mpi);
    expect(r.status, r.message).toBe('pass');
    expect(r.message).toBe(`${version} (/usr/bin/${tool})`);
  });

  it('names MPICH from Hydra', async () => {
    const r = await runCheck(mpiRuntime, 'hosts/mpi-mpich', mpi);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('MPICH 4.0.2 (/usr/bin/mpirun -> /usr/bin/mpiexec.hydra)');
  });

  it('finds Intel MPI and HPC-X under /opt, once each: off PATH, so it warns naming how to load each', async () => {
    const r = await runCheck(mpiRuntime, 'hosts/mpi-intel-hpcx', mpi);
    expect(r.status).toBe('warn');
    expect(r.message).toBe(
      "MPI is installed but not in the default PATH, so a job's plain `mpirun` does not find it: " +
        'Intel MPI 2021.9 at /opt/intel/oneapi/mpi/2021.9.0/bin/mpirun: load its environment (`source /opt/intel/oneapi/mpi/2021.9.0/env/vars.sh`); ' +
        'HPC-X Open MPI 4.1.5rc2 at /opt/hpcx-v2.16-gcc-mlnx_ofed-ubuntu22.04-cuda12-x86_64/ompi/bin/mpirun: load its environment ' +
        '(`source /opt/hpcx-v2.16-gcc-mlnx_ofed-ubuntu22.04-cuda12-x86_64/hpcx-init.sh && hpcx_load`)',
    );
    expect(r.remediation).toMatch(/^Put it on the default PATH .*: ln -s \/opt\/intel\/oneapi\/mpi\/2021\.9\.0\/bin\/mpirun \/usr\/local\/bin\/mpirun /);
  });

  it.each([
    ['RHEL Open MPI', 'usr/lib64/openmpi/bin/mpirun', OMPI, /Open MPI 4\.1\.1 at \/usr\/lib64\/openmpi\/bin\/mpirun: load `module load mpi\/openmpi-x86_64`/],
    ['RHEL MPICH', 'usr/lib64/mpich/bin/mpirun', HYDRA, /MPICH 4\.1\.1 at \/usr\/lib64\/mpich\/bin\/mpirun: load `module load mpi\/mpich-x86_64`/],
    ['RHEL MVAPICH', 'usr/lib64/mvapich2/bin/mpirun', HYDRA, /at \/usr\/lib64\/mvapich2\/bin\/mpirun: load its module \(`module avail mpi`/],
    ['Debian Open MPI', 'usr/lib/x86_64-linux-gnu/openmpi/bin/mpirun', OMPI, /Open MPI 4\.1\.1 at \/usr\/lib\/x86_64-linux-gnu\/openmpi\/bin\/mpirun: load its directory on PATH/],
    ['MVAPICH on an Azure HPC image', 'opt/mvapich2-2.3.7/bin/mpirun', HYDRA, /at \/opt\/mvapich2-2\.3\.7\/bin\/mpirun: load its module or directory/],
  ])('%s off PATH warns naming what to load, and the printed fix makes it pass', async (_what, where, version, load) => {
    const root = tempTree({ '/etc/os-release': 'ID=rocky\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n', [where]: stub(launcher(version)) });
    const r = await runCheck(mpiRuntime, root, mpi);
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(load);
    // Apply the printed fix to the tree, then ask again.
    const [, target, link] = /ln -s (\S+) (\S+)/.exec(r.remediation!)!;
    expect(target).toBe('/' + where);
    mkdirSync(path.join(root, path.dirname(link!)), { recursive: true });
    symlinkSync(target!, path.join(root, link!));
    const fixed = await runCheck(mpiRuntime, root, mpi);
    expect(fixed.status, fixed.message).toBe('pass');
    expect(fixed.message).toContain(`/usr/local/bin/mpirun -> /${where}`);
  });

  it('a working MPI in PATH passes even when others are off PATH; a broken one in PATH fails though another works off PATH', async () => {
    const both = tempTree({ 'usr/lib64/mpich/bin/mpirun': stub(HYDRA) }, 'hosts/mpi-openmpi');
    expect((await runCheck(mpiRuntime, both, mpi)).status).toBe('pass');
    const broken = tempTree({ 'usr/lib64/mpich/bin/mpirun': stub(HYDRA), 'usr/bin/orterun': stub('exit 127') }, 'hosts/mpi-openmpi');
    const r = await runCheck(mpiRuntime, broken, mpi);
    expect(r.status).toBe('fail');
    expect(r.findings?.map((f) => f.status)).toEqual(['fail', 'warn']);
  });

  it('fails when the only MPI is off PATH and broken: neither a warning to load it nor a pass', async () => {
    const root = tempTree({
      '/etc/os-release': 'ID=rocky\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n',
      'usr/lib64/openmpi/bin/mpirun': stub('echo "mpirun: error while loading shared libraries: libopen-rte.so.40: cannot open shared object file" >&2; exit 127'),
    });
    const r = await runCheck(mpiRuntime, root, mpi);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('MPI off PATH is installed but does not run: /usr/lib64/openmpi/bin/mpirun: mpirun exited with code 127: mpirun: error while loading shared libraries: libopen-rte.so.40: cannot open shared object file');
    expect(r.findings).toHaveLength(1);
    expect(r.remediation).toMatch(/^Reinstall it \(/);
  });

  // The agent runs as root: a vendor MPI under /opt that another user can change is never run, nor
  // recommended for linking into PATH (SECURITY.md, "What the agent runs").
  it.each([
    ['its directory is writable by others', 'opt/vendor/bin', 0o777, /directory \/.*\/opt\/vendor\/bin is writable by others \(mode 777\) without the sticky bit/],
    ['the file is writable by group', 'opt/vendor/bin/mpirun', 0o775, /\/opt\/vendor\/bin\/mpirun is writable by group \(mode 775\)/],
  ])('an MPI off PATH whose %s is reported as untrusted, not run and not recommended', async (_what, target, mode, why) => {
    const root = tempTree({ 'opt/vendor/bin/mpirun': stub(`touch "$(dirname "$0")/ran"; ${OMPI}`) }, 'hosts/mpi-none');
    rmSync(path.join(root, 'usr/bin/mpirun'));
    chmodSync(path.join(root, target), mode);
    for (const opts of [mpi, { ...mpi, live: false, canExec: false }]) {
      const r = await runCheck(mpiRuntime, root, opts);
      expect(r.status, r.message).toBe('fail');
      expect(r.message).toMatch(/^found \/opt\/vendor\/bin\/mpirun \(.*\), but a user other than root can change it, so it was not run/);
      expect(r.message).toMatch(why);
      expect(r.remediation).toMatch(/owned by root and not writable by group or others/);
      expect(r.remediation).not.toMatch(/ln -s|\/usr\/local\/bin/);
      expect(existsSync(path.join(root, 'opt/vendor/bin/ran'))).toBe(false);
    }
  });

  // Offline the paths are all there is to name an MPI by.
  it.each([
    ['opt/intel/oneapi/mpi/2021.9.0/bin/mpirun', 'Intel MPI'],
    ['opt/hpcx-v2.16-gcc-mlnx_ofed-ubuntu22.04-cuda12-x86_64/ompi/bin/mpirun', 'HPC-X (Open MPI)'],
    ['usr/lib64/mvapich2/bin/mpirun', 'MVAPICH'],
    ['usr/lib64/openmpi/bin/mpirun', 'Open MPI'],
    ['usr/lib64/mpich/bin/mpirun', 'MPICH'],
    ['opt/ibm/platform_mpi/bin/mpirun', 'an MPI launcher of unknown kind'],
  ])('offline, names /%s linked into PATH as %s', async (where, kind) => {
    const root = tempTree({ [where]: stub('exit 0'), 'usr/local/bin/mpirun': { link: `/${where}` } }, 'hosts/mpi-none');
    rmSync(path.join(root, 'usr/bin/mpirun'));
    const r = await runCheck(mpiRuntime, root, { ...mpi, live: false, canExec: false });
    expect(r.status).toBe('pass');
    expect(r.message).toBe(`found ${kind} (/usr/local/bin/mpirun -> /${where}); not run (offline root), so versions and whether they start are not checked`);
  });

  it('offline, MPI found only off PATH warns and says it was not run', async () => {
    const r = await runCheck(mpiRuntime, 'hosts/mpi-intel-hpcx', { ...mpi, live: false, canExec: false });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/not in the default PATH.*not run \(offline root\)/);
  });

  it('fails when MPI is missing, pointing at a dangling alternative', async () => {
    const r = await runCheck(mpiRuntime, 'hosts/mpi-none', mpi);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('no MPI runtime found: no mpirun, mpiexec, ompi_info or mpichversion in PATH and none in the usual places off PATH (/usr/bin/mpirun is a link to nothing: a removed alternative)');
    expect(r.remediation).toBe('apt-get update && apt-get install -y openmpi-bin');
    expect(r.evidence?.danglingLinks).toEqual(['/usr/bin/mpirun']);
  });

  it('fails when MPI is missing, naming every dangling alternative, or none', async () => {
    const two = tempTree({ 'usr/bin/mpiexec': { link: '/etc/alternatives/mpiexec' } }, 'hosts/mpi-none');
    const r = await runCheck(mpiRuntime, two, mpi);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/ \(\/usr\/bin\/mpirun, \/usr\/bin\/mpiexec are links to nothing: a removed alternative\)$/);
    const none = tempTree({}, 'hosts/mpi-none');
    rmSync(path.join(none, 'usr/bin/mpirun'));
    const n = await runCheck(mpiRuntime, none, mpi);
    expect(n.status).toBe('fail');
    expect(n.message).toBe('no MPI runtime found: no mpirun, mpiexec, ompi_info or mpichversion in PATH and none in the usual places off PATH');
    expect(n.evidence).not.toHaveProperty('danglingLinks');
  });

  it('is an error, not a verdict, when a place MPI is looked for cannot be read', async () => {
    const root = tempTree({ opt: { link: '/opt' } }, 'hosts/mpi-none');
    const r = await runCheck(mpiRuntime, root, mpi);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read \/opt.*too many levels of symbolic links/);
  });

  it('fails when the only launcher is broken (exits non-zero)', async () => {
    const root = tempTree({ 'usr/bin/orterun': stub('echo "orterun: error while loading shared libraries: libopen-rte.so.40: cannot open shared object file" >&2; exit 127') }, 'hosts/mpi-openmpi');
    const r = await runCheck(mpiRuntime, root, mpi);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^MPI in PATH is installed but does not run: \/usr\/bin\/mpirun -> \/usr\/bin\/orterun: orterun exited with code 127: orterun: error while loading shared libraries/);
    // Reported once, as in PATH: it is not also an MPI off PATH.
    expect(r.findings).toHaveLength(1);
  });

  it('fails when the launcher is there but cannot be started (its interpreter is gone)', async () => {
    const root = tempTree({ 'usr/bin/orterun': '#!/usr/lib/openmpi/no-such-interpreter\n' }, 'hosts/mpi-openmpi');
    const r = await runCheck(mpiRuntime, root, mpi);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('MPI in PATH is installed but does not run: /usr/bin/mpirun -> /usr/bin/orterun: orterun: not found');
  });

  it('shows a broken launcher\'s first output line, cut to 160 characters', async () => {
    const root = tempTree({ 'usr/bin/orterun': stub(`echo "${'x'.repeat(400)}" >&2; echo "second line" >&2; exit 2`) }, 'hosts/mpi-openmpi');
    const r = await runCheck(mpiRuntime, root, mpi);
    expect(r.status).toBe('fail');
    expect(r.message).toBe(`MPI in PATH is installed but does not run: /usr/bin/mpirun -> /usr/bin/orterun: orterun exited with code 2: ${'x'.repeat(160)}`);
  });

  it('fails when it crashes', async () => {
    const root = tempTree({ 'usr/bin/orterun': stub('kill -SEGV $$') }, 'hosts/mpi-openmpi');
    const r = await runCheck(mpiRuntime, root, mpi);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/: orterun was killed by SIGSEGV$/);
  });

  it.each([
    ['hangs', "trap '' TERM; sleep 30", /did not finish within 400 ms/],
    ['prints garbage', 'echo "hello"', /printed no MPI version/],
  ])('is an error when it %s', async (_what, body, detail) => {
    const root = tempTree({ 'usr/bin/orterun': stub(body) }, 'hosts/mpi-openmpi');
    const r = await runCheck(mpiRuntime, root, { ...mpi, commandTimeoutMs: 400 });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not tell whether MPI in PATH works: /);
    expect(r.message).toMatch(detail);
  });

  it('passes when one of several runtimes answers, recording the broken one', async () => {
    const root = tempTree({ 'opt/intel/oneapi/mpi/2021.9.0/bin/mpirun': stub('exit 3') }, 'hosts/mpi-openmpi');
    const r = await runCheck(mpiRuntime, root, mpi);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('Open MPI 4.1.4 (/usr/bin/mpirun -> /usr/bin/orterun)');
    expect(r.evidence?.answers).toMatchObject({ '/opt/intel/oneapi/mpi/2021.9.0/bin/mpirun': 'mpirun exited with code 3: ' });
  });

  it('offline: reports what is installed and that it was not run', async () => {
    const r = await runCheck(mpiRuntime, 'hosts/mpi-openmpi', { ...mpi, live: false, canExec: false });
    expect(r.status).toBe('pass');
    expect(r.message).toBe('found Open MPI (/usr/bin/mpirun -> /usr/bin/orterun); not run (offline root), so versions and whether they start are not checked');
    expect(r.evidence).not.toHaveProperty('answers');
  });
});
