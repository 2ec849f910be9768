import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { parseMpiVersion } from '../../src/parsers/mpi-version';
import { ParseError } from '../../src/parsers/parse-error';
import { FIXTURES } from '../helpers/host';

const recorded = (f: string) => readFileSync(path.join(FIXTURES, 'outputs/mpirun', f), 'utf8');

describe('parseMpiVersion', () => {
  it.each([
    ['openmpi-4.1.4-debian12.txt', 'Open MPI', '4.1.4'],
    ['ompi_info-4.1.4-debian12.txt', 'Open MPI', '4.1.4'],
    ['orterun-4.1.4-debian12.txt', 'Open MPI', '4.1.4'],
    ['mpich-hydra-4.0.2.txt', 'MPICH', '4.0.2'],
    ['mpichversion-4.0.2.txt', 'MPICH', '4.0.2'],
    ['intel-mpi-2021.9.txt', 'Intel MPI', '2021.9'],
  ])('%s -> %s %s', (file, implementation, version) => {
    expect(parseMpiVersion(recorded(file))).toEqual({ implementation, version });
  });

  it('reads Open MPI 5 (prterun), HPC-X and MVAPICH banners', () => {
    expect(parseMpiVersion('prterun (Open MPI) 5.0.3\n')).toEqual({ implementation: 'Open MPI', version: '5.0.3' });
    expect(parseMpiVersion('mpirun (Open MPI) 4.1.5rc2\n')).toEqual({ implementation: 'Open MPI', version: '4.1.5rc2' });
    expect(parseMpiVersion('MVAPICH2 Version:     \t2.3.7\nMVAPICH2 Release date:\tWed March 02 22:00:00 EST 2022\n')).toEqual({ implementation: 'MVAPICH', version: '2.3.7' });
  });

  it('rejects output without a version banner', () => {
    expect(() => parseMpiVersion('mpirun: error while loading shared libraries: libopen-rte.so.40')).toThrow(ParseError);
    expect(() => parseMpiVersion('')).toThrow(ParseError);
  });

  it('throws nothing but ParseError on any input', () => {
    const tokens = ['(Open MPI)', ' ', '4.1', 'HYDRA build details:', '\n', 'Version:', 'MPICH Version:', 'Intel(R) MPI Library', 'x'];
    holds(
      fc.property(fc.oneof(fc.string(), fc.array(fc.constantFrom(...tokens)).map((a) => a.join(''))), (text) => {
        try {
          parseMpiVersion(text);
        } catch (err) {
          expect(err).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
