// The one-line version banners storage and runtime tools print with -V / --version.
import { ParseError } from './parse-error';

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
}

function match(text: string, re: RegExp, what: string): string {
  const line = firstLine(text);
  const m = re.exec(line);
  if (!m) throw new ParseError(`not a ${what} version banner`, 1);
  return m[1]!;
}

/** `mount.nfs4 -V`: "mount.nfs4: (linux nfs-utils 2.6.2)". */
export const parseNfsUtilsVersion = (text: string): string => match(text, /^mount\.nfs4?: \(linux nfs-utils (\d+(?:\.\d+)*\S*)\)$/, 'nfs-utils');

/** `glusterfs -V` and `gluster --version`: first line "glusterfs 10.3". */
export const parseGlusterVersion = (text: string): string => match(text, /^glusterfs (\d+(?:\.\d+)*\S*)(?:\s|$)/, 'GlusterFS');

/** `mount.cifs -V`: "mount.cifs version: 7.0". */
export const parseCifsUtilsVersion = (text: string): string => match(text, /^mount\.cifs version: (\d+(?:\.\d+)*\S*)$/, 'cifs-utils');

export interface PythonVersion {
  major: number;
  version: string;
}

/** `python --version`: "Python 2.7.18" (Python 2 prints it on stderr, Python 3 on stdout). */
export function parsePythonVersion(text: string): PythonVersion {
  const version = match(text, /^Python (\d+\.\d+(?:\.\d+)?\S*)$/, 'Python');
  return { major: Number(version.split('.')[0]), version };
}

export interface SingularityVersion {
  flavour: string;
  version: string;
}

/** `singularity --version` / `apptainer --version`: "apptainer version 1.2.5", "singularity-ce version 3.11.4", or a bare "2.6.1-dist". */
export function parseSingularityVersion(text: string): SingularityVersion {
  const line = firstLine(text);
  const m = /^(singularity(?:-ce|-pro)?|apptainer) version (\d+\.\d+\S*)$/.exec(line);
  if (m) return { flavour: m[1]!, version: m[2]! };
  if (/^\d+\.\d+\S*$/.test(line)) return { flavour: 'singularity', version: line };
  throw new ParseError('not a Singularity/Apptainer version banner', 1);
}
