// Faults: hung, crashing, flooding and garbage-printing tools, a hostile PATH, and signals to the
// agent itself. Each run must end within its limits with a valid report, the faulty check saying
// what happened and the other checks unaffected.
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';
import { schemaErrors } from '../helpers/schema';

/** Removes every MPI launcher the image has; the test's stub mpirun is then the only one. */
const NO_MPI = 'for n in mpirun mpiexec ompi_info mpichversion orterun mpiexec.openmpi mpirun.openmpi; do rm -f /usr/bin/$n /usr/local/bin/$n /etc/alternatives/$n; done\n[ -z "$(command -v mpirun)" ]';

function stub(body: string): string {
  return `${NO_MPI}\ncat > /usr/local/bin/mpirun <<'STUB'\n#!/bin/sh\n${body}\nSTUB\nchmod +x /usr/local/bin/mpirun\n[ "$(command -v mpirun)" = /usr/local/bin/mpirun ]`;
}

const OPEN_MPI = 'echo "mpirun (Open MPI) 4.1.4"; echo; echo "Report bugs to http://www.open-mpi.org/community/help/"';
const AGENT = 'node "$BUNDLE" --mode image --require mpi --format json --only mpi.runtime,selinux.mode,waagent.resource-disk';

interface Outcome {
  status: string;
  message: string;
}

function run(setup: string, agent = AGENT) {
  const t0 = Date.now();
  const r = runScenario({ setup, run: `s=$(date +%s%N); ${agent}; rc=$?; echo "elapsed_ms $(( ($(date +%s%N) - s) / 1000000 ))" >&2; exit $rc` });
  const elapsed = Number(/elapsed_ms (\d+)/.exec(r.stderr)?.[1] ?? Date.now() - t0);
  let report: { checks: (Outcome & { id: string })[]; deadlineExceeded: boolean; notes?: string[] };
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error(`no JSON report: status ${r.status}\n${r.stdout.slice(0, 500)}\n${r.stderr.slice(0, 2000)}\n${r.setupOutput}`);
  }
  expect(schemaErrors(report)).toBe('');
  const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  return { ...r, report, byId, elapsed };
}

describeLive('faults', {}, () => {
  it('a stub mpirun that answers makes mpi.runtime pass (the harness itself works)', () => {
    const r = run(stub(OPEN_MPI));
    expect(r.byId['mpi.runtime']!.status).toBe('pass');
    expect(r.byId['mpi.runtime']!.message).toMatch(/Open MPI 4.1.4/);
  });

  it('a command that hangs ignoring SIGTERM cannot extend the run past its timeout plus a second', () => {
    const r = run(stub("trap '' TERM; sleep 60"), `${AGENT} --timeout 2`);
    expect(r.byId['mpi.runtime']!.status).toBe('error');
    expect(r.byId['mpi.runtime']!.message).toMatch(/could not tell whether MPI works: .*did not finish within 1250 ms/);
    expect(r.byId['selinux.mode']!.status).toBe('pass');
    expect(r.elapsed).toBeLessThan(2000 + 1000 + 400);
    expect(r.status).toBe(1);
  });

  it('the run deadline ends a run whose check waits longer, with the report still written', () => {
    const r = run(stub("trap '' TERM; sleep 60"), `${AGENT} --timeout 20 --deadline 1`);
    expect(r.report.deadlineExceeded).toBe(true);
    expect(r.byId['mpi.runtime']!.message).toMatch(/deadline exceeded/);
    expect(r.byId['selinux.mode']!.status).toBe('pass');
    expect(r.elapsed).toBeLessThan(2500);
  });

  it('SIGTERM to the agent: it writes what it has and exits promptly', () => {
    const agent = `${AGENT} --timeout 20 --report /var/tmp/report.json > /var/tmp/out.json & pid=$!; sleep 1; kill -TERM $pid; wait $pid; rc=$?; cat /var/tmp/out.json; exit $rc`;
    const r = run(stub("trap '' TERM; sleep 60"), agent);
    expect(r.elapsed).toBeLessThan(2500);
    expect(r.byId['mpi.runtime']!.message).toMatch(/interrupted/);
    expect(r.report.notes?.join(' ')).toMatch(/stopped/);
    expect(r.status).toBe(1);
    expect(schemaErrors(JSON.parse(r.readWritten('/var/tmp/report.json') ?? 'null'))).toBe('');
  });

  it.each([
    ['crashes', 'kill -SEGV $$', 'fail', /killed by SIGSEGV/],
    ['prints 50 MB', "head -c 52428800 /dev/zero | tr '\\0' x", 'error', /printed no MPI version/],
    ['prints binary garbage', 'head -c 4096 /dev/urandom', 'error', /printed no MPI version/],
    ['prints invalid UTF-8', "printf '\\377\\376\\200 nope\\n'", 'error', /printed no MPI version/],
    ['exits non-zero', 'echo "mpirun: error while loading shared libraries: libopen-rte.so.40" >&2; exit 127', 'fail', /does not run: .*libopen-rte/],
  ])('a tool that %s: the check says so, the others are unaffected', (_name, body, status, message) => {
    const r = run(stub(body));
    expect(r.byId['mpi.runtime']!.status).toBe(status);
    expect(r.byId['mpi.runtime']!.message).toMatch(message);
    expect(r.byId['selinux.mode']!.status).toBe('pass');
    expect(r.elapsed).toBeLessThan(5000);
  });

  it('a missing tool is "not installed", never a pass', () => {
    const r = run(NO_MPI);
    expect(r.byId['mpi.runtime']!.status).toBe('fail');
    expect(r.byId['mpi.runtime']!.message).toMatch(/^no MPI runtime found/);
  });

  it('a hostile PATH changes nothing: commands come from the fixed PATH only', () => {
    const setup = `${stub(OPEN_MPI)}\nmkdir -p /evil && printf '#!/bin/sh\\ntouch /evil/ran\\necho "mpirun (Open MPI) 9.9.9"\\n' > /evil/mpirun && chmod +x /evil/mpirun`;
    const r = run(setup, `PATH=/evil:$PATH ${AGENT}; test ! -e /evil/ran`);
    expect(r.byId['mpi.runtime']!.status).toBe('pass');
    expect(r.status).toBe(0);
  });
});
