// The agent runs as root where every task user can write $AZ_BATCH_NODE_SHARED_DIR. These scenarios
// play such a user (a real `attacker` account in the sandbox) against what the agent writes and the
// environment it inherits: planted symlinks and FIFOs, predictable temp names, a swap loop, umask 0,
// a hostile PATH and LD_PRELOAD, NODE_OPTIONS, a remote metadata URL, and a tool whose child escapes
// its process group. See SECURITY.md for the rules each one proves.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

const SHARED = '/mnt/batch/tasks/shared';
const REPORT_DIR = `${SHARED}/batch-preflight`;
const START_TASK_ENV = `export AZ_BATCH_NODE_ID=tvm-1 AZ_BATCH_POOL_ID=pool AZ_BATCH_NODE_SHARED_DIR=${SHARED} AZ_BATCH_TASK_WORKING_DIR=/mnt/batch/tasks/startup/wd`;
/** One quick check keeps each run short; what is under test is what the agent writes. */
const AGENT = 'node "$BUNDLE" --no-color --only selinux.mode';
const ROOT_FILES = 'echo "root-owned original" > /etc/victim; mkdir -p /etc/victim.d';

/** A node whose shared directory every task user can write (`mode` 1777 as Batch has it, or a careless 0777). */
function node(mode: string, attackerSetup = ''): string {
  return [
    `mkdir -p ${SHARED} /mnt/batch/tasks/startup/wd && chmod ${mode} ${SHARED}`,
    'useradd -m attacker',
    ROOT_FILES,
    attackerSetup && `runuser -u attacker -- bash -c ${JSON.stringify(attackerSetup)}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** The start task's verdict line on stderr, which comes before a refusal. */
const VERDICT = 'batch-preflight: (NOT )?READY.* \\(report: not written\\)';

/** The files the run wrote outside the places it may write. */
const strayWrites = (written: string[], allowed: RegExp) => written.filter((f) => !allowed.test(f));

describeLive('adversarial: what the agent writes as root', { commands: { useradd: 'passwd', runuser: 'util-linux' } }, () => {
  // In a sticky shared directory owned by root nobody can rename root's folder away: the report stays there.
  describe('start-task report directory in a shared dir with mode 1777', () => {
    const mode = '1777';
    it.each([
      ['a symlink to a root directory', `ln -s /etc/victim.d ${REPORT_DIR}`, /is a symbolic link/],
      ['a directory the attacker owns', `mkdir -m 0755 ${REPORT_DIR}`, /is owned by uid \d+, not by root/],
      ['a file', `echo x > ${REPORT_DIR}`, /is not a directory/],
    ])('planted as %s: refused with exit 2 and one line, the human report still on stdout', (_what, plant, why) => {
      const r = runScenario({ setup: node(mode, plant), run: `${START_TASK_ENV}\n${AGENT}` });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^${VERDICT}\\nbatch-preflight: ${REPORT_DIR}: ${why.source}.*\\n$`));
      expect(r.stdout).toMatch(/selinux\.mode/);
      expect(r.stdout).toMatch(/JSON report was not written/);
      expect(r.written).toEqual([]);
    });

    it.each([
      ['0777', /is writable by group or others/],
      ['0775', /is writable by group or others/],
    ])('a root-owned report directory with mode %s is refused too', (dirMode, why) => {
      const r = runScenario({ setup: `${node(mode)}\nmkdir -m ${dirMode} ${REPORT_DIR}`, run: `${START_TASK_ENV}\n${AGENT}` });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^${VERDICT}\\nbatch-preflight: ${REPORT_DIR}: ${why.source}.*\\n$`));
      expect(r.written).toEqual([]);
    });
  });

  // In a 0777 shared directory anyone can rename root's folder away and put a forged READY report
  // at the path the verdict line names: the report goes where only root can write, and the line says so.
  describe('start-task report in a shared dir with mode 0777 (not sticky)', () => {
    // The forgery claims the same node, a later run and a failure: it must neither replace root's report nor count.
    const FORGED = '{"tool":{"name":"batch-preflight"},"schemaVersion":3,"startedAt":"2099-01-01T00:00:00.000Z","batch":{"nodeId":"tvm-1"},"summary":{"ok":false},"checks":[{"id":"sshd","status":"fail","message":"forged"}]}';
    const forge = `cd ${SHARED}; mv -T batch-preflight moved; mkdir batch-preflight && echo '${FORGED}' > batch-preflight/report.json`;

    it('after the run the attacker swaps in a forged report: the path the verdict line names still holds root\'s report, and summarize counts root\'s and names the forgery', () => {
      const r = runScenario({
        setup: node('0777'),
        run: [
          START_TASK_ENV,
          `${AGENT} 2> /var/tmp/verdict; echo "rc=$?"`,
          'sed "s/^/verdict: /" /var/tmp/verdict',
          `runuser -u attacker -- bash -c ${JSON.stringify(forge)} 2>/dev/null; true`,
          // The report a later task would trust: the one the verdict line names.
          'named=$(sed -n "1s/.*(report: \\([^,)]*\\).*/\\1/p" /var/tmp/verdict)',
          'echo "named=$named"; stat -c "owner=%U" "$named"; grep -c "selinux.mode" "$named" | sed "s/^/real-checks=/"',
          `node "$BUNDLE" summarize ${SHARED} /var/lib/batch-preflight --format human | sed "s/^/summary: /"`,
        ].join('\n'),
      });
      expect(r.stdout).toMatch(/^rc=[01]$/m);
      expect(r.stdout).toMatch(/^verdict: batch-preflight: (NOT )?READY.*\(report: \/var\/lib\/batch-preflight\/report\.json, written by root, which alone can change it; not in the shared directory, which is writable by group or others without the sticky bit \(mode 0777\)\)$/m);
      expect(r.stdout).toMatch(/^named=\/var\/lib\/batch-preflight\/report\.json$/m);
      expect(r.stdout).toMatch(/^owner=root$/m);
      expect(r.stdout).toMatch(/^real-checks=[1-9]/m);
      // summarize reads both, counts root's for tvm-1 (not the newer forgery), and names the forgery as not written by root.
      expect(r.stdout).toMatch(/^summary:   \/mnt\/batch\/tasks\/shared\/batch-preflight\/report\.json \(tvm-1\): owned by uid \d+$/m);
      expect(r.stdout).toMatch(/^summary:   tvm-1 ×2 \(counted: \/var\/lib\/batch-preflight\/report\.json\)$/m);
      expect(r.stdout).toMatch(/^summary: READY: all 1 nodes passed$/m);
      expect(r.stdout).not.toMatch(/^summary:   \/var\/lib\/batch-preflight\/report\.json: owned by/m);
    });

    it('nothing planted in the shared dir is touched: the report goes to /var/lib/batch-preflight (0755, 0644, root)', () => {
      const r = runScenario({
        setup: node('0777', `ln -s /etc/victim.d ${REPORT_DIR}`),
        run: `${START_TASK_ENV}\n${AGENT}; echo "rc=$?"; stat -c '%a %U %n' /var/lib/batch-preflight /var/lib/batch-preflight/report.json; ls -A /etc/victim.d | sed "s/^/in-victim: /"`,
      });
      expect(r.stdout).toMatch(/^rc=[01]$/m);
      expect(r.stdout).toContain('755 root /var/lib/batch-preflight\n644 root /var/lib/batch-preflight/report.json\n');
      expect(r.stdout).not.toMatch(/in-victim:/);
      expect(r.written).toEqual(['/var/lib/batch-preflight/report.json']);
    });
  });

  // Only the last directory used to be checked: whoever owns any directory above it could swap a
  // lower one for a link to /etc/profile.d. The path is walked from / without following untrusted links.
  describe.each([
    ['--report', '--report', 'r.json'],
    ['--output', '--output', 'r.txt'],
    ['--log-file', '--log-level info --log-file', 'agent.log'],
  ])('%s below a directory the attacker owns', (_flag, args, base) => {
    const flag = args.split(' ').at(-1)!;
    it('a lower directory swapped for a link to a root directory: exit 2 naming the attacker\'s directory, nothing written', () => {
      const swap = 'mv -T /srv/att/out /srv/att/old && ln -s /etc/victim.d /srv/att/out';
      const r = runScenario({
        // Root made /srv/att/out (0755, its own) inside the attacker's directory; the attacker swaps it.
        setup: `${node('1777')}\nmkdir -p /srv/att && chown attacker /srv/att && mkdir -m 0755 /srv/att/out\nrunuser -u attacker -- bash -c '${swap}'`,
        run: `${AGENT} --mode image ${args} /srv/att/out/${base}; echo "rc=$?"; ls -A /etc/victim.d | sed "s/^/in-victim: /"`,
      });
      expect(r.stdout).toMatch(/^rc=2$/m);
      expect(r.stderr).toMatch(new RegExp(`^batch-preflight: ${flag} /srv/att/out/${base}: directory /srv/att is owned by uid \\d+, not by root\\n$`));
      expect(r.stdout).not.toMatch(/in-victim:/);
      expect(r.written).toEqual([]);
    });

    it('a link the attacker planted in sticky /tmp is not followed; a link root made is', () => {
      const r = runScenario({
        setup: `${node('1777')}\nrunuser -u attacker -- ln -s /etc/victim.d /tmp/evil\nmkdir -m 0755 /var/tmp/out && ln -s /var/tmp/out /opt/out`,
        run: [
          `${AGENT} --mode image ${args} /tmp/evil/${base} 2> /var/tmp/err; echo "evil=$?"; sed "s/^/err: /" /var/tmp/err`,
          `${AGENT} --mode image ${args} /opt/out/${base} > /dev/null 2>&1; echo "root-link=$?"`,
          'ls -A /etc/victim.d | sed "s/^/in-victim: /"',
        ].join('\n'),
      });
      expect(r.stdout).toMatch(/^evil=2$/m);
      expect(r.stdout).toMatch(new RegExp(`^err: batch-preflight: ${flag} /tmp/evil/${base}: directory /tmp/evil is a symbolic link that is owned by uid \\d+, not by root$`, 'm'));
      expect(r.stdout).toMatch(/^root-link=[01]$/m);
      expect(r.stdout).not.toMatch(/in-victim:/);
      expect(r.written.filter((f) => !f.startsWith('/var/tmp/'))).toEqual([]);
      expect(r.written).toContain(`/var/tmp/out/${base}`);
    });
  });

  it('under umask 0, the report directory is 0755, the report 0644, --output 0644 and the log file 0600, all root-owned', () => {
    const r = runScenario({
      setup: node('1777'),
      run: [
        START_TASK_ENV,
        'umask 0',
        `${AGENT} --output /var/tmp/out.txt --log-file /var/tmp/agent.log --log-level info; echo "rc=$?"`,
        `stat -c '%a %U %n' ${REPORT_DIR} ${REPORT_DIR}/report.json /var/tmp/out.txt /var/tmp/agent.log`,
      ].join('\n'),
    });
    expect(r.stdout).toMatch(/^rc=[01]$/m);
    expect(r.stdout).toContain(`755 root ${REPORT_DIR}\n644 root ${REPORT_DIR}/report.json\n644 root /var/tmp/out.txt\n600 root /var/tmp/agent.log\n`);
  });

  it.each([
    ['--report', '--report /tmp/shared/report.json --format json', 'report.json'],
    ['--output', '--output /tmp/shared/out.json --format json', 'out.json'],
  ])('%s in a sticky world-writable directory: symlinks planted at every predictable temp name are never followed', (_flag, args, base) => {
    // One process plants symlinks at the names of the next 400 pids, so the agent's is among them.
    const plant = `node -e 'const fs = require("fs"), n = Number(fs.readFileSync("/proc/sys/kernel/ns_last_pid", "utf8")); for (let p = n; p < n + 400; p++) fs.symlinkSync("/etc/victim", "/tmp/shared/.${base}." + p + ".tmp")'`;
    const r = runScenario({
      setup: `${node('1777')}\nmkdir -m 1777 /tmp/shared`,
      run: `runuser -u attacker -- ${plant}\n${AGENT} --mode image ${args}; echo "rc=$?"; cat /etc/victim`,
    });
    expect(r.stdout).toMatch(/^rc=[01]$/m);
    expect(r.stdout).toMatch(/root-owned original\n$/);
    expect(strayWrites(r.written, /^\/tmp\//)).toEqual([]);
  });

  it('the cleanup of temp files left by killed runs removes only our own regular files', () => {
    const plant = [
      'cd /tmp/shared',
      'echo mine > .report.json.99990.tmp',
      'echo mine > .report.json.99991.0123456789abcdef.tmp',
      'ln -s /etc/victim .report.json.99992.0123456789abcdef.tmp',
      'mkdir .report.json.99993.0123456789abcdef.tmp',
    ].join('; ');
    const r = runScenario({
      setup: [node('1777'), 'mkdir -m 1777 /tmp/shared', `runuser -u attacker -- bash -c '${plant}'`, 'echo stale > /tmp/shared/.report.json.99994.fedcba9876543210.tmp'].join('\n'),
      run: `${AGENT} --mode image --report /tmp/shared/report.json; echo "rc=$?"; ls -A /tmp/shared; cat /etc/victim`,
    });
    expect(r.stdout).toMatch(/^rc=[01]$/m);
    const listed = r.stdout.split('\n');
    for (const name of ['.report.json.99990.tmp', '.report.json.99991.0123456789abcdef.tmp', '.report.json.99992.0123456789abcdef.tmp', '.report.json.99993.0123456789abcdef.tmp', 'report.json']) {
      expect(listed).toContain(name);
    }
    // A stale temp file of our own (root's, from a dead pid) is removed.
    expect(listed).not.toContain('.report.json.99994.fedcba9876543210.tmp');
    expect(r.stdout).toMatch(/root-owned original\n$/);
  });

  it.each([
    ['a symlink to a root file', 'ln -s /etc/victim /tmp/shared/agent.log', /is a symbolic link/],
    ['a FIFO', 'mkfifo /tmp/shared/agent.log', /is not a regular file/],
    ['a file the attacker owns', 'echo x > /tmp/shared/agent.log', /is owned by uid \d+, not by root/],
  ])('--log-file planted as %s: exit 2 at once, nothing written through it', (_what, plant, why) => {
    const r = runScenario({
      setup: `${node('1777')}\nmkdir -m 1777 /tmp/shared\nrunuser -u attacker -- bash -c '${plant}'`,
      run: `timeout 10 ${AGENT} --mode image --log-file /tmp/shared/agent.log --log-level info; echo "rc=$?"; cat /etc/victim`,
      timeoutMs: 30_000,
    });
    expect(r.stdout).toMatch(/^rc=2$/m);
    expect(r.stderr).toMatch(new RegExp(`^batch-preflight: --log-file /tmp/shared/agent.log: ${why.source}.*\\n$`));
    expect(r.stdout).toMatch(/root-owned original\n$/);
    expect(strayWrites(r.written, /^$/)).toEqual([]);
  });

  it('a swap loop between the real report directory and a symlink never gets the report written outside it (120 runs)', () => {
    // In a 0777 (not sticky) shared dir the attacker may rename root's directory away and back:
    // the agent passes the shared dir over (its report goes to /var/lib/batch-preflight).
    const loop = `cd ${SHARED}; while :; do mv -T batch-preflight saved 2>/dev/null; ln -s /etc/victim.d batch-preflight 2>/dev/null; sleep 0.02; rm -f batch-preflight; mv -T saved batch-preflight 2>/dev/null; sleep 0.02; done`;
    const r = runScenario({
      setup: `${node('0777')}\nmkdir -m 0755 ${REPORT_DIR}`,
      run: [
        START_TASK_ENV,
        `runuser -u attacker -- bash -c '${loop}' & loop=$!`,
        'declare -A rc; for i in $(seq 120); do node "$BUNDLE" --mode start-task --only selinux.mode --format tap > /dev/null 2>&1; c=$?; rc[$c]=$(( ${rc[$c]:-0} + 1 )); done',
        'kill $loop; for k in "${!rc[@]}"; do echo "rc$k=${rc[$k]}"; done',
        'ls -A /etc/victim.d | sed "s/^/in-victim: /"',
      ].join('\n'),
      timeoutMs: 230_000,
    });
    expect(r.stdout).not.toMatch(/in-victim:/);
    expect(strayWrites(r.written, new RegExp(`^${SHARED}/`))).toEqual(['/var/lib/batch-preflight/report.json']);
    const codes = [...r.stdout.matchAll(/^rc(\d+)=(\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(codes.reduce((n, [, c]) => n + c!, 0)).toBe(120);
    // Every run wrote its report where only root can write (0: the one check passed).
    expect(codes.map(([code]) => code).filter((c) => c !== 0)).toEqual([]);
  }, 240_000);
});

describeLive('adversarial: the environment the agent inherits', { commands: { useradd: 'passwd', runuser: 'util-linux', lscpu: 'util-linux', setsid: 'util-linux' }, built: { 'dist/batch-preflight-linux-x64': 'npm run build:sea' } }, () => {
  it('the standalone binary ignores NODE_OPTIONS (while plain node obeys it)', () => {
    const r = runScenario({
      setup: `useradd -m attacker\nrunuser -u attacker -- bash -c 'echo "require(\\"fs\\").writeFileSync(\\"/var/tmp/evil-ran-\\" + process.pid, \\"\\")" > /tmp/evil.js'`,
      run: [
        `NODE_OPTIONS='--require /tmp/evil.js' "$SEA" --version`,
        `NODE_OPTIONS='--require /tmp/evil.js' "$SEA" --mode image --only selinux.mode --format tap > /dev/null; echo "rc=$?"`,
        'ls /var/tmp | grep -c evil-ran | sed "s/^/sea-markers=/"',
        `NODE_OPTIONS='--require /tmp/evil.js' node -e 0; ls /var/tmp | grep -c evil-ran | sed "s/^/node-markers=/"`,
      ].join('\n'),
    });
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+$/m);
    expect(r.stdout).toMatch(/^rc=0$/m);
    expect(r.stdout).toMatch(/^sea-markers=0$/m);
    // The same NODE_OPTIONS does run evil.js in plain node: the test can see it when it happens.
    expect(r.stdout).toMatch(/^node-markers=1$/m);
  });

  it("--inventory starts no process: neither a hostile PATH nor the caller's environment reaches a helper, for there is none", () => {
    const r = runScenario({
      setup: [
        'useradd -m attacker',
        // The attacker's tools, each leaving a marker before running the real one.
        'mkdir /tmp/evil',
        `for n in cat grep lscpu dmidecode sh dash bash; do printf '#!/bin/sh\\ntouch /var/tmp/hostile-%s\\nexec /usr/bin/%s "$@"\\n' $n $n > /tmp/evil/$n; chmod 755 /tmp/evil/$n; done`,
        'chown -R attacker /tmp/evil',
        // The real lscpu, wrapped to record that it ran (the library --inventory once used ran it).
        'mv /usr/bin/lscpu /usr/bin/lscpu.real',
        `printf '#!/bin/sh\\nenv > /var/tmp/lscpu-env\\nexec /usr/bin/lscpu.real "$@"\\n' > /usr/bin/lscpu; chmod +x /usr/bin/lscpu`,
      ].join('\n'),
      run: [
        // The hostile PATH works on whatever honours it (the test can see a fake tool run).
        'PATH=/tmp/evil:$PATH lscpu > /dev/null; ls /var/tmp | grep -c hostile-lscpu | sed "s/^/control=/"; rm -f /var/tmp/hostile-* /var/tmp/lscpu-env',
        'PATH=/tmp/evil:$PATH LD_PRELOAD=/tmp/evil/libevil.so LD_LIBRARY_PATH=/tmp/evil BASH_ENV=/tmp/evil/env ENV=/tmp/evil/env \\',
        `  node "$BUNDLE" --mode image --no-detect --inventory --only selinux.mode --format json > /var/tmp/report.json; echo "rc=$?"`,
        'ls /var/tmp | grep hostile- | sed "s/^/ran: /"',
        'sed "s/^/lscpu-env: /" /var/tmp/lscpu-env 2>/dev/null',
        'node -e "console.log(\'cores=\' + JSON.parse(require(\'fs\').readFileSync(\'/var/tmp/report.json\', \'utf8\')).host.inventory.cpu.cores)"',
      ].join('\n'),
    });
    expect(r.stdout).toMatch(/^control=1$/m);
    expect(r.stdout).toMatch(/^rc=0$/m);
    expect(r.stdout).not.toMatch(/^ran: /m);
    // --inventory reads /proc and /sys itself: not even the real lscpu runs.
    expect(r.stdout).not.toMatch(/^lscpu-env: /m);
    expect(r.stdout).toMatch(/^cores=[1-9]\d*$/m);
  });

  it.each([
    ['http://10.9.9.9/metadata/instance', 'a private address'],
    ['http://169.254.169.254.nip.io/metadata', 'a name that is not a loopback address'],
    ['http://localhost.attacker.example/', 'a name under localhost.'],
  ])('BATCH_PREFLIGHT_IMDS_URL=%s (%s) is exit 2 without --allow-remote-imds-url', (url) => {
    const r = runScenario({
      setup: node('1777'),
      run: `${START_TASK_ENV}\nBATCH_PREFLIGHT_IMDS_URL='${url}' ${AGENT} --imds --no-detect`,
    });
    expect(r.status, r.stdout).toBe(2);
    expect(r.stderr).toMatch(/^batch-preflight: BATCH_PREFLIGHT_IMDS_URL .* is not a loopback address .*--allow-remote-imds-url.*\n$/);
    expect(r.written).toEqual([]);
  });

  it('a loopback BATCH_PREFLIGHT_IMDS_URL is used as it is; a remote one only with --allow-remote-imds-url', () => {
    const server = `node -e 'require("http").createServer((q, s) => s.end(JSON.stringify({ compute: { vmSize: "Standard_NC6s_v3" } }))).listen(8089, "127.0.0.1")' & sleep 0.5`;
    const r = runScenario({
      setup: node('1777'),
      run: [
        START_TASK_ENV,
        server,
        `BATCH_PREFLIGHT_IMDS_URL=http://127.0.0.1:8089/ ${AGENT} --imds --format json > /var/tmp/a.json; echo "loopback=$?"`,
        `BATCH_PREFLIGHT_IMDS_URL=http://[::1]:8089/ ${AGENT} --imds --format json > /dev/null; echo "ipv6-loopback=$?"`,
        // Inside the sandbox's own network namespace 10.9.9.9 has no route: nothing leaves the machine.
        `BATCH_PREFLIGHT_IMDS_URL=http://10.9.9.9/ ${AGENT} --imds --allow-remote-imds-url --format json > /dev/null; echo "remote-allowed=$?"`,
        'grep -o "Standard_NC6s_v3" /var/tmp/a.json | head -1',
      ].join('\n'),
    });
    expect(r.stdout).toMatch(/^loopback=[01]$/m);
    expect(r.stdout).toMatch(/^ipv6-loopback=[01]$/m);
    expect(r.stdout).toMatch(/^remote-allowed=[01]$/m);
    expect(r.stdout).toMatch(/^Standard_NC6s_v3$/m);
  });

  it('a descendant that escapes the process group with setsid does not outlive the run', () => {
    const noMpi = 'for n in mpirun mpiexec ompi_info mpichversion orterun mpiexec.openmpi mpirun.openmpi; do rm -f /usr/bin/$n /usr/local/bin/$n /etc/alternatives/$n; done';
    const stub = `#!/bin/sh\nsetsid sleep 1000 >/dev/null 2>&1 </dev/null &\nsetsid sh -c 'sleep 1001 & sleep 1002' >/dev/null 2>&1 </dev/null &\nsleep 0.2\necho "mpirun (Open MPI) 4.1.4"`;
    const r = runScenario({
      setup: `${noMpi}\ncat > /usr/local/bin/mpirun <<'STUB'\n${stub}\nSTUB\nchmod +x /usr/local/bin/mpirun`,
      run: [
        'node "$BUNDLE" --mode image --require mpi --only mpi.runtime --format json > /var/tmp/r.json; echo "rc=$?"',
        // Every process's command line, read from /proc (no procps needed).
        'for p in /proc/[0-9]*; do tr "\\0" " " < $p/cmdline 2>/dev/null; echo; done | grep -E "^sleep 10(00|01|02) $" | sed "s/^/survivor: /"',
        'grep -o \'"status": "pass"\' /var/tmp/r.json | head -1',
      ].join('\n'),
    });
    expect(r.stdout).toMatch(/^rc=0$/m);
    expect(r.stdout).toContain('"status": "pass"');
    expect(r.stdout).not.toMatch(/survivor:/);
  });
});
