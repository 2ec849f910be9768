import { describe, expect, it } from 'vitest';
import { mpiRuntime } from '../../checks/mpi-runtime';
import { runCheck, tempTree } from '../helpers/host';

const mpi = { features: ['mpi' as const] };
const stub = (body: string) => `#!/bin/sh\n${body}\n`;

describe('mpi.runtime', () => {
  it('names Open MPI and its version, following the Debian alternatives chain', async () => {
    const r = await runCheck(mpiRuntime, 'hosts/mpi-openmpi', mpi);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('Open MPI 4.1.4 (/usr/bin/mpirun -> /usr/bin/orterun)');
    // mpiexec leads to the same binary: asked once.
    expect(r.evidence?.candidates).toEqual(['/usr/bin/mpirun -> /usr/bin/orterun']);
  });

  it('names MPICH from Hydra', async () => {
    const r = await runCheck(mpiRuntime, 'hosts/mpi-mpich', mpi);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('MPICH 4.0.2 (/usr/bin/mpirun -> /usr/bin/mpiexec.hydra)');
  });

  it('finds Intel MPI and HPC-X under /opt, once each', async () => {
    const r = await runCheck(mpiRuntime, 'hosts/mpi-intel-hpcx', mpi);
    expect(r.status).toBe('pass');
    expect(r.message).toBe(
      'Intel MPI 2021.9, HPC-X Open MPI 4.1.5rc2 (/opt/intel/oneapi/mpi/2021.9.0/bin/mpirun, /opt/hpcx-v2.16-gcc-mlnx_ofed-ubuntu22.04-cuda12-x86_64/ompi/bin/mpirun)',
    );
  });

  it('fails when MPI is missing, pointing at a dangling alternative', async () => {
    const r = await runCheck(mpiRuntime, 'hosts/mpi-none', mpi);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('no MPI runtime found: no mpirun, mpiexec, ompi_info or mpichversion in PATH and none under /opt (/usr/bin/mpirun is a link to nothing: a removed alternative)');
    expect(r.remediation).toBe('apt-get update && apt-get install -y openmpi-bin');
  });

  it('fails when the only launcher is broken (exits non-zero)', async () => {
    const root = tempTree({ 'usr/bin/orterun': stub('echo "orterun: error while loading shared libraries: libopen-rte.so.40: cannot open shared object file" >&2; exit 127') }, 'hosts/mpi-openmpi');
    const r = await runCheck(mpiRuntime, root, mpi);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^MPI is installed but does not run: \/usr\/bin\/mpirun -> \/usr\/bin\/orterun: orterun exited with code 127: orterun: error while loading shared libraries/);
  });

  it('fails when it crashes', async () => {
    const root = tempTree({ 'usr/bin/orterun': stub('kill -SEGV $$') }, 'hosts/mpi-openmpi');
    const r = await runCheck(mpiRuntime, root, mpi);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/orterun was killed by SIGSEGV/);
  });

  it.each([
    ['hangs', "trap '' TERM; sleep 30", /did not finish within 400 ms/],
    ['prints garbage', 'echo "hello"', /printed no MPI version/],
  ])('is an error when it %s', async (_what, body, detail) => {
    const root = tempTree({ 'usr/bin/orterun': stub(body) }, 'hosts/mpi-openmpi');
    const r = await runCheck(mpiRuntime, root, { ...mpi, commandTimeoutMs: 400 });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not tell whether MPI works: /);
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
    expect(r.message).toBe('found Open MPI at /usr/bin/mpirun -> /usr/bin/orterun; not run (offline root), so versions and whether they start are not checked');
  });
});
