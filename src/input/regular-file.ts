// An input file named on the command line is opened once and judged by what that descriptor is,
// not by its name: a FIFO, a device (/dev/zero) or a directory is refused at once instead of
// blocking or reading forever, the size cap is applied from fstat before reading, and reading stops
// at the cap even if the file grows meanwhile. Every problem is a UsageError `FLAG FILE: why`.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { UsageError } from '../errors';

export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

export function openProblem(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'is a symbolic link';
    case 'ENXIO':
      return 'is not a regular file (a socket)';
    default:
      return `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`;
  }
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a plain file';
}

export interface OpenedFile {
  fd: number;
  stat: Stats;
}

/**
 * Opens `file` for reading without blocking (a FIFO opens at once) and refuses anything but a
 * regular file within `maxBytes`. With `follow: false` a symbolic link as the last component is
 * refused. `opts.at` is the path to open when it differs from the name shown. The caller closes
 * the descriptor.
 */
export function openRegular(flag: string, file: string, what: string, opts: { maxBytes: number; follow: boolean; at?: string }): OpenedFile {
  let fd: number;
  try {
    fd = openSync(opts.at ?? file, constants.O_RDONLY | constants.O_NONBLOCK | (opts.follow ? 0 : constants.O_NOFOLLOW));
  } catch (err) {
    throw new UsageError(`${flag} ${file}: ${openProblem(err)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UsageError(`${flag} ${file}: is a directory, not a file`);
    if (!stat.isFile()) throw new UsageError(`${flag} ${file}: is not a regular file (${kindOf(stat)})`);
    if (stat.size > opts.maxBytes) throw tooLarge(flag, file, what, opts.maxBytes);
    return { fd, stat };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

function tooLarge(flag: string, file: string, what: string, maxBytes: number): UsageError {
  return new UsageError(`${flag} ${file}: larger than ${maxBytes / 1024 / 1024} MiB; not ${what}`);
}

/** Reads at most `maxBytes` through `fd`; null when there is more (the file grew past the cap). */
export function readCapped(fd: number, maxBytes: number): Buffer | null {
  const buf = Buffer.alloc(Math.min(maxBytes + 1, 64 * 1024));
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const n = readSync(fd, buf, 0, Math.min(buf.length, maxBytes + 1 - total), null);
    if (n === 0) return Buffer.concat(chunks, total);
    chunks.push(Buffer.from(buf.subarray(0, n)));
    total += n;
    if (total > maxBytes) return null;
  }
}

/** Reads the text through a descriptor from openRegular, and closes it. */
export function readOpened(flag: string, file: string, what: string, fd: number, maxBytes: number): string {
  try {
    const buf = readCapped(fd, maxBytes);
    if (buf === null) throw tooLarge(flag, file, what, maxBytes);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The text of a regular input file (symbolic links followed), within MAX_INPUT_BYTES. */
export function readRegularFile(flag: string, file: string, what: string): string {
  const { fd } = openRegular(flag, file, what, { maxBytes: MAX_INPUT_BYTES, follow: true });
  return readOpened(flag, file, what, fd, MAX_INPUT_BYTES);
}
