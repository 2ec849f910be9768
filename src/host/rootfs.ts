// File access under the inspected root. Every path is resolved one component at a time, as the
// kernel's RESOLVE_IN_ROOT does: an absolute symlink is re-anchored at the root, and a `..` or a
// relative symlink that would climb above the root is refused. Nothing outside the root is read.
//
// An image root may be a tree that a task user can write, who may swap a directory for a symlink
// while the agent reads (between a check of the path and the open that uses it). So no path below
// the root is ever handed to the kernel whole: each directory is held open (O_PATH), the next
// component is opened through /proc/self/fd/<held>/<name> with O_NOFOLLOW (the magic link pins the
// held directory: a swap of any parent cannot redirect the lookup), a symlink is read and resolved
// here, inside the root, and the final file is read, listed or stat'ed through its own descriptor.
// Node has no openat(2); this is its equivalent. Limit: a hard link to a file outside the root is
// the same file (the kernel's fs.protected_hardlinks keeps a user from making one to a file they
// cannot read).
import { existsSync, promises as fsp, constants as fsc, type Stats } from 'node:fs';
import path from 'node:path';

export type FsFailure = 'missing' | 'denied' | 'not-a-file' | 'not-a-directory' | 'loop' | 'escape' | 'timeout' | 'too-large' | 'io';

export class FsError extends Error {
  constructor(
    readonly reason: FsFailure,
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
    this.name = 'FsError';
  }
}

export type FileKind = 'file' | 'directory' | 'socket' | 'char-device' | 'block-device' | 'fifo' | 'other';

export interface FileInfo {
  kind: FileKind;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Path on this machine (root-prefixed). */
  hostPath: string;
}

const MAX_SYMLINKS = 40;
const FS_TIMEOUT_MS = 5000;
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
/** O_PATH (Linux 2.6.39; asm-generic/fcntl.h 010000000, the same on x86-64 and arm64); not in fs.constants. */
const O_PATH = 0o10000000;
const O_NOFOLLOW = fsc.O_NOFOLLOW;

/** The path through which the kernel reaches an open descriptor's file, and where it sits in the root. */
interface Held {
  at: string;
  hostPath: string;
}

function kindOf(st: Stats): FileKind {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'char-device';
  if (st.isBlockDevice()) return 'block-device';
  if (st.isFIFO()) return 'fifo';
  return 'other';
}

function failureOf(err: unknown, p: string): FsError {
  if (err instanceof FsError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new FsError('missing', p, 'does not exist');
    case 'EACCES':
    case 'EPERM':
      return new FsError('denied', p, 'permission denied');
    case 'ENOTDIR':
      return new FsError('missing', p, 'does not exist (a parent is not a directory)');
    case 'EISDIR':
      return new FsError('not-a-file', p, 'is a directory, not a file');
    case 'ELOOP':
      return new FsError('loop', p, 'too many levels of symbolic links');
    default:
      return new FsError('io', p, (err as Error).message ?? String(err));
  }
}

/** A slow file system (stale NFS, hung FUSE) must not hang a check: give up after a while. */
function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FsError('timeout', what, `no answer from the file system within ${FS_TIMEOUT_MS} ms`)), FS_TIMEOUT_MS);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export class RootFs {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The host path for `p` (absolute, as seen inside the root), with every symlink resolved in the root. */
  async resolve(p: string): Promise<string> {
    return withTimeout(
      this.withFile(p, async (f) => f.hostPath),
      p,
    );
  }

  /**
   * Runs `use` on the file `p` names inside the root, reached through `at`. Under `/` nothing can
   * escape, and realpath(3) resolves the symlinks in one call on the thread pool instead of one per
   * component (a full run makes thousands of these); under any other root, see the top of this file.
   */
  private async withFile<T>(p: string, use: (f: Held) => Promise<T>): Promise<T> {
    if (!p.startsWith('/')) throw new FsError('escape', p, 'paths inside the root must be absolute');
    if (this.root === '/') {
      let real: string;
      try {
        real = await fsp.realpath(path.posix.normalize(p));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') throw new FsError('missing', p, 'does not exist');
        throw failureOf(err, p);
      }
      return use({ at: real, hostPath: real });
    }
    // Without /proc every lookup below would fail as "does not exist", which a check could take for an answer.
    if (!existsSync('/proc/self/fd')) throw new FsError('io', p, 'cannot be read safely: /proc is not mounted');
    const held = await fsp.open(this.root, O_PATH | fsc.O_DIRECTORY).catch((err: unknown) => {
      throw failureOf(err, p);
    });
    const stack = [held];
    try {
      const done = await this.walk(p, stack);
      return await use({ at: `/proc/self/fd/${stack.at(-1)!.fd}`, hostPath: path.join(this.root, ...done) });
    } finally {
      await Promise.all(stack.map((h) => h.close().catch(() => undefined)));
    }
  }

  /** Opens each component of `p` below the directory on top of `stack`, pushing each; returns the names. */
  private async walk(p: string, stack: fsp.FileHandle[]): Promise<string[]> {
    const pending = p.split('/').filter((c) => c !== '' && c !== '.');
    const done: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift()!;
      if (part === '..') {
        if (stack.length === 1) throw new FsError('escape', p, `climbs above the inspected root ${this.root}`);
        await stack.pop()!.close();
        done.pop();
        continue;
      }
      const at = `/proc/self/fd/${stack.at(-1)!.fd}/${part}`;
      let fh: fsp.FileHandle;
      let st: Stats;
      try {
        fh = await fsp.open(at, O_PATH | O_NOFOLLOW);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') throw new FsError('missing', p, 'does not exist');
        throw failureOf(err, p);
      }
      try {
        st = await fh.stat();
      } catch (err) {
        await fh.close();
        throw failureOf(err, p);
      }
      if (st.isSymbolicLink()) {
        await fh.close();
        if (++hops > MAX_SYMLINKS) throw new FsError('loop', p, 'too many levels of symbolic links');
        let target: string;
        try {
          target = await fsp.readlink(at);
        } catch {
          // Swapped for something else since it was opened: look the name up again.
          pending.unshift(part);
          continue;
        }
        if (target.startsWith('/')) {
          while (stack.length > 1) await stack.pop()!.close();
          done.length = 0;
        }
        pending.unshift(...target.split('/').filter((c) => c !== '' && c !== '.'));
        continue;
      }
      stack.push(fh);
      done.push(part);
      if (pending.length > 0 && !st.isDirectory()) throw new FsError('missing', p, 'does not exist (a parent is not a directory)');
    }
    return done;
  }

  async stat(p: string): Promise<FileInfo> {
    try {
      return await withTimeout(
        this.withFile(p, async (f) => {
          const st = await fsp.stat(f.at);
          return { kind: kindOf(st), mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: st.size, hostPath: f.hostPath };
        }),
        p,
      );
    } catch (err) {
      throw failureOf(err, p);
    }
  }

  /** Stat that answers null for "does not exist" and throws for anything else. */
  async statIfExists(p: string): Promise<FileInfo | null> {
    try {
      return await this.stat(p);
    } catch (err) {
      if (err instanceof FsError && err.reason === 'missing') return null;
      throw err;
    }
  }

  async exists(p: string): Promise<boolean> {
    return (await this.statIfExists(p)) !== null;
  }

  /** Reads a text file (invalid UTF-8 becomes U+FFFD), at most maxBytes of it. */
  async readText(p: string, maxBytes = DEFAULT_MAX_BYTES): Promise<string> {
    try {
      return (await withTimeout(this.withFile(p, (f) => readCapped(f.at, maxBytes)), p)).text;
    } catch (err) {
      throw failureOf(err, p);
    }
  }

  /**
   * Reads a text file whole; one larger than maxBytes is an FsError ('too-large'), never cut short:
   * for files whose end matters as much as their start (a mount table).
   */
  async readWholeText(p: string, maxBytes: number): Promise<string> {
    try {
      const read = await withTimeout(this.withFile(p, (f) => readCapped(f.at, maxBytes + 1)), p);
      if (read.bytes > maxBytes) throw new FsError('too-large', p, `larger than ${maxBytes / 1024 / 1024} MiB; not read`);
      return read.text;
    } catch (err) {
      throw failureOf(err, p);
    }
  }

  /**
   * Reads a record device such as /dev/kmsg, which never ends: each read(2) gives one record, and a
   * non-blocking read past the last one fails with EAGAIN (the end here); EPIPE says records were
   * overwritten before they were read (the next read goes on). A regular file ends at EOF.
   */
  async readRecords(p: string, maxBytes: number): Promise<{ text: string; truncated: boolean; lost: boolean }> {
    try {
      return await withTimeout(this.withFile(p, (f) => readRecordsAt(f.at, maxBytes)), p);
    } catch (err) {
      throw failureOf(err, p);
    }
  }

  /** Reads a text file, or null when it does not exist; other failures throw. */
  async readTextIfExists(p: string, maxBytes?: number): Promise<string | null> {
    try {
      return await this.readText(p, maxBytes);
    } catch (err) {
      if (err instanceof FsError && err.reason === 'missing') return null;
      throw err;
    }
  }

  /** A directory's names sorted by code unit: for ASCII names the C locale's order, the order pam_limits reads limits.d in. */
  async list(dir: string): Promise<string[]> {
    try {
      const names = await withTimeout(
        this.withFile(dir, (f) => fsp.readdir(f.at)),
        dir,
      );
      return names.sort();
    } catch (err) {
      const e = failureOf(err, dir);
      if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new FsError('not-a-directory', dir, 'is not a directory');
      throw e;
    }
  }

  /** Lists a directory, or [] when it does not exist. */
  async listIfExists(dir: string): Promise<string[]> {
    try {
      return await this.list(dir);
    } catch (err) {
      if (err instanceof FsError && err.reason === 'missing') return [];
      throw err;
    }
  }

  /** The target of a symlink, as written (not resolved). */
  async readlink(p: string): Promise<string> {
    try {
      return await withTimeout(
        this.withFile(path.posix.dirname(p), (parent) => fsp.readlink(`${parent.at}/${path.posix.basename(p)}`)),
        p,
      );
    } catch (err) {
      throw failureOf(err, p);
    }
  }

  /** True when the file is a regular file with an execute bit. */
  async isExecutable(p: string): Promise<boolean> {
    const executable = this.withFile(p, async (f) => {
      const st = await fsp.stat(f.at);
      if (!st.isFile() || (st.mode & 0o111) === 0) return false;
      return fsp.access(f.at, fsc.X_OK).then(
        () => true,
        () => false,
      );
    });
    return withTimeout(executable, p).catch(() => false);
  }
}

/** Reads an open file in chunks until EOF or `maxBytes` (/proc and /sys files report size 0). */
export async function readHandleCapped(fh: fsp.FileHandle, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < maxBytes) {
    // Only the bytes read are kept, so the buffer need not be zero-filled first.
    const buf = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes - total));
    const { bytesRead } = await fh.read(buf, 0, buf.length, null);
    if (bytesRead === 0) break;
    chunks.push(buf.subarray(0, bytesRead));
    total += bytesRead;
  }
  return Buffer.concat(chunks, total);
}

async function readCapped(at: string, maxBytes: number): Promise<{ text: string; bytes: number }> {
  const fh = await fsp.open(at, fsc.O_RDONLY | fsc.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const data = await readHandleCapped(fh, maxBytes);
    return { text: new TextDecoder('utf-8', { fatal: false }).decode(data), bytes: data.length };
  } finally {
    await fh.close();
  }
}

async function readRecordsAt(at: string, maxBytes: number): Promise<{ text: string; truncated: boolean; lost: boolean }> {
  const fh = await fsp.open(at, fsc.O_RDONLY | fsc.O_NONBLOCK);
  const chunks: Buffer[] = [];
  let total = 0;
  let lost = false;
  try {
    // A kmsg record is at most about 8 KiB; a smaller buffer fails with EINVAL.
    const buf = Buffer.allocUnsafe(64 * 1024);
    while (total < maxBytes) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await fh.read(buf, 0, buf.length, null));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') break;
        if (code === 'EPIPE') {
          lost = true;
          continue;
        }
        throw err;
      }
      if (bytesRead === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, bytesRead)));
      total += bytesRead;
    }
  } finally {
    await fh.close();
  }
  const data = Buffer.concat(chunks, total);
  return { text: new TextDecoder('utf-8', { fatal: false }).decode(data.subarray(0, maxBytes)), truncated: total >= maxBytes, lost };
}
