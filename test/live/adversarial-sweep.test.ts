// The end-of-run sweep for processes that left the agent's process groups (escapees.ts), attacked by
// an unprivileged task user who forks thousands of processes with large environments while the
// agent runs: before the sweep was bounded it read every one of those environments, so that a
// `--deadline 3` run went on for seconds past its deadline, and SIGTERM waited for it. The agent
// runs as root in the sandbox, `attacker` is a real second user there.
import { expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

const NEEDS = { commands: { useradd: 'passwd', runuser: 'util-linux', timeout: 'coreutils', bash: 'bash', pgrep: 'procps' } };

/** Processes the attacker forks, each with 2 × 120 kB of environment. */
const FORKS = 2500;
/** How many must run before the agent's sweep: the attack has then been placed. */
const PLACED = 1500;

// A site check that sleeps keeps the agent busy until its deadline. The attacker forks once the agent has started
// (so that its processes are younger than the agent: the ones whose environments a sweep reads),
// and `placed` waits until PLACED of them run.
const SETUP = `
useradd -m attacker
mkdir -p /opt/site
printf 'checks:\\n  - id: site.slow\\n    command: { run: [sleep, "30"] }\\n' > /opt/site/checks.yaml
`;
const RUN = `
now() { echo $(($(date +%s%N) / 1000000)); }
logged() { grep "$1" /tmp/run.err | grep -o '"time":[0-9]*' | sed "s/.time.:/$2=/"; }
agent() {
  timeout -s KILL 60 node $BUNDLE --checks-file /opt/site/checks.yaml --format json --log-level info "$@" > /tmp/run.json 2> /tmp/run.err &
  AGENT=$!
  for i in $(seq 1 200); do grep -q '"msg":"run starting"' /tmp/run.err 2>/dev/null && break; sleep 0.05; done
}
attack() {
  runuser -u attacker -- bash -c 'big=$(head -c 120000 /dev/zero | tr "\\\\0" x); export BIG1=$big BIG2=$big; for i in $(seq 1 ${FORKS}); do sleep 300 & done; wait' &
  for i in $(seq 1 400); do [ "$(pgrep -u attacker -c sleep)" -ge ${PLACED} ] && break; sleep 0.05; done
  echo "placed=$(now) forked=$(pgrep -u attacker -c sleep)"
}
# The agent's own log says when it started and when it finished (after the sweep, before it exits).
finished() {
  wait $AGENT
  echo "rc=$?"
  logged "run starting" start
  logged "run finished" end
  grep -o '"deadlineExceeded": *[a-z]*' /tmp/run.json | tr -d ' "' | sed 's/:/=/'
}
`;

const field = (out: string, name: string): number => {
  const m = new RegExp(`\\b${name}=(\\d+)`).exec(out);
  expect(m, `${name}= in:\n${out}`).not.toBeNull();
  return Number(m![1]);
};

describeLive('the end-of-run sweep, against an attacker who forks processes with large environments', NEEDS, () => {
  it(`a --deadline 12 run ends near 12 s after it started, with ${PLACED}+ such processes forked during it`, () => {
    const r = runScenario({
      timeoutMs: 120_000,
      setup: SETUP,
      run: `${RUN}
agent --deadline 12 --timeout 30
attack
finished
`,
    });
    const start = field(r.stdout, 'start');
    expect(field(r.stdout, 'forked')).toBeGreaterThanOrEqual(PLACED);
    // The checks ran until the deadline, and the attack was in place before it, so before the sweep.
    expect(r.stdout).toMatch(/^deadlineExceeded=true$/m);
    expect(field(r.stdout, 'placed') - start).toBeLessThan(12_000);
    expect(field(r.stdout, 'rc')).toBe(1);
    // 12 s of checks, then a sweep that skips another user's processes and stops at its bound.
    expect(field(r.stdout, 'end') - start).toBeLessThan(12_000 + 1000);
  });

  // timeout(1) passes the SIGTERM it gets on to the agent.
  it('SIGTERM during a run with such processes ends the agent within 1 s', () => {
    const r = runScenario({
      timeoutMs: 120_000,
      setup: SETUP,
      run: `${RUN}
agent --deadline 60
attack
echo "term=$(now)"
kill -TERM $AGENT || echo "no agent to stop"
finished
`,
    });
    expect(r.stdout).not.toContain('no agent to stop');
    expect(field(r.stdout, 'forked')).toBeGreaterThanOrEqual(PLACED);
    expect(field(r.stdout, 'end') - field(r.stdout, 'term')).toBeLessThan(1000);
  });
});
