// Finding and reading many reports: directories are walked for *.json, files are read a bounded
// number at a time, and each report is reduced to its digest as soon as it is parsed.
import { opendir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { digestReport, unreadable, type NodeDigest } from './digest';

/** Reports are a few KiB; anything this large is not one, and is not read into memory. */
export const MAX_REPORT_BYTES = 16 * 1024 * 1024;
export const READ_CONCURRENCY = 32;

export type Source = { kind: 'file'; path: string } | { kind: 'missing'; path: string; reason: string };

const errText = (err: unknown) => (err as NodeJS.ErrnoException)?.code ?? (err instanceof Error ? err.message : String(err));

/**
 * Expands the arguments: a file is taken as given (whatever its name), a directory yields every
 * *.json below it (symlinked directories followed once), anything else is a missing source.
 */
export async function* findSources(args: readonly string[]): AsyncGenerator<Source> {
  const visited = new Set<string>();
  async function* walk(dir: string): AsyncGenerator<Source> {
    let real: string;
    try {
      real = await realpath(dir);
    } catch (err) {
      yield { kind: 'missing', path: dir, reason: `cannot resolve directory (${errText(err)})` };
      return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    let handle;
    try {
      handle = await opendir(dir);
    } catch (err) {
      yield { kind: 'missing', path: dir, reason: `cannot list directory (${errText(err)})` };
      return;
    }
    const subdirs: string[] = [];
    for await (const e of handle) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) subdirs.push(p);
      else if (e.isFile() && e.name.endsWith('.json')) yield { kind: 'file', path: p };
      else if (e.isSymbolicLink()) {
        const st = await stat(p).catch(() => null);
        if (st?.isDirectory()) subdirs.push(p);
        else if (st?.isFile() && e.name.endsWith('.json')) yield { kind: 'file', path: p };
      }
    }
    // Sorted so that the order of files (and of duplicate names) does not depend on the disk.
    for (const d of subdirs.sort()) yield* walk(d);
  }
  for (const arg of args) {
    const st = await stat(arg).catch((err: unknown) => err as NodeJS.ErrnoException);
    if (st instanceof Error) yield { kind: 'missing', path: arg, reason: st.code === 'ENOENT' ? 'does not exist' : `cannot be read (${errText(st)})` };
    else if (st.isDirectory()) yield* walk(arg);
    else yield { kind: 'file', path: arg };
  }
}

/** Reads and digests one report file; every failure becomes a digest with the reason. */
export async function readReport(file: string): Promise<NodeDigest> {
  let text: string;
  try {
    const st = await stat(file);
    if (!st.isFile()) return unreadable(file, 'not a regular file');
    if (st.size > MAX_REPORT_BYTES) return unreadable(file, `too large to be a report (${st.size} bytes)`);
    text = await readFile(file, 'utf8');
  } catch (err) {
    return unreadable(file, `cannot be read (${errText(err)})`);
  }
  if (text.trim() === '') return unreadable(file, 'empty file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return unreadable(file, `not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return digestReport(file, json);
}

/**
 * Reads every source with at most `concurrency` files open at once and hands each digest to
 * `onDigest` as it arrives.
 */
export async function readAll(args: readonly string[], onDigest: (d: NodeDigest) => void, concurrency = READ_CONCURRENCY): Promise<void> {
  const sources = findSources(args);
  // The generator is shared by the workers: each pulls the next source when it is free.
  const worker = async () => {
    for (;;) {
      const next = await sources.next();
      if (next.done) return;
      const s = next.value;
      onDigest(s.kind === 'file' ? await readReport(s.path) : unreadable(s.path, s.reason));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
