// Offline mode (--root DIR) on an image tree that an unprivileged task user can write, attacked by
// that user: the agent runs as root in the sandbox, `attacker` is a real second user there and owns
// the whole image tree. The attacker wins when a file outside the root decides what the agent says.
// (That a parse error never quotes the file it read is test/parsers/errors-say-where.test.ts.)
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

/** Agent runs in the swap race; the version before fd-held resolution lost about 1 in 10 of these. */
const RACE_RUNS = 200;

const NEEDS = { commands: { useradd: 'passwd', runuser: 'util-linux', timeout: 'coreutils', xargs: 'findutils' } };

const IMAGE = `
useradd -m attacker
mkdir -p /srv/image/etc/site /opt/site
echo benign > /srv/image/etc/site/status.txt
# A root-only directory outside the image, with a file of the name the agent reads.
mkdir -m 700 /root/vault && echo ROOTONLY-outside > /root/vault/status.txt && chmod 600 /root/vault/status.txt
printf 'checks:\\n  - id: site.status\\n    file: { path: /etc/site/status.txt, contains: "ROOT[O]NLY-outside" }\\n' > /opt/site/checks.yaml
chown -R attacker /srv/image
`;

describeLive('offline reads (--root) of a tree the attacker writes', NEEDS, () => {
  it(`a directory swapped for a link out of the root never makes the agent read outside it (${RACE_RUNS} runs)`, () => {
    const r = runScenario({
      timeoutMs: 280_000,
      setup: IMAGE,
      run: `
# The attacker's loop: /srv/image/etc/site is a directory, then a link to /root/vault, and back, every
# 0.1 ms. Resolved inside the root the link names /srv/image/root/vault (absent); followed by the
# kernel it names /root/vault/status.txt, whose content makes the site check pass.
runuser -u attacker -- node -e '
  const fs = require("fs");
  process.chdir("/srv/image/etc");
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      fs.renameSync("site", "site.d");
      fs.symlinkSync("/root/vault", "site");
      Atomics.wait(nap, 0, 0, 0.1);
      fs.unlinkSync("site");
      fs.renameSync("site.d", "site");
      Atomics.wait(nap, 0, 0, 0.1);
    } catch {}
  }' &
loop=$!
for i in $(seq 1 50); do [ -L /srv/image/etc/site ] && break; sleep 0.1; done
# Two agents at a time; each prints one line (one write, so lines never mix).
seq 1 ${RACE_RUNS} | xargs -P 2 -I{} sh -c 'timeout -s KILL 30 node "$0" --root /srv/image --checks-file /opt/site/checks.yaml --only site.status --format json > /tmp/race.{}.json 2>/dev/null; echo "run rc=$? $(grep -c ROOTONLY-outside /tmp/race.{}.json)"' $BUNDLE
kill $loop
`,
    });
    const runs = [...r.stdout.matchAll(/^run rc=(\d+) (\d+)/gm)];
    expect(runs, r.stderr).toHaveLength(RACE_RUNS);
    // The check's pattern is written ROOT[O]NLY, so the text ROOTONLY-outside is in a report only when
    // the check matched the file under /root/vault: never.
    const wins = runs.filter(([, , n]) => n !== '0').length;
    expect(wins).toBe(0);
    // Each run ended (pass is impossible; fail when it read the image's file, error when it was missing).
    for (const [, rc] of runs) expect(rc).toBe('1');
  });
});
