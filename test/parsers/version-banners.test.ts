import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { parseCifsUtilsVersion, parseGlusterVersion, parseNfsUtilsVersion, parsePythonVersion, parseSingularityVersion } from '../../src/parsers/version-banners';
import { ParseError } from '../../src/parsers/parse-error';
import { FIXTURES } from '../helpers/host';

const out = (p: string) => readFileSync(path.join(FIXTURES, 'outputs', p), 'utf8');

describe('version banners', () => {
  it('read recorded outputs', () => {
    expect(parseNfsUtilsVersion(out('mount.nfs4/V-debian12.txt'))).toBe('2.6.2');
    expect(parseGlusterVersion(out('glusterfs/V-debian12.txt'))).toBe('10.3');
    expect(parseGlusterVersion(out('gluster/version-debian12.txt'))).toBe('10.3');
    expect(parseCifsUtilsVersion(out('mount.cifs/V-debian12.txt'))).toBe('7.0');
    expect(parsePythonVersion(out('python/version-2.7-stderr.txt'))).toEqual({ major: 2, version: '2.7.18' });
    expect(parsePythonVersion(out('python/version-3.12.txt'))).toEqual({ major: 3, version: '3.12.3' });
    expect(parseSingularityVersion(out('singularity/apptainer-1.3.txt'))).toEqual({ flavour: 'apptainer', version: '1.3.1' });
    expect(parseSingularityVersion(out('singularity/singularity-ce-4.1.txt'))).toEqual({ flavour: 'singularity-ce', version: '4.1.2-jammy' });
    expect(parseSingularityVersion(out('singularity/singularity-2.6.txt'))).toEqual({ flavour: 'singularity', version: '2.6.1-dist' });
  });

  it('reject other text with ParseError', () => {
    expect(() => parseNfsUtilsVersion('usage: mount.nfs4 remotetarget dir')).toThrow(ParseError);
    expect(() => parsePythonVersion('Segmentation fault')).toThrow(ParseError);
    expect(() => parseGlusterVersion('')).toThrow(ParseError);
  });

  it('throw nothing but ParseError on any input', () => {
    const parsers = [parseNfsUtilsVersion, parseGlusterVersion, parseCifsUtilsVersion, parsePythonVersion, parseSingularityVersion];
    holds(
      fc.property(fc.string({ maxLength: 100 }), fc.constantFrom(...parsers), (text, parse) => {
        try {
          parse(text);
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('read back generated Python versions', () => {
    holds(
      fc.property(fc.nat(9), fc.nat(20), fc.nat(30), (a, b, c) => {
        expect(parsePythonVersion(`Python ${a}.${b}.${c}\n`)).toEqual({ major: a, version: `${a}.${b}.${c}` });
      }),
    );
  });
});
