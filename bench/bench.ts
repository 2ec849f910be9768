// `npm run bench`: measures the agent as it is used, prints a table and writes bench/results.json.
// It is not a test and never fails CI; figures are only comparable within one run on one machine.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE, SEA, REPO, runScenario, sandboxAvailable } from '../test/sandbox/sandbox';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const ALL_FEATURES = 'gpu,infiniband,mpi,nfs,glusterfs,gluster-on-compute,blobfuse,azurefile,auto-scratch,singularity';
const LIVE_RUN = ['--mode', 'image', '--require', ALL_FEATURES, '--format', 'json'];

interface Stats {
  min: number;
  median: number;
  runs: number;
}

function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { min: round(s[0]!), median: round(median), runs: s.length };
}
const round = (n: number) => Math.round(n * 10) / 10;

function cmd(sea: boolean, args: string[]): [string, string[]] {
  return sea ? [SEA, args] : [process.execPath, [BUNDLE, ...args]];
}

function time(sea: boolean, args: string[]): Stats {
  const [file, argv] = cmd(sea, args);
  spawnSync(file, argv); // warm the page cache
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    spawnSync(file, argv, { stdio: 'ignore' });
    samples.push(performance.now() - t0);
  }
  return stats(samples);
}

/** Peak resident memory in MB: VmHWM of the process, sampled until it exits. */
function peakRss(sea: boolean, args: string[]): Promise<number> {
  const [file, argv] = cmd(sea, args);
  return new Promise((resolve) => {
    const child = spawn(file, argv, { stdio: 'ignore' });
    let peak = 0;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch {
        // Exited between samples.
      }
    };
    const timer = setInterval(sample, 2);
    child.on('exit', () => {
      clearInterval(timer);
      resolve(round(peak));
    });
  });
}

/** Three stub commands that each take 200 ms; everything else answers at once. */
function slowProbeScenario(): { wall: Stats; serialWall: Stats; note: string } | { skipped: string } {
  if (!sandboxAvailable()) return { skipped: 'needs root and unshare for the sandbox' };
  const stub = (name: string, out: string) =>
    `printf '#!/bin/sh\\nsleep 0.2\\necho "${out}"\\n' > /usr/local/sbin/${name}; chmod +x /usr/local/sbin/${name}`;
  // Stubs in /usr/local/sbin come first in the fixed PATH, so they shadow the real tools.
  const setup = [
    stub('mpirun', 'mpirun (Open MPI) 4.1.4'),
    stub('mount.nfs4', 'mount.nfs4: (linux nfs-utils 2.6.2)'),
    stub('glusterfs', 'glusterfs 10.3'),
  ].join('\n');
  // Each line: "<concurrency> <microseconds>"; --concurrency 1 shows what running probes in parallel buys.
  const run = `for c in 8 1; do for i in $(seq ${RUNS}); do s=$(date +%s%N); node "$BUNDLE" --mode image --require mpi,nfs,glusterfs --format json --concurrency $c >/dev/null; e=$(date +%s%N); echo "$c $(( (e - s) / 1000 ))"; done; done`;
  const r = runScenario({ setup, run, timeoutMs: 300_000 });
  const lines = r.stdout.split('\n').filter(Boolean).map((l) => l.split(' ').map(Number) as [number, number]);
  const samples = (c: number) => lines.filter(([k]) => k === c).map(([, us]) => us / 1000);
  if (samples(8).length === 0 || samples(1).length === 0) return { skipped: `scenario failed: ${r.stderr.slice(0, 200)}` };
  return { wall: stats(samples(8)), serialWall: stats(samples(1)), note: 'stubs mpirun, mount.nfs4, glusterfs sleep 200 ms each' };
}

/** The simulated ND H100 v5 node: its sysfs over /sys, nvidia-smi and ibv_devinfo stubs printing fixture output. */
const GPU_NODE_SETUP = [
  'cp -a $REPO/fixtures/hosts/size-nd96isr-h100-v5/sys /tmp/sys && mount --bind /tmp/sys /sys',
  // The fixture node's nvidia-smi stub answers the CSV query, `-q -x` and `nvlink --status` (from usr/share beside it).
  'cp $REPO/fixtures/hosts/gpu-h100x8-ok/usr/bin/nvidia-smi /usr/local/bin/nvidia-smi',
  'mkdir -p /usr/local/share && cp -r $REPO/fixtures/hosts/gpu-h100x8-ok/usr/share/nvidia-smi-stub /usr/local/share/',
  `printf '#!/bin/sh\\ncat %s\\n' $REPO/fixtures/outputs/ibv_devinfo/hbv3-ib-and-eth.txt > /usr/local/sbin/ibv_devinfo`,
  'chmod +x /usr/local/bin/nvidia-smi /usr/local/sbin/ibv_devinfo',
  'mkdir -p /tmp/shared /tmp/wd',
].join('\n');
const GPU_NODE_RUN = 'export AZ_BATCH_NODE_ID=tvm-1 AZ_BATCH_TASK_WORKING_DIR=/tmp/wd AZ_BATCH_NODE_SHARED_DIR=/tmp/shared; "$SEA" --batch-pool $REPO/fixtures/batch/pool-rest.json --require mpi,nfs --format json >/dev/null';

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The agent against a sequential shell on the simulated GPU/RDMA node, side by side in one sandbox.
 * The shell runs every command the agent ran (taken from strace), one after another, and reads or
 * parses nothing: a lower bound for a shell doing the same checks, so the ratio flatters the shell;
 * the commands are in bench/results.json.
 */
function gpuNodeVsShell(): { agent: Stats; shell: Stats; ratio: number; commands: string[][] } | { skipped: string } {
  if (!sandboxAvailable()) return { skipped: 'needs root and unshare for the sandbox' };
  if (spawnSync('sh', ['-c', 'command -v strace']).status !== 0) return { skipped: 'needs strace (apt-get install strace) to list the commands the agent runs' };
  const traced = runScenario({ setup: GPU_NODE_SETUP, run: `export SEA REPO; strace -f -qq -s 4096 -e trace=execve -e signal=none -o /tmp/trace sh -c ${shq(GPU_NODE_RUN)}; cat /tmp/trace` });
  // Concurrent execs show as `execve(...) <unfinished ...>` with the result on a later line; failed
  // ones (a PATH miss) end in `= -1 ENOENT`.
  const argvs = traced.stdout
    .split('\n')
    .filter((l) => l.includes(' execve("') && !/= -1 E/.test(l))
    .map((l) => /execve\("[^"]*", \[(.*?)\]/.exec(l))
    .filter((m) => m !== null)
    .map((m) => [...m[1]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((a) => JSON.parse(`"${a[1]!}"`) as string))
    // Neither the wrapper shell, the agent itself nor the stubs' own `cat`: the commands it ran.
    .filter((argv) => !['sh', 'cat'].includes(argv[0]!) && !argv[0]!.endsWith('batch-preflight-linux-x64'));
  if (argvs.length === 0) return { skipped: `no commands traced: ${traced.stderr.slice(0, 200)}` };
  const shell = ['exec >/dev/null 2>&1', ...argvs.map((argv) => argv.map(shq).join(' '))].join('\n');
  const run = `printf '%s\\n' ${shq(shell)} > /tmp/shell.sh
for i in $(seq ${RUNS}); do
  s=$(date +%s%N); (${GPU_NODE_RUN}); e=$(date +%s%N); echo "agent $(( (e - s) / 1000 ))"
  s=$(date +%s%N); sh /tmp/shell.sh; e=$(date +%s%N); echo "shell $(( (e - s) / 1000 ))"
done`;
  const r = runScenario({ setup: GPU_NODE_SETUP, run, timeoutMs: 300_000 });
  const samples = (who: string) => r.stdout.split('\n').filter((l) => l.startsWith(`${who} `)).map((l) => Number(l.split(' ')[1]) / 1000);
  if (samples('agent').length !== RUNS || samples('shell').length !== RUNS) return { skipped: `scenario failed: ${r.stderr.slice(0, 200)}` };
  const agent = stats(samples('agent'));
  const sh = stats(samples('shell'));
  return { agent, shell: sh, ratio: round(agent.median / sh.median), commands: argvs };
}

interface Phases {
  startup: number;
  requirements: number;
  checks: number;
  report: number;
}

/**
 * CPU milliseconds by phase of one full run of the binary (the agent logs them at debug level), the
 * CPU of its child processes (bash's `times`), and the wall time; medians of RUNS runs. A
 * regression shows in the phase it came from.
 */
function cpuByPhase(): { phases: Phases; childrenCpuMs: number; wallMs: number; totalCpuMs: number } {
  const log = path.join(os.tmpdir(), `bp-bench-${process.pid}.log`);
  const runs: { phases: Phases; children: number; wall: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    rmSync(log, { force: true });
    const t0 = performance.now();
    const r = spawnSync('bash', ['-c', '"$@" >/dev/null 2>&1; times', 'bench', SEA, ...LIVE_RUN, '--log-level', 'debug', '--log-file', log], { encoding: 'utf8' });
    const wall = performance.now() - t0;
    // `times`: this shell's user and system time, then its children's.
    const [, kids] = r.stdout.trim().split('\n');
    const secs = [...(kids ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    const line = readFileSync(log, 'utf8').split('\n').find((l) => l.includes('"cpu by phase"'));
    if (!line || secs.length !== 2) throw new Error(`no CPU figures from the run: ${r.stderr.slice(0, 200)}`);
    runs.push({ phases: (JSON.parse(line) as { cpuMs: Phases }).cpuMs, children: (secs[0]! + secs[1]!) * 1000, wall });
  }
  rmSync(log, { force: true });
  const med = (xs: number[]) => stats(xs).median;
  const phases = { startup: med(runs.map((r) => r.phases.startup)), requirements: med(runs.map((r) => r.phases.requirements)), checks: med(runs.map((r) => r.phases.checks)), report: med(runs.map((r) => r.phases.report)) };
  // The children's figure is the agent itself plus what it spawned: bash counts the whole tree.
  const totalCpuMs = med(runs.map((r) => r.children));
  const agentCpu = phases.startup + phases.requirements + phases.checks + phases.report;
  return { phases, childrenCpuMs: round(totalCpuMs - agentCpu), wallMs: med(runs.map((r) => r.wall)), totalCpuMs };
}

function perCheckTable(): { id: string; status: string; durationMs: number }[] {
  const [file, argv] = cmd(false, LIVE_RUN);
  const r = spawnSync(file, argv, { encoding: 'utf8' });
  const report = JSON.parse(r.stdout) as { checks: { id: string; status: string; durationMs: number }[] };
  return report.checks.map((c) => ({ id: c.id, status: c.status, durationMs: c.durationMs })).sort((a, b) => b.durationMs - a.durationMs);
}

async function main() {
  for (const f of [BUNDLE, SEA]) if (!existsSync(f)) throw new Error(`${f} is missing: run npm run build && npm run build:sea`);
  const machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.release()}, node ${process.version}`;
  console.error(`batch-preflight bench: ${RUNS} runs each on ${machine}`);
  const fullBundle = time(false, LIVE_RUN);
  const fullSea = time(true, LIVE_RUN);
  const serialBundle = time(false, [...LIVE_RUN, '--concurrency', '1']);
  const slow = slowProbeScenario();
  const versionBundle = time(false, ['--version']);
  // Node's own start, to tell the bundle's load time apart from it.
  const nodeBare = stats(Array.from({ length: RUNS }, () => {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    return performance.now() - t0;
  }));
  const versionSea = time(true, ['--version']);
  const rssBundle = await peakRss(false, LIVE_RUN);
  const rssSea = await peakRss(true, LIVE_RUN);
  const perCheck = perCheckTable();
  const cpu = cpuByPhase();
  const vsShell = gpuNodeVsShell();
  const results = {
    machine,
    date: new Date().toISOString(),
    runs: RUNS,
    fullRun: { bundle: fullBundle, sea: fullSea, seaOverBundle: round(fullSea.median / fullBundle.median) },
    concurrency1: { bundle: serialBundle, defaultOverSerial: round(fullBundle.median / serialBundle.median) },
    slowProbes200ms: slow,
    version: { bundle: versionBundle, sea: versionSea, nodeBare, bundleLoadMs: round(versionBundle.median - nodeBare.median) },
    peakRssMB: { bundle: rssBundle, sea: rssSea },
    sizeBytes: { bundle: statSync(BUNDLE).size, sea: statSync(SEA).size },
    cpuByPhaseSea: cpu,
    gpuNodeVsShell: vsShell,
    perCheck,
  };
  writeFileSync(path.join(REPO, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
  const row = (name: string, s: Stats | string, target: string) =>
    console.log(`${name.padEnd(44)} ${(typeof s === 'string' ? s : `min ${s.min} ms, median ${s.median} ms`).padEnd(34)} ${target}`);
  console.log(`\n${'measurement'.padEnd(44)} ${'result'.padEnd(34)} target`);
  row('1. full live run, all features (bundle)', fullBundle, 'median < 400 ms');
  row('1. full live run, all features (SEA)', fullSea, `within 10% of bundle (ratio ${results.fullRun.seaOverBundle})`);
  row('2. same, --concurrency 1 (bundle)', serialBundle, `default <= 0.6 x this (ratio ${results.concurrency1.defaultOverSerial})`);
  row('3. three 200 ms probes (sandbox, bundle)', 'wall' in slow ? slow.wall : `skipped: ${slow.skipped}`, 'median < 300 ms');
  if ('serialWall' in slow) row('3. same, --concurrency 1', slow.serialWall, `default/serial ${round(slow.wall.median / slow.serialWall.median)}`);
  row('4. --version (bundle)', versionBundle, '< 100 ms');
  row('4. --version (SEA)', versionSea, '< 100 ms');
  row('4. bundle load (--version minus node -e 0)', `${results.version.bundleLoadMs} ms (node alone: median ${nodeBare.median} ms)`, '');
  row('5. peak RSS, full run (bundle / SEA)', `${rssBundle} MB / ${rssSea} MB`, '< 100 MB');
  row('5. size (bundle / SEA)', `${(results.sizeBytes.bundle / 1024).toFixed(0)} KiB / ${(results.sizeBytes.sea / 2 ** 20).toFixed(1)} MiB`, 'bundle < 2 MB');
  console.log('\n6. per-check duration of one live run (ms):');
  for (const c of perCheck) console.log(`   ${c.id.padEnd(26)} ${String(c.durationMs).padStart(5)}  ${c.status}`);
  const p = cpu.phases;
  console.log(`\n7. CPU ms by phase, full run (SEA, medians): start-up ${p.startup}, requirements ${p.requirements}, checks ${p.checks}, report ${p.report}; child processes ${cpu.childrenCpuMs}; total ${cpu.totalCpuMs} for ${cpu.wallMs} ms wall`);
  if ('skipped' in vsShell) console.log(`\n8. simulated GPU/RDMA node, agent vs sequential shell: skipped: ${vsShell.skipped}`);
  else console.log(`\n8. simulated GPU/RDMA node (ND H100 v5 sysfs, stub nvidia-smi/ibv_devinfo): agent (SEA) median ${vsShell.agent.median} ms, a shell running only its ${vsShell.commands.length} commands in turn (nothing read or parsed: a lower bound) median ${vsShell.shell.median} ms: ratio ${vsShell.ratio} (goal <= 0.4)`);
  console.log('\nwritten to bench/results.json');
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
