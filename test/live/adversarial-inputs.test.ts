// Inputs that the agent runs or trusts as root, attacked by an unprivileged task user: the agent
// runs as root in the sandbox, `attacker` is a real second user there, and /shared is modelled on
// $AZ_BATCH_NODE_SHARED_DIR (mode 1777, every task user writes it). The attacker wins when root
// runs the attacker's code or commands: each attack leaves a file in /root, where only root writes.
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

/** Agent runs in the plugin swap race: the swap loop toggles the link thousands of times per run. */
const RACE_RUNS = 200;

const USERS = `
useradd -m attacker
mkdir -p /shared /opt/site && chmod 1777 /shared && chmod 755 /opt/site
`;

/** The outcome lines a scenario prints: `name rc=N stderr-first-line`. */
function outcomes(stdout: string): Record<string, { rc: number; err: string }> {
  const out: Record<string, { rc: number; err: string }> = {};
  for (const m of stdout.matchAll(/^(\S+) rc=(\d+) ?(.*)$/gm)) out[m[1]!] = { rc: Number(m[2]), err: m[3]! };
  return out;
}

// `agent NAME ARGS...`: runs the agent as root (killed after 30 s: a hang is a failure, not a stall)
// and prints its exit code and the first line of its stderr.
const AGENT = `
agent() {
  local name=$1; shift
  timeout -s KILL 30 node $BUNDLE "$@" > /tmp/$name.out 2> /tmp/$name.err
  local rc=$?
  echo "$name rc=$rc $(head -n1 /tmp/$name.err)"
}
`;

const NEEDS = { commands: { useradd: 'passwd', runuser: 'util-linux', mkfifo: 'coreutils', timeout: 'coreutils', xargs: 'findutils' } };

describeLive('inputs run or trusted as root, against an unprivileged attacker', NEEDS, () => {
  it('--checks-file: refused unless root (or the agent user) alone can change the file and every directory above it', () => {
    const r = runScenario({
      setup: `${USERS}
printf 'checks:\\n  - id: site.pwn\\n    command: { run: [touch, /root/pwned-%s] }\\n' attacker-file > /opt/site/attacker-file.yaml
install -o attacker -m 644 /opt/site/attacker-file.yaml /shared/attacker-file.yaml
mkdir -m 755 /home/attacker/site && chown attacker /home/attacker/site
printf 'checks:\\n  - id: site.pwn\\n    command: { run: [touch, /root/pwned-%s] }\\n' attacker-dir > /home/attacker/site/checks.yaml
mkdir -m 777 /srv/open
printf 'checks:\\n  - id: site.pwn\\n    command: { run: [touch, /root/pwned-%s] }\\n' open-dir > /srv/open/checks.yaml
printf 'checks:\\n  - id: site.pwn\\n    command: { run: [touch, /root/pwned-%s] }\\n' group-writable > /opt/site/group.yaml
chmod 664 /opt/site/group.yaml
# Root's own checks file in the sticky shared directory: nobody else can replace it there.
printf 'checks:\\n  - id: site.ok\\n    command: { run: ["true"] }\\n' > /shared/ours.yaml
`,
      run: `${AGENT}
agent attacker-file --checks-file /shared/attacker-file.yaml --only site.pwn --format json
agent attacker-dir --checks-file /home/attacker/site/checks.yaml --only site.pwn --format json
agent open-dir --checks-file /srv/open/checks.yaml --only site.pwn --format json
agent group-writable --checks-file /opt/site/group.yaml --only site.pwn --format json
agent ours --checks-file /shared/ours.yaml --only site.ok --format json
ls /root | grep pwned- | sed 's/^/won /'
`,
    });
    const o = outcomes(r.stdout);
    expect(r.stdout).not.toMatch(/^won /m);
    expect(o['attacker-file']).toEqual({ rc: 2, err: expect.stringMatching(/^batch-preflight: --checks-file \/shared\/attacker-file.yaml: refused: owned by uid \d+, neither root nor the user running the agent$/) });
    expect(o['attacker-dir']).toEqual({ rc: 2, err: expect.stringMatching(/^batch-preflight: --checks-file \/home\/attacker\/site\/checks.yaml: refused: directory \/home\/attacker is owned by uid \d+, neither root nor the user running the agent$/) });
    expect(o['open-dir']).toEqual({ rc: 2, err: 'batch-preflight: --checks-file /srv/open/checks.yaml: refused: directory /srv/open is writable by others (mode 777) without the sticky bit; chmod go-w /srv/open' });
    expect(o['group-writable']).toEqual({ rc: 2, err: 'batch-preflight: --checks-file /opt/site/group.yaml: refused: writable by group (mode 664); chmod go-w it' });
    expect(o.ours).toEqual({ rc: 0, err: '' });
  });

  it('--plugin: refused in a directory the attacker owns, and a module it requires is never loaded from disk', () => {
    const r = runScenario({
      setup: `${USERS}
mkdir -m 755 /home/attacker/plugin
echo "require('fs').writeFileSync('/root/pwned-plugin-dir', ''); module.exports = [];" > /home/attacker/plugin/site.cjs
chown attacker /home/attacker/plugin
echo "require('./helper.cjs'); module.exports = [];" > /opt/site/main.cjs
install -m 666 /dev/null /opt/site/helper.cjs
runuser -u attacker -- sh -c 'echo "require(\\"fs\\").writeFileSync(\\"/root/pwned-helper\\", \\"\\"); module.exports = {};" > /opt/site/helper.cjs'
`,
      run: `${AGENT}
agent plugin-dir list --format json --plugin /home/attacker/plugin/site.cjs
agent helper list --format json --plugin /opt/site/main.cjs
ls /root | grep pwned- | sed 's/^/won /'
`,
    });
    const o = outcomes(r.stdout);
    expect(r.setupOutput).toContain('setup exit 0');
    expect(r.stdout).not.toMatch(/^won /m);
    expect(o['plugin-dir']).toEqual({ rc: 2, err: expect.stringMatching(/^batch-preflight: --plugin \/home\/attacker\/plugin\/site.cjs: refused: directory \/home\/attacker is owned by uid \d+/) });
    expect(o.helper).toEqual({
      rc: 2,
      err: "batch-preflight: --plugin /opt/site/main.cjs: could not be loaded: require('./helper.cjs') refused: a plugin may require only Node's built-in modules; bundle its other dependencies into the plugin file",
    });
  });

  it(`--plugin: a link swapped between the check and the load never runs the attacker's code (${RACE_RUNS} runs)`, () => {
    const r = runScenario({
      timeoutMs: 280_000,
      setup: `${USERS}
echo "module.exports = [];" > /opt/site/good.cjs
echo "require('fs').appendFileSync('/root/won', 'x\\\\n'); module.exports = [];" > /home/attacker/evil.cjs
chown attacker /home/attacker/evil.cjs
`,
      run: `
# The attacker's loop: atomically repoints /shared/site.cjs between root's plugin and its own
# every 0.1 ms (far inside the agent's check-to-load window, and leaving the CPU to the agent).
runuser -u attacker -- node -e '
  const fs = require("fs");
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) for (const t of ["/opt/site/good.cjs", "/home/attacker/evil.cjs"]) {
    try { fs.unlinkSync("/shared/.next"); } catch {}
    fs.symlinkSync(t, "/shared/.next");
    fs.renameSync("/shared/.next", "/shared/site.cjs");
    Atomics.wait(nap, 0, 0, 0.1);
  }' &
loop=$!
for i in $(seq 1 50); do [ -L /shared/site.cjs ] && break; sleep 0.1; done
# Two agents at a time; each prints one line (one write, so lines never mix).
seq 1 ${RACE_RUNS} | xargs -P 2 -I{} sh -c 'timeout -s KILL 30 node "$0" list --format json --plugin /shared/site.cjs > /dev/null 2> /tmp/race.{}.err; echo "run rc=$? $(head -n1 /tmp/race.{}.err)"' $BUNDLE
kill $loop
echo "wins=$(cat /root/won 2>/dev/null | wc -l)"
`,
    });
    const runs = [...r.stdout.matchAll(/^run rc=(\d+) (.*)$/gm)];
    expect(runs).toHaveLength(RACE_RUNS);
    expect(r.stdout).toMatch(/^wins=0$/m);
    // Every run refused the attacker's link outright, whichever plugin it pointed at just then.
    for (const [, rc, err] of runs) {
      expect(rc).toBe('2');
      expect(err).toMatch(/^batch-preflight: --plugin \/shared\/site.cjs: refused: \/shared\/site.cjs is a symbolic link owned by uid \d+, neither root nor the user running the agent$/);
    }
  }, 300_000);

  it('--pool/--config/--checks-file: a FIFO or a link to /dev/zero planted in the shared directory is exit 2 at once', () => {
    const r = runScenario({
      setup: `${USERS}
runuser -u attacker -- mkfifo -m 666 /shared/pool.yaml
runuser -u attacker -- ln -s /dev/zero /shared/config.yaml
ln -s /shared/pool.yaml /opt/site/checks.yaml.fifo
`,
      run: `${AGENT}
start=$(date +%s%N)
agent fifo --pool /shared/pool.yaml --only sshd
agent zero --config /shared/config.yaml --only sshd
agent checks-fifo --checks-file /opt/site/checks.yaml.fifo
echo "elapsed_ms=$((($(date +%s%N) - start) / 1000000))"
`,
    });
    const o = outcomes(r.stdout);
    expect(o.fifo).toEqual({ rc: 2, err: 'batch-preflight: --pool /shared/pool.yaml: is not a regular file (a FIFO)' });
    expect(o.zero).toEqual({ rc: 2, err: 'batch-preflight: --config /shared/config.yaml: is not a regular file (a character device)' });
    // Through root's own link the checks file is the attacker's FIFO: refused before it is opened.
    expect(o['checks-fifo']).toEqual({ rc: 2, err: expect.stringMatching(/^batch-preflight: --checks-file \/opt\/site\/checks.yaml.fifo: (refused: owned by uid \d+|is not a regular file \(a FIFO\))/) });
    expect(Number(/elapsed_ms=(\d+)/.exec(r.stdout)![1])).toBeLessThan(20_000);
  });

  it("a sloppy site regex over text the attacker writes cannot hold the agent past --deadline", () => {
    const r = runScenario({
      setup: `${USERS}
printf 'checks:\\n  - id: site.status\\n    file: { path: /shared/status.txt, contains: "(a+)+$" }\\n' > /opt/site/checks.yaml
runuser -u attacker -- sh -c "printf '%060db\\n' 0 | tr 0 a > /shared/status.txt"
`,
      run: `${AGENT}
start=$(date +%s%N)
agent regex --checks-file /opt/site/checks.yaml --only site.status --format json --deadline 5
echo "elapsed_ms=$((($(date +%s%N) - start) / 1000000))"
cat /tmp/regex.out
`,
    });
    expect(outcomes(r.stdout).regex).toEqual({ rc: 1, err: '' });
    expect(Number(/elapsed_ms=(\d+)/.exec(r.stdout)![1])).toBeLessThan(10_000);
    const report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
    const c = report.checks.find((x: { id: string }) => x.id === 'site.status');
    expect(c.status).toBe('error');
    expect(c.message).toMatch(/^the pattern \/\(a\+\)\+\$\/ did not finish matching within/);
  });

  it("summarize: escape sequences in a report the attacker wrote reach the operator's terminal as text", () => {
    const r = runScenario({
      setup: `${USERS}
mkdir -p /shared/reports && chmod 1777 /shared/reports
runuser -u attacker -- node -e '
  const report = { schemaVersion: 1, tool: { name: "batch-preflight", version: "0.1.0" }, host: { hostname: "h\\u001b]0;owned\\u0007" },
    batch: { nodeId: "tvm-1\\u001b[2J" }, summary: { ok: false }, checks: [{ id: "sshd", title: "SSH", area: "network", status: "fail", message: "ok\\u001b[1A\\u009b2K  PASS  sshd" }] };
  require("fs").writeFileSync("/shared/reports/node.json", JSON.stringify(report));'
`,
      run: 'node $BUNDLE summarize /shared/reports; node $BUNDLE summarize /shared/reports --format markdown',
    });
    expect(r.setupOutput).toContain('setup exit 0');
    expect(r.stdout).toContain('ok\\x1b[1A\\x9b2K  PASS  sshd');
    expect(r.stdout).toContain('tvm-1\\x1b[2J');
    expect(r.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
  });
});
