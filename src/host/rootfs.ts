// File access under the inspected root. Every path is resolved one component at a time, as the
// kernel's RESOLVE_IN_ROOT does: an absolute symlink is re-anchored at the root, and a `..` or a
// relative symlink that would climb above the root is refused. Nothing outside the root is read.
import { promises as fsp, constants as fsc, type Stats } from 'node:fs';
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
    return withTimeout(this.resolveInRoot(p), p);
  }

  private async resolveInRoot(p: string): Promise<string> {
    if (!p.startsWith('/')) throw new FsError('escape', p, 'paths inside the root must be absolute');
    // Inside `/` nothing can escape, and realpath(3) resolves the symlinks: one call on the
    // thread pool instead of one per path component (a full run makes thousands of these).
    if (this.root === '/') {
      try {
        return await fsp.realpath(path.posix.normalize(p));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') throw new FsError('missing', p, 'does not exist');
        throw failureOf(err, p);
      }
    }
    const pending = p.split('/').filter((c) => c !== '' && c !== '.');
    const done: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift()!;
      if (part === '..') {
        if (done.length === 0) throw new FsError('escape', p, `climbs above the inspected root ${this.root}`);
        done.pop();
        continue;
      }
      const hostPath = path.join(this.root, ...done, part);
      let st: Stats;
      try {
        st = await fsp.lstat(hostPath);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') throw new FsError('missing', p, 'does not exist');
        throw failureOf(err, p);
      }
      if (!st.isSymbolicLink()) {
        done.push(part);
        continue;
      }
      if (++hops > MAX_SYMLINKS) throw new FsError('loop', p, 'too many levels of symbolic links');
      const target = await fsp.readlink(hostPath);
      const targetParts = target.split('/').filter((c) => c !== '' && c !== '.');
      if (target.startsWith('/')) done.length = 0;
      pending.unshift(...targetParts);
    }
    return path.join(this.root, ...done);
  }

  async stat(p: string): Promise<FileInfo> {
    try {
      const hostPath = await this.resolve(p);
      const st = await withTimeout(fsp.stat(hostPath), p);
      return { kind: kindOf(st), mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, size: st.size, hostPath };
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
      const hostPath = await this.resolve(p);
      return (await withTimeout(readCapped(hostPath, maxBytes), p)).text;
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
      const hostPath = await this.resolve(p);
      const read = await withTimeout(readCapped(hostPath, maxBytes + 1), p);
      if (read.bytes > maxBytes) throw new FsError('too-large', p, `larger than ${maxBytes / 1024 / 1024} MiB; not read`);
      return read.text;
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
      const hostPath = await this.resolve(dir);
      const names = await withTimeout(fsp.readdir(hostPath), dir);
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
      const parent = await this.resolve(path.posix.dirname(p));
      return await withTimeout(fsp.readlink(path.join(parent, path.posix.basename(p))), p);
    } catch (err) {
      throw failureOf(err, p);
    }
  }

  /** True when the file is a regular file with an execute bit. */
  async isExecutable(p: string): Promise<boolean> {
    const info = await this.statIfExists(p).catch(() => null);
    if (!info || info.kind !== 'file') return false;
    if ((info.mode & 0o111) === 0) return false;
    return fsp.access(info.hostPath, fsc.X_OK).then(
      () => true,
      () => false,
    );
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

async function readCapped(hostPath: string, maxBytes: number): Promise<{ text: string; bytes: number }> {
  const fh = await fsp.open(hostPath, fsc.O_RDONLY | fsc.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    const data = await readHandleCapped(fh, maxBytes);
    return { text: new TextDecoder('utf-8', { fatal: false }).decode(data), bytes: data.length };
  } finally {
    await fh.close();
  }
}
