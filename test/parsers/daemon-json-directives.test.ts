// moby daemon/config/config.go (configValuesSet, findConfigurationConflicts) at each release tag; the
// key spans in src/data/dockerd-options.ts were read from moby's sources (v19.03.0 .. docker-v29.7.0).
import { describe, expect, it } from 'vitest';
import { conflictingDirectives, directivesOf, engineLine, unknownDirectives } from '../../src/parsers/daemon-json-directives';
import { DAEMON_JSON_KEYS, DOCKERD_LINES, FLAT_KEYS, NAMED_OPTION_OF_FLAG, SKIP_VALIDATE_KEYS } from '../../src/data/dockerd-options';

describe('engineLine', () => {
  it.each([
    [19, 3, { line: '19.03' }],
    [20, 10, { line: '20.10' }],
    [24, 0, { line: '24.0' }],
    [29, 7, { line: '29.7' }],
    [18, 9, { outside: 'older' }],
    [29, 8, { outside: 'newer' }],
    [22, 6, { outside: 'no-such-line' }],
  ])('%i.%i', (major, minor, want) => expect(engineLine(major, minor)).toEqual(want));
});

describe('directivesOf (configValuesSet)', () => {
  it('replaces an object by its members unless the key is flat in that line', () => {
    const config = { proxies: { 'http-proxy': 'x', 'no-proxy': 'y' }, 'log-opts': { 'max-size': '1m' }, 'nri-opts': { enable: true }, debug: true };
    expect(directivesOf(config, { line: '29.2' })).toEqual(['http-proxy', 'no-proxy', 'log-opts', 'nri-opts', 'debug']);
    // nri-opts is flat only from 29.2: before, its members are judged (and "enable" is unknown).
    expect(directivesOf(config, { line: '28.5' })).toContain('enable');
    expect(unknownDirectives(config, { line: '28.5' })).toEqual(['enable']);
  });

  it('keeps arrays and null whole', () => {
    expect(directivesOf({ hosts: ['fd://'], runtimes: null }, { line: '24.0' })).toEqual(['hosts', 'runtimes']);
  });
});

describe('unknownDirectives', () => {
  it('knows flag names, named-option names and skipped keys', () => {
    expect(unknownDirectives({ 'log-opt': 'a', 'log-opts': {}, hosts: [], features: {}, builder: {}, 'min-api-version': '1.24' }, { line: '29.0' })).toEqual([]);
    expect(unknownDirectives({ 'min-api-version': '1.24' }, { line: '28.5' })).toEqual(['min-api-version']);
  });

  it('judges against every line only the keys no release knows', () => {
    expect(unknownDirectives({ graph: 'x', 'cdi-spec-dirs': [], 'not-a-key': 1 }, 'every-line')).toEqual(['not-a-key']);
  });

  it('never takes an inherited property for a key', () => {
    expect(unknownDirectives(JSON.parse('{"__proto__": 1, "constructor": 2, "toString": 3}'), { line: '24.0' })).toEqual(['__proto__', 'constructor', 'toString']);
  });
});

describe('conflictingDirectives', () => {
  it('maps a flag to its named option and skips merged runtimes', () => {
    const config = { hosts: ['fd://'], labels: ['a=b'], runtimes: {}, debug: true, 'host-gateway-ip': '10.0.0.1' };
    expect(conflictingDirectives(config, ['host', 'label', 'add-runtime', 'debug', 'debug', 'host-gateway-ip', 'iptables'], { line: '28.0' })).toEqual([
      { key: 'hosts', flag: 'host' },
      { key: 'labels', flag: 'label' },
      { key: 'debug', flag: 'debug' },
      { key: 'host-gateway-ip', flag: 'host-gateway-ip' },
    ]);
  });

  it('finds a flag given as a member of an object that is not flat', () => {
    expect(conflictingDirectives({ proxies: { 'http-proxy': 'x' } }, ['http-proxy'], { line: '24.0' })).toEqual([{ key: 'http-proxy', flag: 'http-proxy' }]);
  });
});

describe('the key table', () => {
  it('names only release lines it read, first before last', () => {
    for (const table of [DAEMON_JSON_KEYS, FLAT_KEYS, SKIP_VALIDATE_KEYS]) {
      for (const [key, [first, last]] of Object.entries(table)) {
        expect(DOCKERD_LINES, key).toContain(first);
        if (last !== undefined) expect(DOCKERD_LINES.indexOf(last), key).toBeGreaterThanOrEqual(DOCKERD_LINES.indexOf(first));
      }
    }
  });

  it('knows the daemon.json name of every named option', () => {
    for (const key of Object.values(NAMED_OPTION_OF_FLAG)) expect(Object.hasOwn(DAEMON_JSON_KEYS, key), key).toBe(true);
  });
});
