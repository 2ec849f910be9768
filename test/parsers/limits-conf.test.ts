import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { parseLimitsConf, rootMemlock } from '../../src/parsers/limits-conf';
import { ParseError } from '../../src/parsers/parse-error';

const file = (path: string, text: string) => ({ path, parsed: parseLimitsConf(text) });

describe('parseLimitsConf', () => {
  it('reads entries, strips comments, lower-cases type, item and value', () => {
    const r = parseLimitsConf('# comment\n@hpc  hard  MEMLOCK  Unlimited # trailing\n\nroot - nofile 65536\nbroken line\n');
    expect(r.entries).toEqual([
      { domain: '@hpc', type: 'hard', item: 'memlock', value: 'unlimited', line: 2 },
      { domain: 'root', type: '-', item: 'nofile', value: '65536', line: 4 },
    ]);
    expect(r.skipped).toEqual([5]);
  });

  it('never throws, on any input', () => {
    holds(
      fc.property(fc.string(), (text) => {
        try {
          parseLimitsConf(text);
        } catch (err) {
          expect(err).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('rootMemlock', () => {
  it('applies explicit root lines, with "-" setting both', () => {
    const m = rootMemlock([file('/etc/security/limits.conf', 'root - memlock unlimited\n')], false);
    expect(m.soft?.value).toBe('unlimited');
    expect(m.hard?.line).toBe(1);
  });

  it('ignores * for root where pam_limits does (Debian), and reports it', () => {
    const m = rootMemlock([file('/etc/security/limits.conf', '* soft memlock unlimited\n* hard memlock unlimited\n')], false);
    expect(m.soft).toBeNull();
    expect(m.ignoredWildcards).toHaveLength(2);
  });

  it('applies * where pam_limits does (upstream), but never over a root line', () => {
    const files = [file('/etc/security/limits.conf', 'root soft memlock 64\n'), file('/etc/security/limits.d/90.conf', '* soft memlock unlimited\n* hard memlock unlimited\n')];
    const m = rootMemlock(files, true);
    expect(m.soft).toMatchObject({ value: '64', domain: 'root' });
    expect(m.hard).toMatchObject({ value: 'unlimited', domain: '*' });
  });

  it('lets a later root line win (limits.d after limits.conf)', () => {
    const files = [file('/etc/security/limits.conf', 'root - memlock unlimited\n'), file('/etc/security/limits.d/99-small.conf', 'root hard memlock 1024\n')];
    const m = rootMemlock(files, false);
    expect(m.hard).toMatchObject({ value: '1024', file: '/etc/security/limits.d/99-small.conf' });
    expect(m.soft?.value).toBe('unlimited');
  });

  it('ignores other users, groups and items', () => {
    const m = rootMemlock([file('/x', 'azureuser - memlock unlimited\n@root - memlock unlimited\nroot - nofile unlimited\n')], true);
    expect(m.soft).toBeNull();
    expect(m.hard).toBeNull();
  });
});
