// Version banners of MPI launchers: `mpirun --version`, `orterun --version` and `ompi_info --version` (Open MPI),
// `mpiexec --version` (MPICH's Hydra), `mpichversion`, and Intel MPI's `mpirun --version`.
import { ParseError } from './parse-error';

export type MpiFamily = 'Open MPI' | 'MPICH' | 'Intel MPI' | 'MVAPICH';

export interface MpiVersion {
  implementation: MpiFamily;
  version: string;
}

const PATTERNS: readonly [RegExp, MpiFamily][] = [
  // "mpirun (Open MPI) 4.1.4", "prterun (Open MPI) 5.0.3", "Open MPI v4.1.4"
  [/\(Open MPI\)\s+v?(\d+(?:\.\d+)*\S*)/, 'Open MPI'],
  // Open MPI 4's launcher run under its real name: "orterun (OpenRTE) 4.1.4" (Debian's mpirun links to orterun)
  [/\(OpenRTE\)\s+v?(\d+(?:\.\d+)*\S*)/, 'Open MPI'],
  [/^Open MPI v?(\d+(?:\.\d+)*\S*)/m, 'Open MPI'],
  // "Intel(R) MPI Library for Linux* OS, Version 2021.9 Build 20230307"
  [/Intel\(R\) MPI Library[^\n]*?Version\s+(\d+(?:\.\d+)*)/, 'Intel MPI'],
  // "MVAPICH2 Version: 2.3.7" (mpichversion of MVAPICH)
  [/MVAPICH\d*\s+Version:\s+(\S+)/i, 'MVAPICH'],
  // "MPICH Version: 4.0.2" (mpichversion)
  [/^MPICH Version:\s+(\S+)/m, 'MPICH'],
  // Hydra: "HYDRA build details:\n    Version: 4.0.2"
  [/HYDRA build details:[\s\S]*?^\s*Version:\s+(\S+)/m, 'MPICH'],
];

export function parseMpiVersion(text: string): MpiVersion {
  for (const [re, implementation] of PATTERNS) {
    const m = re.exec(text);
    if (m) return { implementation, version: m[1]! };
  }
  throw new ParseError('no MPI version banner found');
}
