// Finding and reading many reports: directories are walked for *.json, files are read a bounded
// number at a time, and each report is reduced to its digest as soon as it is parsed.
import { constants } from 'node:fs';
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { readHandleCapped } from '../host/rootfs';
import path from 'node:path';
import { digestReport, unreadable, type NodeDigest } from './digest';
import { messageOf } from '../errors';

/** Reports are a few KiB; anything this large is not one, and is not read into memory. */
export const MAX_REPORT_BYTES = 16 * 1024 * 1024;
export const READ_CONCURRENCY = 32;

export type Source = { kind: 'file'; path: string } | { kind: 'missing'; path: string; reason: string };

const errText = (err: unknown) => (err as NodeJS.ErrnoException)?.code ?? messageOf(err);

/**
 * Expands the arguments: a file is taken as given (whatever its name), a directory yields every
 * *.json below it, anything else is a missing source. Below an argument, symbolic links to files
 * are followed and links to directories are not (as `find` does), so a link loop cannot trap us.
 */
export async function* findSources(args: readonly string[]): AsyncGenerator<Source> {
  async function* walk(dir: string): AsyncGenerator<Source> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      yield { kind: 'missing', path: dir, reason: `cannot list directory (${errText(err)})` };
      return;
    }
    // Sorted so that the order of files (and which duplicate comes first) does not depend on the disk.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) yield* walk(p);
      else if (!e.name.endsWith('.json')) continue;
      else if (e.isFile()) yield { kind: 'file', path: p };
      else if (e.isSymbolicLink() && (await stat(p).catch(() => null))?.isFile()) yield { kind: 'file', path: p };
    }
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
  // One open, one fstat, one read: the cheapest way through the thread pool for small files.
  let handle: FileHandle | undefined;
  try {
    // Other nodes' reports are hostile input: a FIFO must not block the open, and a file that
    // grows after the fstat is read only up to the bound.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = await handle.stat();
    if (!st.isFile()) return unreadable(file, 'not a regular file');
    if (st.size > MAX_REPORT_BYTES) return unreadable(file, `too large to be a report (${st.size} bytes)`);
    const data = await readHandleCapped(handle, MAX_REPORT_BYTES + 1);
    if (data.length > MAX_REPORT_BYTES) return unreadable(file, `too large to be a report (over ${MAX_REPORT_BYTES} bytes)`);
    text = data.toString('utf8');
  } catch (err) {
    return unreadable(file, `cannot be read (${errText(err)})`);
  } finally {
    await handle?.close();
  }
  if (text.trim() === '') return unreadable(file, 'empty file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return unreadable(file, `not valid JSON (${messageOf(err)})`);
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
