import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { compareDockerVersion, parseDockerBinaryVersion, parseDockerVersion, releaseLine, shortVersion } from '../../src/parsers/docker-version';
import { ParseError } from '../../src/parsers/parse-error';

describe('parseDockerVersion', () => {
  it.each([
    ['19.03.5', 19, 3, 5, '', '19.03'],
    ['20.10.24+dfsg1', 20, 10, 24, '+dfsg1', '20.10'],
    ['24.0.7', 24, 0, 7, '', '24'],
    ['28.2.2', 28, 2, 2, '', '28'],
    ['20.10.25+azure-2', 20, 10, 25, '+azure-2', '20.10'],
    ['1:20.10.24+dfsg1-1+b3', 20, 10, 24, '+dfsg1-1+b3', '20.10'],
    ['18.09.7', 18, 9, 7, '', '18.09'],
    ['17.03.2-ce', 17, 3, 2, '-ce', '17.03'],
    ['5:24.0.7-1~ubuntu.22.04~jammy', 24, 0, 7, '-1~ubuntu.22.04~jammy', '24'],
    ['3:19.03.15-3.el7', 19, 3, 15, '-3.el7', '19.03'],
    ['24.0.7-0ubuntu2~22.04.1', 24, 0, 7, '-0ubuntu2~22.04.1', '24'],
    ['1.13.1', 1, 13, 1, '', '1.13'],
    ['23.0', 23, 0, 0, '', '23'],
  ])('%s', (raw, major, minor, patch, suffix, line) => {
    const v = parseDockerVersion(raw);
    expect(v).toMatchObject({ raw, major, minor, patch, suffix });
    expect(releaseLine(v)).toBe(line);
  });

  it.each(['', 'latest', 'v20.10.24', '20', '20.10.24 build 5d6db84', 'Docker version 20.10.24', '20..10', '\u0000'])('rejects %j', (raw) => {
    expect(() => parseDockerVersion(raw)).toThrow(ParseError);
  });

  it('orders releases by major, then minor', () => {
    expect(compareDockerVersion(parseDockerVersion('18.09.7'), 19, 3)).toBeLessThan(0);
    expect(compareDockerVersion(parseDockerVersion('19.03.0'), 19, 3)).toBe(0);
    expect(compareDockerVersion(parseDockerVersion('19.03.15'), 19, 3)).toBe(0);
    expect(compareDockerVersion(parseDockerVersion('20.10.0'), 19, 3)).toBeGreaterThan(0);
    expect(compareDockerVersion(parseDockerVersion('1.13.1'), 19, 3)).toBeLessThan(0);
  });

  it('writes short versions the way Docker does', () => {
    expect(shortVersion(parseDockerVersion('1:19.3.5+x'))).toBe('19.03.5');
    expect(shortVersion(parseDockerVersion('24.0.7-1'))).toBe('24.0.7');
  });

  it('never throws anything but ParseError', () => {
    holds(
      fc.property(fc.string({ maxLength: 60 }), (s) => {
        try {
          const v = parseDockerVersion(s);
          expect(Number.isInteger(v.major) && Number.isInteger(v.minor) && Number.isInteger(v.patch)).toBe(true);
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back any major.minor.patch with an epoch and a revision', () => {
    holds(
      fc.property(
        fc.nat(99),
        fc.nat(99),
        fc.nat(999),
        fc.option(fc.nat(9), { nil: undefined }),
        fc.constantFrom('', '-ce', '+dfsg1', '+dfsg1-1+b3', '-1~ubuntu.22.04~jammy', '+azure-2'),
        (major, minor, patch, epoch, suffix) => {
          const raw = `${epoch === undefined ? '' : `${epoch}:`}${major}.${String(minor).padStart(2, '0')}.${patch}${suffix}`;
          expect(parseDockerVersion(raw)).toMatchObject({ major, minor, patch, suffix });
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('parseDockerBinaryVersion', () => {
  it.each([
    ['Docker version 20.10.24+dfsg1, build 5d6db84\n', '20.10.24+dfsg1'],
    ['Docker version 28.2.2, build e6534b4\n', '28.2.2'],
    ['Docker version 17.03.2-ce, build f5ec1e2\n', '17.03.2-ce'],
    ['Docker version 19.03.5\n', '19.03.5'],
    ['WARNING: something first\nDocker version 24.0.7, build afdd53b\n', '24.0.7'],
  ])('%j', (out, raw) => {
    expect(parseDockerBinaryVersion(out).raw).toBe(raw);
  });

  it.each(['', 'Segmentation fault\n', 'Docker version latest, build x\n', 'podman version 4.9.3\n'])('rejects %j', (out) => {
    expect(() => parseDockerBinaryVersion(out)).toThrow(ParseError);
  });

  it('never throws anything but ParseError', () => {
    holds(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ maxLength: 40 }).map((s) => `Docker version ${s}`)), (s) => {
        try {
          parseDockerBinaryVersion(s);
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
