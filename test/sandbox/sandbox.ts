// The scenario sandbox: runs a scenario in fresh mount, network and PID namespaces over a
// copy-on-write view of `/` (overlayfs on a tmpfs), so that it may edit /etc, enable units, start
// daemons and load firewall rules without touching this machine. Everything started inside dies
// with the namespace's PID 1. Files written while the agent ran are listed from the overlay's upper
// directory and copied out, so tests can assert exactly what the agent wrote.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest directory above this file with a package.json (also when bundled into dist/). */
function findRepo(dir: string): string {
  return existsSync(path.join(dir, 'package.json')) || path.dirname(dir) === dir ? dir : findRepo(path.dirname(dir));
}
export const REPO = findRepo(__dirname);
export const BUNDLE = path.join(REPO, 'dist/batch-preflight.cjs');
export const SEA = path.join(REPO, 'dist/batch-preflight-linux-x64');

function findSandboxProblem(): string | null {
  const uid = process.getuid?.();
  if (uid !== 0) return `root (running as uid ${uid})`;
  const r = spawnSync('unshare', ['--mount', '--net', '--pid', '--fork', 'true'], { encoding: 'utf8', timeout: 5000 });
  return r.status === 0 ? null : `working namespaces (unshare --mount --net --pid --fork: ${r.error?.message ?? (r.stderr.trim() || `exit ${r.status}`)})`;
}

let problem: string | null | undefined;
/** Why this process cannot make the namespaces (not root, unshare fails), or null when it can. */
export function sandboxProblem(): string | null {
  if (problem === undefined) problem = findSandboxProblem();
  return problem;
}

/** True when this process can make the namespaces (root, unshare). */
export const sandboxAvailable = (): boolean => sandboxProblem() === null;

export interface Scenario {
  /**
   * bash run as root inside the sandbox before the agent: edit files, start daemons, load rules.
   * It runs with `set -e -o pipefail` and should end by checking that what it set up is there
   * (the daemon answers, the rules are loaded): a setup that fails throws, the agent never runs.
   */
  setup?: string;
  /** bash that runs the agent (e.g. `node $BUNDLE --format json`); its stdout/stderr/status are returned. */
  run: string;
  timeoutMs?: number;
}

export interface ScenarioResult {
  status: number | null;
  stdout: string;
  stderr: string;
  setupOutput: string;
  /** Files (paths inside the sandbox) created or changed while `run` ran; directories excluded. */
  written: string[];
  /** Content of a file that `run` wrote, copied out of the sandbox. */
  readWritten(p: string): string | null;
}

// Runs as PID 1 of the new namespaces, outside the chroot: it owns the overlay and the copies out.
const INNER = String.raw`
set -u
OUT="$1"; REPO="$2"; T="$OUT/mnt"
mount -t tmpfs tmpfs "$T"
mkdir -p "$T/up" "$T/work" "$T/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$T/up,workdir=$T/work" "$T/root"
mount -t proc proc "$T/root/proc"
mount --rbind /sys "$T/root/sys"
mount --rbind /dev "$T/root/dev"
mount -t tmpfs tmpfs "$T/root/run"
mount -t tmpfs tmpfs "$T/root/tmp"
# The repository (the agent under test) is seen read-only at its own path, wherever it lives.
mkdir -p "$T/root$REPO" && mount --bind "$REPO" "$T/root$REPO" && mount -o remount,bind,ro "$T/root$REPO"
ip link set lo up 2>/dev/null
chroot "$T/root" /bin/bash "$OUT/setup.sh" > "$OUT/setup.out" 2>&1
rc=$?; echo "setup exit $rc" >> "$OUT/setup.out"
[ "$rc" = 0 ] || exit 0
touch "$T/mark"; sleep 0.01
chroot "$T/root" /bin/bash "$OUT/run.sh" > "$OUT/run.out" 2> "$OUT/run.err" < /dev/null
echo $? > "$OUT/run.status"
cd "$T/up"
find . -mindepth 1 -newer "$T/mark" ! -type d -printf '/%P\n' | sort > "$OUT/written.txt"
mkdir -p "$OUT/copy"
while IFS= read -r f; do
  [ -f ".$f" ] && mkdir -p "$OUT/copy$(dirname "$f")" && cp ".$f" "$OUT/copy$f"
done < "$OUT/written.txt"
exit 0
`;

export function runScenario(sc: Scenario): ScenarioResult {
  // Not under /tmp: the sandbox mounts its own /tmp, and the scripts must be visible inside.
  const out = mkdtempSync('/var/tmp/bp-sandbox-');
  try {
    mkdirSync(path.join(out, 'mnt'));
    const prelude = `set -u\nexport PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nBUNDLE=${BUNDLE}\nSEA=${SEA}\nREPO=${REPO}\n`;
    writeFileSync(path.join(out, 'setup.sh'), `${prelude}set -e -o pipefail\n${sc.setup ?? ''}`);
    writeFileSync(path.join(out, 'run.sh'), prelude + sc.run);
    const r = spawnSync('unshare', ['--mount', '--net', '--pid', '--fork', '--propagation', 'private', 'bash', '-c', INNER, 'sandbox', out, REPO], {
      encoding: 'utf8',
      timeout: sc.timeoutMs ?? 120_000,
      killSignal: 'SIGKILL',
    });
    const read = (f: string) => (existsSync(path.join(out, f)) ? readFileSync(path.join(out, f), 'utf8') : '');
    const statusText = read('run.status').trim();
    const written = read('written.txt').split('\n').filter(Boolean);
    const copies = new Map(written.map((p) => [p, existsSync(path.join(out, 'copy', p)) ? readFileSync(path.join(out, 'copy', p), 'utf8') : null]));
    if (r.error) throw new Error(`sandbox failed: ${r.error.message}\n${r.stderr}`);
    const setupOutput = read('setup.out');
    const setupExit = /^setup exit (\d+)$/m.exec(setupOutput)?.[1];
    if (setupExit !== '0') throw new Error(`scenario setup failed (exit ${setupExit ?? 'unknown'}), the agent did not run:\n${setupOutput}\n${r.stderr}`);
    return {
      status: statusText === '' ? null : Number(statusText),
      stdout: read('run.out'),
      stderr: read('run.err') + (statusText === '' ? `\n[sandbox] ${r.stderr}` : ''),
      setupOutput,
      written,
      readWritten: (p) => copies.get(p) ?? null,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
