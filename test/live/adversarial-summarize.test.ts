// `summarize` run as root over a directory every task user can write (modelled on the 1777 Batch
// shared directory), attacked by a real `attacker` user in the sandbox: links planted at report
// names must not be followed, no error may quote a file's bytes, and a link must not tell whether
// a root-only file exists (SECURITY.md, "Reading reports as root").
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

const SETUP = [
  'useradd -m attacker',
  'mkdir -m 1777 /shared',
  "echo 'TOPSECRET-1234' > /root/secret.json && chmod 600 /root/secret.json",
  `runuser -u attacker -- bash -c 'mkdir /shared/reports && cd /shared/reports && ln -s /root/secret.json n1.json && ln -s /root/none.json n2.json && mkfifo n3.json && ln -s /root n4'`,
].join('\n');

describeLive('summarize as root over a directory task users write', { commands: { useradd: 'passwd', runuser: 'util-linux', mkfifo: 'coreutils', timeout: 'coreutils' } }, () => {
  it('links to a root-only file (or to nothing) are refused alike, and the secret is never quoted', () => {
    const r = runScenario({
      setup: SETUP,
      run: [
        'timeout -s KILL 30 node "$BUNDLE" summarize /shared/reports --format json > /var/tmp/s.json; echo "rc=$?"',
        'timeout -s KILL 30 node "$BUNDLE" summarize /shared/reports/n1.json --format human; echo "direct=$?"',
        `node -e 'for (const p of JSON.parse(require("fs").readFileSync("/var/tmp/s.json", "utf8")).problems) console.log("problem " + p.source + ": " + p.reason)'`,
        'cat /var/tmp/s.json',
      ].join('\n'),
    });
    expect(r.stdout).toMatch(/^rc=1$/m);
    expect(r.stdout).not.toContain('TOPSECRET');
    expect(r.stdout).toMatch(/^problem \/shared\/reports\/n1\.json: is a symbolic link \(not followed\)$/m);
    expect(r.stdout).toMatch(/^problem \/shared\/reports\/n2\.json: is a symbolic link \(not followed\)$/m);
    expect(r.stdout).toMatch(/^problem \/shared\/reports\/n3\.json: not a regular file$/m);
    expect(r.stdout).toMatch(/\/shared\/reports\/n1\.json: is a symbolic link \(not followed\)/);
    expect(r.stdout).toMatch(/^direct=1$/m);
    expect(r.stdout).not.toMatch(/\/shared\/reports\/n4/);
  });
});
