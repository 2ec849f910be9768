// The kinds of declarative site check. Each validates its YAML value once at load time and
// returns the function that judges the host through ctx.host, like a built-in check.
import type { CheckContext, CheckResult } from '../types';
import { error, fail, pass, unreadable } from '../check-helpers';
import { listeningTcp } from '../probes/listening';
import { unitFile } from '../probes/unit-files';
import { FsError } from '../host/rootfs';
import { mounts } from '../probes/mounts';
import { mountAt } from '../parsers/mounts';
import { parseProcModules } from '../parsers/proc-modules';
import { ParseError } from '../parsers/parse-error';
import { matchWithin } from './bounded-match';

export type Judge = (ctx: CheckContext) => Promise<CheckResult>;

export interface KindSpec {
  /** Needs the running host; skipped offline and in containers. */
  live: boolean;
  /** Validates the YAML value (throws Error with what was expected) and returns the judge. */
  parse(value: unknown): Judge;
  describe(value: unknown): string;
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`expected a mapping: ${what}`);
  return v as Record<string, unknown>;
}

function regex(v: unknown, key: string): RegExp | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new Error(`${key}: expected a regular expression as a string`);
  try {
    return new RegExp(v, 'm');
  } catch (err) {
    throw new Error(`${key}: not a valid regular expression: ${(err as Error).message}`);
  }
}

function absPath(v: unknown, key: string): string {
  if (typeof v !== 'string' || !v.startsWith('/')) throw new Error(`${key}: expected an absolute path`);
  return v;
}

const command: KindSpec = {
  live: false,
  describe: (v) => `runs ${((v as { run?: string[] }).run ?? []).join(' ')}`,
  parse(value) {
    const v = obj(value, '{ run: [cmd, args...], exitCode: 0, match: regex }');
    const run = v.run;
    if (!Array.isArray(run) || run.length === 0 || run.some((a) => typeof a !== 'string')) throw new Error('run: expected a list of strings (the command and its arguments; no shell)');
    const exitCode = v.exitCode ?? 0;
    if (!Number.isInteger(exitCode)) throw new Error('exitCode: expected a whole number');
    const match = regex(v.match, 'match');
    const [cmd, ...args] = run as string[];
    return async ({ host, signal }) => {
      if (!host.canExec) {
        const found = await host.which(cmd!);
        return found ? pass(`${cmd} is installed (not run: offline root)`, { path: found }) : fail(`${cmd} is not installed`, `Install ${cmd}.`);
      }
      const r = await host.exec(cmd!, args);
      const evidence = { command: run, outcome: r.outcome, exitCode: r.exitCode, output: (r.stdout + r.stderr).slice(0, 500) };
      if (r.outcome === 'not-found') return fail(`${cmd} is not installed`, `Install ${cmd}.`, evidence);
      if (r.outcome !== 'exited') return error(r.summary, evidence);
      if (r.exitCode !== exitCode) return fail(`${run.join(' ')} exited with ${r.exitCode}, expected ${exitCode}`, `Run \`${run.join(' ')}\` and fix what it reports.`, evidence);
      if (match) {
        const matched = await matchWithin(match, r.stdout + r.stderr, signal);
        if (!matched.done) return error(matched.why, evidence);
        if (matched.match === null) return fail(`the output of ${run.join(' ')} does not match /${match.source}/`, `Run \`${run.join(' ')}\` and check its output.`, evidence);
      }
      return pass(`${run.join(' ')} exited with ${exitCode}${match ? ` and matched /${match.source}/` : ''}`, evidence);
    };
  },
};

const file: KindSpec = {
  live: false,
  describe: (v) => `looks at ${(v as { path?: string }).path}`,
  parse(value) {
    const v = typeof value === 'string' ? { path: value } : obj(value, '{ path: /abs/path, contains: regex }');
    const p = absPath(v.path, 'path');
    const contains = regex(v.contains, 'contains');
    return async ({ host, signal }) => {
      try {
        if (!contains) {
          const info = await host.fs.statIfExists(p);
          return info ? pass(`${p} exists (${info.kind})`, { path: p, kind: info.kind }) : fail(`${p} does not exist`, `Create ${p}.`, { path: p });
        }
        const text = await host.fs.readTextIfExists(p);
        if (text === null) return fail(`${p} does not exist`, `Create ${p}.`, { path: p });
        const m = await matchWithin(contains, text, signal);
        if (!m.done) return error(m.why, { path: p });
        return m.match !== null ? pass(`${p} contains /${contains.source}/`, { path: p, match: m.match.slice(0, 200) }) : fail(`${p} does not contain /${contains.source}/`, `Edit ${p}.`, { path: p });
      } catch (err) {
        if (err instanceof FsError) return unreadable(err);
        throw err;
      }
    };
  },
};

const port: KindSpec = {
  live: true,
  describe: (v) => `TCP port ${String(v)} listening`,
  parse(value) {
    const n = typeof value === 'object' && value !== null ? (value as { tcp?: unknown }).tcp : value;
    if (!Number.isInteger(n) || (n as number) < 1 || (n as number) > 65535) throw new Error('expected a TCP port number (1-65535) or { tcp: N }');
    return async ({ host }) => {
      const l = await listeningTcp(host);
      if (!l.ok) return error(`could not read the listening sockets: ${l.reason}`);
      const on = l.sockets.filter((s) => s.localPort === n).map((s) => s.localAddress);
      return on.length ? pass(`TCP ${n} is listening on ${on.join(', ')}`, { port: n, addresses: on }) : fail(`nothing listens on TCP ${n}`, `Start the service that should listen on TCP ${n}.`, { port: n });
    };
  },
};

const unit: KindSpec = {
  live: false,
  describe: (v) => `${typeof v === 'string' ? v : (v as { name?: string }).name} enabled at boot`,
  parse(value) {
    const v = typeof value === 'string' ? { name: value } : obj(value, '{ name: unit.service, enabled: true }');
    if (typeof v.name !== 'string' || !/^[\w@:.\\-]+\.(service|socket|timer|mount|target|path)$/.test(v.name)) throw new Error('name: expected a unit name such as munge.service');
    const want = v.enabled ?? true;
    if (typeof want !== 'boolean') throw new Error('enabled: expected true or false');
    const name = v.name;
    return async ({ host }) => {
      let info;
      try {
        info = await unitFile(host, name);
      } catch (err) {
        return unreadable(err);
      }
      const evidence = { unit: name, state: info.state, file: info.file, enabledBy: info.enabledBy };
      if (info.state === 'not-found') return fail(`${name} is not installed (no unit file)`, `Install the package that provides ${name}.`, evidence);
      const enabled = info.state === 'enabled';
      if (enabled === want) return pass(`${name} is ${info.state}`, evidence);
      return fail(`${name} is ${info.state}, expected ${want ? 'enabled' : 'not enabled'} at boot`, `systemctl ${want ? 'enable' : 'disable'} ${name}`, evidence);
    };
  },
};

const module: KindSpec = {
  live: true,
  describe: (v) => `kernel module ${String(v)} loaded`,
  parse(value) {
    if (typeof value !== 'string' || !/^[\w-]+$/.test(value)) throw new Error('expected a kernel module name such as nvidia_peermem');
    const name = value.replace(/-/g, '_');
    return async ({ host }) => {
      let loaded;
      try {
        loaded = parseProcModules(await host.fs.readText('/proc/modules')).find((m) => m.name === name);
      } catch (err) {
        if (err instanceof ParseError) return error(`/proc/modules is not in the expected format: ${err.message}`);
        if (!(err instanceof FsError && err.reason === 'missing')) return unreadable(err);
      }
      if (loaded) return pass(`kernel module ${name} is loaded (${loaded.state})`, { module: name, state: loaded.state });
      // Built-in modules are not in /proc/modules but most appear under /sys/module.
      if (await host.fs.exists(`/sys/module/${name}`).catch(() => false)) return pass(`kernel module ${name} is present in /sys/module (built in or loaded)`, { module: name });
      return fail(`kernel module ${name} is not loaded`, `modprobe ${name}, and list it in /etc/modules-load.d/ so it loads at boot.`, { module: name });
    };
  },
};

const mount: KindSpec = {
  live: true,
  describe: (v) => `a file system mounted at ${(v as { path?: string }).path ?? String(v)}`,
  parse(value) {
    const v = typeof value === 'string' ? { path: value } : obj(value, '{ path: /mount/point, fstype: nfs4 }');
    const at = absPath(v.path, 'path');
    if (v.fstype !== undefined && (typeof v.fstype !== 'string' || !v.fstype)) throw new Error('fstype: expected a file system type such as nfs4');
    const fstype = v.fstype as string | undefined;
    return async ({ host }) => {
      const m = await mounts(host);
      if (!m.ok) return error(`could not read the mount table: ${m.reason}`);
      const entry = mountAt(m.mounts, at);
      if (!entry) return fail(`nothing is mounted at ${at}`, `Mount it (and add it to /etc/fstab or a mount unit so it survives a reboot).`, { path: at });
      const evidence = { path: at, device: entry.device, fsType: entry.fsType, options: entry.options };
      if (fstype && entry.fsType !== fstype) return fail(`${at} is mounted as ${entry.fsType}, expected ${fstype}`, `Mount ${at} as ${fstype}.`, evidence);
      return pass(`${entry.device} is mounted at ${at} (${entry.fsType})`, evidence);
    };
  },
};

export const KINDS = { command, file, port, unit, module, mount } as const satisfies Record<string, KindSpec>;
export type CustomKind = keyof typeof KINDS;
