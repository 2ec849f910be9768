// The SSH server's configuration as sshd reads it: /etc/ssh/sshd_config with every Include expanded
// in place (relative paths under /etc/ssh, globs sorted), so that "first value wins" can be applied.
import path from 'node:path';
import type { Host } from '../host/host';
import { globComponent, parseSshdConfig, type SshdDirective } from '../parsers/sshd-config';
import { ParseError } from '../parsers/parse-error';
import { FsError } from '../host/rootfs';
import { messageOf } from '../errors';

export const SSHD_CONFIG = '/etc/ssh/sshd_config';
const MAX_DEPTH = 16;

export interface SshdSetting extends SshdDirective {
  file: string;
}

export type SshdConfigProbe =
  | { ok: true; present: true; directives: SshdSetting[]; files: string[] }
  | { ok: true; present: false }
  | { ok: false; reason: string };

/** Paths inside the root that match an absolute glob, sorted per directory as glob(3) does. */
async function expandGlob(host: Host, pattern: string): Promise<string[]> {
  let bases = ['/'];
  for (const part of pattern.split('/').filter(Boolean)) {
    const next: string[] = [];
    for (const base of bases) {
      if (!/[*?[]/.test(part)) {
        next.push(path.posix.join(base, part));
        continue;
      }
      const re = globComponent(part);
      const names = await host.fs.listIfExists(base).catch((err: unknown) => {
        // A file where the glob expects a directory matches nothing; anything else (denied) must not look like "no files".
        if (err instanceof FsError && err.reason === 'not-a-directory') return [];
        throw err;
      });
      next.push(...names.filter((n) => re.test(n)).map((n) => path.posix.join(base, n)));
    }
    bases = next;
  }
  return bases;
}

async function readConfig(host: Host, file: string, inMatch: boolean, depth: number, files: string[]): Promise<SshdSetting[]> {
  if (depth > MAX_DEPTH) throw new ParseError(`Include nested deeper than ${MAX_DEPTH} levels at ${file}`);
  const text = await host.fs.readText(file);
  files.push(file);
  let parsed: SshdDirective[];
  try {
    parsed = parseSshdConfig(text);
  } catch (err) {
    throw err instanceof ParseError ? new ParseError(`${file} ${err.message}`) : err;
  }
  const out: SshdSetting[] = [];
  for (const d of parsed) {
    const conditional = inMatch || d.inMatch;
    if (d.keyword !== 'include') {
      out.push({ ...d, inMatch: conditional, file });
      continue;
    }
    for (const arg of d.args) {
      const pattern = arg.startsWith('/') ? arg : path.posix.join('/etc/ssh', arg);
      for (const f of await expandGlob(host, pattern)) {
        // A literal path that does not exist is skipped by sshd, like an empty glob.
        if (!(await host.fs.exists(f))) continue;
        out.push(...(await readConfig(host, f, conditional, depth + 1, files)));
      }
    }
  }
  return out;
}

export function sshdConfig(host: Host): Promise<SshdConfigProbe> {
  return host.probe('sshd-config', async () => {
    try {
      if (!(await host.fs.exists(SSHD_CONFIG))) return { ok: true, present: false };
      const files: string[] = [];
      const directives = await readConfig(host, SSHD_CONFIG, false, 0, files);
      return { ok: true, present: true, directives, files };
    } catch (err) {
      return { ok: false, reason: messageOf(err) };
    }
  });
}

/** The value sshd uses for a keyword outside any Match block: the first one it reads. */
export function firstGlobal(directives: readonly SshdSetting[], keyword: string): SshdSetting | undefined {
  const k = keyword.toLowerCase();
  return directives.find((d) => d.keyword === k && !d.inMatch);
}
