// Docker Engine version strings in every scheme seen in the wild: API answers (`20.10.24+dfsg1`),
// binaries (`Docker version 24.0.7, build afdd53b`), and package versions with dpkg/rpm epochs and
// revisions (`5:24.0.7-1~ubuntu.22.04~jammy`, `1:20.10.24+dfsg1-1+b3`, `3:19.03.15-3.el7`), moby
// builds (`20.10.25+azure-2`) and the old `17.03.2-ce` and `1.13.1` schemes.
import { ParseError } from './parse-error';

export interface DockerVersion {
  /** The text as given (trimmed). */
  raw: string;
  major: number;
  minor: number;
  patch: number;
  /** What followed the numbers (`+dfsg1-1+b3`, `-ce`), without the epoch. */
  suffix: string;
}

const VERSION = /^(?:(\d+):)?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?([-+~][0-9A-Za-z.+~:_-]*)?$/;

/** Parses one version string; throws ParseError when it is not a Docker version. */
export function parseDockerVersion(text: string): DockerVersion {
  const raw = text.trim();
  const m = VERSION.exec(raw);
  if (!m) throw new ParseError('not a Docker version');
  return { raw, major: Number(m[2]), minor: Number(m[3]), patch: m[4] === undefined ? 0 : Number(m[4]), suffix: m[5] ?? '' };
}

/** The version printed by `dockerd --version` or `docker --version`: `Docker version 24.0.7, build afdd53b`. */
export function parseDockerBinaryVersion(output: string): DockerVersion {
  const m = /^Docker version (\S+?),?(?:\s+build\s+\S+)?\s*$/m.exec(output);
  if (!m) throw new ParseError('no "Docker version X" line');
  return parseDockerVersion(m[1]!);
}

/** Negative, zero or positive as `v` is older than, equal to or newer than major.minor. */
export function compareDockerVersion(v: DockerVersion, major: number, minor: number): number {
  return v.major !== major ? v.major - major : v.minor - minor;
}

/**
 * The release line that client/server compatibility follows: year.month up to 20.10
 * (`18.09`, `19.03`), the first number from 23.0 on (`24`, `28`).
 */
export function releaseLine(v: DockerVersion): string {
  return v.major >= 23 ? String(v.major) : `${v.major}.${String(v.minor).padStart(2, '0')}`;
}

/** `major.minor.patch` with the minor as Docker writes it (`19.03.5`). */
export function shortVersion(v: DockerVersion): string {
  return `${v.major}.${v.major >= 23 ? v.minor : String(v.minor).padStart(2, '0')}.${v.patch}`;
}
