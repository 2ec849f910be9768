// Finding and reading many reports: directories are walked for *.json, files are read a bounded
// number at a time, and each report is reduced to its digest as soon as it is parsed.
// Run as root over directories every task user can write (the shared directories of a fleet), so
// nothing below an argument is reached through a symbolic link: each directory is opened through
// the one held before it (/proc/self/fd/N, Node's openat) with O_NOFOLLOW, each report likewise,
// and the report is judged by fstat of that descriptor. A link planted at a report's name (to
// /etc/shadow) is refused without being opened, and no error ever quotes a file's bytes.
import { constants } from 'node:fs';
import { open, readdir, type FileHandle } from 'node:fs/promises';
import { readHandleCapped } from '../host/rootfs';
import path from 'node:path';
import { digestReport, unreadable, type NodeDigest } from './digest';
import { messageOf } from '../errors';

/** Reports are a few KiB; anything this large is not one, and is not read into memory. */
export const MAX_REPORT_BYTES = 16 * 1024 * 1024;
export const READ_CONCURRENCY = 32;

/** A report opened (not yet read) by the walk, or a path that yields no report and why. */
export type Source = { kind: 'file'; path: string; handle: FileHandle } | { kind: 'missing'; path: string; reason: string };

const errText = (err: unknown) => (err as NodeJS.ErrnoException)?.code ?? messageOf(err);
// O_NONBLOCK: a FIFO planted as a report opens at once instead of blocking the walk.
const FILE_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;
const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY;

/** Why an open with O_NOFOLLOW failed, in words that say nothing of what a link points to. */
function openReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  // Linux answers ELOOP for a link opened with O_NOFOLLOW, ENOTDIR with O_DIRECTORY as well.
  if (code === 'ELOOP') return 'is a symbolic link (not followed)';
  return `cannot be read (${errText(err)})`;
}

/**
 * Expands the arguments: a file is taken as given (whatever its name), a directory yields every
 * *.json below it, anything else is a missing source. An argument is opened as the caller wrote
 * it, except that a file argument that is itself a link is refused; below a directory argument,
 * no link is followed (a .json link is listed as refused, other links are skipped).
 */
export async function* findSources(args: readonly string[]): AsyncGenerator<Source> {
  async function* walk(dir: FileHandle, shown: string): AsyncGenerator<Source> {
    const at = (name: string) => `/proc/self/fd/${dir.fd}/${name}`;
    let entries;
    try {
      entries = await readdir(at('.'), { withFileTypes: true });
    } catch (err) {
      yield { kind: 'missing', path: shown, reason: `cannot list directory (${errText(err)})` };
      return;
    }
    // Sorted so that the order of files (and which duplicate comes first) does not depend on the disk.
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(shown, e.name);
      if (e.isDirectory()) {
        const sub = await open(at(e.name), DIR_FLAGS | constants.O_NOFOLLOW).catch(() => null);
        // Swapped for a link (or removed) since the listing: not followed.
        if (!sub) continue;
        try {
          yield* walk(sub, p);
        } finally {
          await sub.close();
        }
      } else if (!e.name.endsWith('.json')) continue;
      else if (e.isSymbolicLink()) yield { kind: 'missing', path: p, reason: 'is a symbolic link (not followed)' };
      else yield await openFile(at(e.name), p);
    }
  }
  for (const arg of args) {
    const dir = await open(arg, DIR_FLAGS).catch((err: unknown) => err as NodeJS.ErrnoException);
    if (!(dir instanceof Error)) {
      try {
        yield* walk(dir, arg);
      } finally {
        await dir.close();
      }
    } else if (dir.code === 'ENOENT') yield { kind: 'missing', path: arg, reason: 'does not exist' };
    else yield await openFile(arg, arg);
  }
}

async function openFile(at: string, shown: string): Promise<Source> {
  try {
    return { kind: 'file', path: shown, handle: await open(at, FILE_FLAGS) };
  } catch (err) {
    return { kind: 'missing', path: shown, reason: openReason(err) };
  }
}

/**
 * Why JSON.parse failed, without its message: V8 quotes the start of the text ("root:$y$j9T..." is
 * not valid JSON), which would put a file's first bytes (a secret's) in the summary. Only the
 * position it names, if any, is kept.
 */
export function jsonProblem(err: unknown): string {
  const at = /at position (\d+)/.exec(messageOf(err));
  return at ? `not valid JSON (error at byte ${at[1]})` : 'not valid JSON';
}

/** Reads and digests one report through the descriptor the walk opened; closes it. */
export async function readOpenedReport(file: string, handle: FileHandle): Promise<NodeDigest> {
  let text: string;
  let uid: number;
  try {
    const st = await handle.stat();
    if (!st.isFile()) return unreadable(file, 'not a regular file');
    // A hard link to another user's file (or root's) would lend it that owner.
    if (st.nlink !== 1) return unreadable(file, `has ${st.nlink} hard links; not read`);
    if (st.size > MAX_REPORT_BYTES) return unreadable(file, `too large to be a report (${st.size} bytes)`);
    const data = await readHandleCapped(handle, MAX_REPORT_BYTES + 1);
    if (data.length > MAX_REPORT_BYTES) return unreadable(file, `too large to be a report (over ${MAX_REPORT_BYTES} bytes)`);
    text = data.toString('utf8');
    uid = st.uid;
  } catch (err) {
    return unreadable(file, `cannot be read (${errText(err)})`);
  } finally {
    await handle.close();
  }
  if (text.trim() === '') return unreadable(file, 'empty file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return unreadable(file, jsonProblem(err));
  }
  return { ...digestReport(file, json), owner: uid };
}

/** Reads and digests the report at `file` (a link there is refused); every failure becomes a digest with the reason. */
export async function readReport(file: string): Promise<NodeDigest> {
  const s = await openFile(file, file);
  return s.kind === 'file' ? readOpenedReport(s.path, s.handle) : unreadable(s.path, s.reason);
}

/**
 * Reads every source with at most `concurrency` files open at once and hands each digest to
 * `onDigest` as it arrives.
 */
export async function readAll(args: readonly string[], onDigest: (d: NodeDigest) => void, concurrency = READ_CONCURRENCY): Promise<void> {
  const sources = findSources(args);
  // The generator is shared by the workers: each pulls the next source when it is free, so at
  // most `concurrency` reports are open at once.
  const worker = async () => {
    for (;;) {
      const next = await sources.next();
      if (next.done) return;
      const s = next.value;
      onDigest(s.kind === 'file' ? await readOpenedReport(s.path, s.handle) : unreadable(s.path, s.reason));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
