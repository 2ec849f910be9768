import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { globComponent, parseSshdConfig } from '../../src/parsers/sshd-config';
import { ParseError } from '../../src/parsers/parse-error';

describe('parseSshdConfig', () => {
  it('reads keywords case-insensitively, with spaces or = between keyword and value', () => {
    const d = parseSshdConfig('# comment\nPermitRootLogin no\npermitrootlogin=yes\n  Port   22 # trailing\nAcceptEnv LANG "LC_ALL X"\n');
    expect(d.map((x) => [x.keyword, x.args, x.line])).toEqual([
      ['permitrootlogin', ['no'], 2],
      ['permitrootlogin', ['yes'], 3],
      ['port', ['22'], 4],
      ['acceptenv', ['LANG', 'LC_ALL X'], 5],
    ]);
  });

  it('marks everything after a Match line as conditional', () => {
    const d = parseSshdConfig('PermitRootLogin yes\nMatch User bob\n  PermitRootLogin no\n');
    expect(d.map((x) => x.inMatch)).toEqual([false, true, true]);
  });

  it('rejects an unterminated quote and a line that is not a directive', () => {
    expect(() => parseSshdConfig('AcceptEnv "LANG\n')).toThrow(/line 1/);
    expect(() => parseSshdConfig('ok yes\n=broken\n')).toThrow(ParseError);
  });

  it('throws nothing but ParseError on any input', () => {
    holds(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          parseSshdConfig(text);
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the value of a generated directive among generated noise', () => {
    const kw = fc.constantFrom('PermitRootLogin', 'permitrootlogin', 'PERMITROOTLOGIN');
    const value = fc.constantFrom('yes', 'no', 'prohibit-password', 'forced-commands-only');
    const sep = fc.constantFrom(' ', '\t', '=', ' = ', '  ');
    holds(
      fc.property(kw, sep, value, fc.array(fc.constantFrom('# x', '', 'Port 22', 'UsePAM yes'), { maxLength: 5 }), (k, s, v, noise) => {
        const d = parseSshdConfig([...noise, `${k}${s}${v}`].join('\n'));
        expect(d.find((x) => x.keyword === 'permitrootlogin')?.args).toEqual([v]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('globComponent', () => {
  it('matches like glob(3): *, ?, classes, no leading dot', () => {
    const re = globComponent('*.conf');
    expect(re.test('50-cloud.conf')).toBe(true);
    expect(re.test('.hidden.conf')).toBe(false);
    expect(re.test('x.conf.bak')).toBe(false);
    expect(globComponent('0?-[a-c]*').test('01-b.conf')).toBe(true);
    expect(globComponent('[!a]x').test('bx')).toBe(true);
  });

  it('throws nothing but ParseError for any pattern', () => {
    holds(
      fc.property(fc.string({ maxLength: 30 }), (p) => {
        try {
          globComponent(p);
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
