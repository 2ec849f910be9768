// What the agent runs as root, attacked by an unprivileged task user (a real `attacker` in the
// sandbox): an executable the attacker can change, found off PATH where vendors install MPI
// (/opt/*/bin) or reached from the fixed PATH through a link into the attacker's files, must be
// reported as untrusted, never run, and never recommended for linking into PATH (SECURITY.md,
// "What the agent runs"). The attacker wins when root runs the stub: it leaves a file in /root.
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

const NO_MPI = 'for n in mpirun mpiexec ompi_info mpichversion orterun mpiexec.openmpi mpirun.openmpi; do rm -f /usr/bin/$n /usr/local/bin/$n /etc/alternatives/$n; done';
/** The attacker's mpirun: answers like Open MPI (so a run looks like a working MPI) after marking that root ran it. */
const stub = (marker: string) => `printf '#!/bin/sh\\ntouch /root/${marker} 2>/dev/null\\necho "mpirun (Open MPI) 4.1.4"\\n' > MPIRUN && chmod 755 MPIRUN`;
const RUN = [
  'node "$BUNDLE" --mode image --require mpi --only mpi.runtime --format json > /var/tmp/r.json; echo "rc=$?"',
  'ls /root | grep pwned | sed "s/^/ran-as-root: /"',
  `node -e 'const c = JSON.parse(require("fs").readFileSync("/var/tmp/r.json", "utf8")).checks.find((x) => x.id === "mpi.runtime"); console.log("status=" + c.status); console.log("message=" + c.message); console.log("fix=" + (c.remediation ?? ""))'`,
].join('\n');

describeLive('what the agent runs as root, against an unprivileged attacker', { commands: { useradd: 'passwd', runuser: 'util-linux' } }, () => {
  it('a vendor MPI under /opt/*/bin that the attacker owns is reported as untrusted, not run, and not recommended for /usr/local/bin', () => {
    const r = runScenario({
      setup: [NO_MPI, 'useradd -m attacker', 'mkdir -p /opt/vendor/bin && chown -R attacker /opt/vendor', `runuser -u attacker -- bash -c ${JSON.stringify(stub('pwned-vendor').replaceAll('MPIRUN', '/opt/vendor/bin/mpirun'))}`].join('\n'),
      run: RUN,
    });
    expect(r.stdout).toMatch(/^rc=1$/m);
    expect(r.stdout).not.toMatch(/ran-as-root:/);
    expect(r.stdout).toMatch(/^status=fail$/m);
    expect(r.stdout).toMatch(/^message=found \/opt\/vendor\/bin\/mpirun \(directory \/opt\/vendor is owned by uid \d+, neither root nor the user running the agent\), but a user other than root can change it, so it was not run/m);
    expect(r.stdout).not.toMatch(/^fix=.*(ln -s|\/usr\/local\/bin)/m);
  });

  it('a command in the fixed PATH that links into a file the attacker owns is not run', () => {
    const r = runScenario({
      setup: [NO_MPI, 'useradd -m attacker', `runuser -u attacker -- bash -c ${JSON.stringify(stub('pwned-path').replaceAll('MPIRUN', '/home/attacker/mpirun'))}`, 'ln -s /home/attacker/mpirun /usr/local/bin/mpirun'].join('\n'),
      run: RUN,
    });
    expect(r.stdout).not.toMatch(/ran-as-root:/);
    expect(r.stdout).toMatch(/^status=fail$/m);
    expect(r.stdout).toMatch(/^message=found \/usr\/local\/bin\/mpirun -> \/home\/attacker\/mpirun \(directory \/home\/attacker is owned by uid \d+, neither root nor the user running the agent\)/m);
  });

  it('control: the same stub owned by root in root\'s directories is run (so the tests above can see a run)', () => {
    const r = runScenario({
      setup: [NO_MPI, 'mkdir -p /opt/vendor/bin', stub('pwned-control').replaceAll('MPIRUN', '/opt/vendor/bin/mpirun')].join('\n'),
      run: RUN,
    });
    expect(r.stdout).toMatch(/^ran-as-root: pwned-control$/m);
    expect(r.stdout).toMatch(/^status=warn$/m);
  });
});
