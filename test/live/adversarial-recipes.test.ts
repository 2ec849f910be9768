// The recipes in examples/ run as root on machines other users share. Their shell commands are
// taken from the recipe files as written and run here with bash, as root in the sandbox, with
// `attacker` (a real second user) having planted what it could: names in /tmp (a binary and a
// SHA256SUMS over it among them) and in a start task working directory left writable to it. The
// release they download is served on the sandbox's loopback; it can also be one whose binary was
// swapped for the attacker's, which SHA256SUMS must then catch.
// The agent is a stub that exits with the code the scenario gives it (the agent's own command line
// is checked in test/examples.test.ts); the recipe's plumbing is what is tested.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { expect, it } from 'vitest';
import { REPO, runScenario } from '../sandbox/sandbox';
import { describeLive } from './prerequisites';

const NEEDS = { commands: { useradd: 'passwd', runuser: 'util-linux', sha256sum: 'coreutils', mktemp: 'coreutils', curl: 'curl' } };
const read = (p: string) => readFileSync(path.join(REPO, 'examples', p), 'utf8');
const VERSION = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version as string;
/** Where the recipes download the release; here a server on the sandbox's loopback answers instead. */
const GITHUB = `https://github.com/OWNER/batch-preflight/releases/download/v${VERSION}`;
const LOCAL = 'http://127.0.0.1:8091/current';

/** A bash heredoc that writes `text` to `file` as is. */
const writeFile = (file: string, text: string) => `cat > ${file} <<'RECIPE_EOF'\n${text}\nRECIPE_EOF\n`;

// The stub agent: writes the files its --output (FORMAT=FILE) and --report name, leaves a mark that
// it ran, and exits with the code in /opt/stub/rc. The attacker's binary marks /root/pwned instead.
const STUB = `#!/bin/sh
while [ $# -gt 0 ]; do case $1 in --output|--report) echo stub > "\${2#*=}"; shift;; esac; shift; done
touch /root/stub-ran
exit "$(cat /opt/stub/rc)"`;
const EVIL = `#!/bin/sh
touch /root/pwned
exit 0`;

// The release, served on loopback: /srv/release/current points at the genuine one (the stub and a
// SHA256SUMS over it) or at one whose binary was replaced by the attacker's (same SHA256SUMS).
const SETUP = `
# What /tmp held before the scenario (the machine's own files) is not the recipes' to clean up.
ls /tmp > /var/tmp/tmp-before
useradd -m attacker
useradd -m builder
mkdir -p /opt/stub /srv/release/good /srv/release/tampered
${writeFile('/opt/stub/batch-preflight-linux-x64', STUB)}
${writeFile('/opt/stub/evil', EVIL)}
chmod 0755 /opt/stub/batch-preflight-linux-x64 /opt/stub/evil
cp /opt/stub/batch-preflight-linux-x64 /srv/release/good/
cp /opt/stub/evil /srv/release/tampered/batch-preflight-linux-x64
(cd /srv/release/good && sha256sum batch-preflight-linux-x64 > SHA256SUMS && cp SHA256SUMS ../tampered/)
ln -s good /srv/release/current
node -e 'const fs = require("fs"); require("http").createServer((q, s) => { try { s.end(fs.readFileSync("/srv/release" + q.url)); } catch { s.writeHead(404).end(); } }).listen(8091, "127.0.0.1")' &
for i in $(seq 50); do curl -fs ${LOCAL}/SHA256SUMS > /dev/null && break; sleep 0.1; done
curl -fs ${LOCAL}/SHA256SUMS > /dev/null
# What the attacker plants where a recipe might look: names in /tmp.
runuser -u attacker -- sh -c 'echo 0 > /tmp/preflight.rc; echo 0 > /tmp/preflight.json; cp /opt/stub/evil /tmp/batch-preflight; cp /opt/stub/evil /tmp/batch-preflight-linux-x64; echo "$(sha256sum /opt/stub/evil | cut -d" " -f1)  batch-preflight-linux-x64" > /tmp/SHA256SUMS; chmod 777 /tmp/batch-preflight /tmp/batch-preflight-linux-x64'
`;
const RELEASE = (which: 'good' | 'tampered') => `ln -sfn ${which} /srv/release/current`;

// While the recipe runs, the attacker keeps writing 0 into its /tmp/preflight.rc (root may write
// into it too: the file is the attacker's, and fs.protected_regular is 0 on these machines).
const KEEP_ZERO = `runuser -u attacker -- sh -c 'while :; do echo 0 > /tmp/preflight.rc; sleep 0.01; done' &
keeper=$!`;

/** Each case's outcome line: `name rc=N stub=yes|no pwned=yes|no`. */
function outcomes(stdout: string): Record<string, { rc: number; stub: boolean; pwned: boolean }> {
  const out: Record<string, { rc: number; stub: boolean; pwned: boolean }> = {};
  for (const m of stdout.matchAll(/^(\S+) rc=(\d+) stub=(yes|no) pwned=(yes|no)$/gm)) out[m[1]!] = { rc: Number(m[2]), stub: m[3] === 'yes', pwned: m[4] === 'yes' };
  return out;
}

const REPORT = `report() { echo "$1 rc=$2 stub=$([ -e /root/stub-ran ] && echo yes || echo no) pwned=$([ -e /root/pwned ] && echo yes || echo no)"; rm -f /root/stub-ran /root/pwned; }`;
const PLANTED = ['left SHA256SUMS', 'left batch-preflight', 'left batch-preflight-linux-x64', 'left preflight.json', 'left preflight.rc'];

describeLive('the recipes, run as root with another user on the machine', NEEDS, () => {
  it('Packer: a failing image fails the build, whatever was planted in /tmp; a binary that does not match the release never runs', () => {
    const hcl = read('packer/batch-node.pkr.hcl');
    const inlines = [...hcl.matchAll(/inline\s*=\s*\[([\s\S]*?)\]/g)].map((m) => [...m[1]!.matchAll(/"(?:[^"\\]|\\.)*"/g)].map((s) => JSON.parse(s[0]) as string).join('\n'));
    const downloads = [...hcl.matchAll(/direction\s*=\s*"download"\s*source\s*=\s*"([^"]+)"/g)].map((m) => m[1]!);
    const runAt = inlines.findIndex((s) => /batch-preflight-linux-\$a --mode image/.test(s));
    const after = inlines.slice(runAt + 1).filter((s) => !s.includes('waagent'));
    expect(runAt).toBe(0);
    expect(after).toHaveLength(1);
    expect(hcl).toContain(`"PREFLIGHT_BASE=https://github.com/\${var.preflight_repository}/releases/download/v\${var.preflight_version}"`);
    // Packer's steps in order: the shell provisioners through sudo -E sh (SUDO_USER set), the
    // downloads as the SSH user (builder); a failing step ends the build.
    const build = `(
  set -e
  SUDO_USER=builder PREFLIGHT_BASE=${LOCAL} POOL_VM_SIZE=Standard_ND96isr_H100_v5 sh /root/p-run.sh
  ${downloads.map((d) => `runuser -u builder -- cat ${d} > /dev/null`).join('\n  ')}
  sh /root/p-after.sh
)`;
    const r = runScenario({
      setup: `${SETUP}
${writeFile('/root/p-run.sh', inlines[runAt]!)}
${writeFile('/root/p-after.sh', after[0]!)}
`,
      run: `${REPORT}
${KEEP_ZERO}
echo 1 > /opt/stub/rc; ${build} > /dev/null 2>&1; report unfit $?
echo 0 > /opt/stub/rc; ${build} > /dev/null 2>&1; report fit $?
rm -rf /var/lib/batch-preflight-build
${RELEASE('tampered')}; ${build} > /dev/null 2>&1; report tampered $?
kill $keeper
`,
    });
    const o = outcomes(r.stdout);
    expect(o.unfit, r.stdout + r.stderr).toEqual({ rc: 1, stub: true, pwned: false });
    expect(o.fit).toEqual({ rc: 0, stub: true, pwned: false });
    expect(o.tampered).toEqual({ rc: 1, stub: false, pwned: false });
  });

  const startTasks: [string, () => string][] = [
    [
      'Batch start task',
      () => {
        // Batch runs the command line without a shell: the recipe's own `/bin/sh -c '...'`.
        const line = JSON.parse(read('batch/pool.json')).startTask.commandLine as string;
        const m = /^\/bin\/sh -c '([^']*)'$/.exec(line);
        expect(m).not.toBeNull();
        return `/bin/sh -c "$(cat /root/task.sh)"\n${writeFile('/root/task.sh', m![1]!)}`;
      },
    ],
    [
      'Shipyard start task',
      () => {
        // Shipyard's start task: bash -c 'set -e; <additional_node_prep.commands.pre>; ...' (REFERENCE.md, node prep 3.9.1).
        const pre = parseYaml(read('shipyard/pool.yaml')).pool_specification.additional_node_prep.commands.pre as string[];
        return `bash -c "$(cat /root/task.sh)"\n${writeFile('/root/task.sh', `set -e; ${pre.join('; ')}`)}`;
      },
    ],
  ];

  it.each(startTasks)('%s: exits with the agent, and a binary that does not match the release never runs as root', (_, command) => {
    const [runLine, ...writes] = command().split('\n');
    // The release URL is the recipe's; only its host is this sandbox's loopback.
    const task = `(
  export AZ_BATCH_TASK_WORKING_DIR=/mnt/wd
  grep -qF '${GITHUB}/' /root/task.sh
  sed -i "s|${GITHUB}|${LOCAL}|g" /root/task.sh
  cd /tmp
  ${runLine}
)`;
    const r = runScenario({
      setup: `${SETUP}
${writes.join('\n')}
# The start task's working directory, here writable by the attacker (the worst case: mode 0777),
# who put its own binary and SHA256SUMS there.
mkdir -p /mnt/wd/batch-preflight && chmod 0777 /mnt/wd/batch-preflight
runuser -u attacker -- sh -c 'cp /tmp/batch-preflight-linux-x64 /tmp/SHA256SUMS /mnt/wd/batch-preflight/'
`,
      run: `${REPORT}
echo 1 > /opt/stub/rc; ${task} > /dev/null 2>&1; report unfit $?
echo 0 > /opt/stub/rc; ${task} > /dev/null 2>&1; report fit $?
${RELEASE('tampered')}; ${task} > /dev/null 2>&1; report tampered $?
ls /tmp | grep -vxFf /var/tmp/tmp-before | sed 's/^/left /'
`,
    });
    const o = outcomes(r.stdout);
    expect(o.unfit, r.stdout + r.stderr).toEqual({ rc: 1, stub: true, pwned: false });
    expect(o.fit).toEqual({ rc: 0, stub: true, pwned: false });
    expect(o.tampered?.stub, r.stdout).toBe(false);
    expect(o.tampered?.pwned).toBe(false);
    expect(o.tampered?.rc).toBeGreaterThan(0);
    // The private directories are gone: only what the attacker planted is left in /tmp.
    expect(r.stdout.match(/^left .*/gm)?.sort()).toEqual(PLANTED);
  });
});
