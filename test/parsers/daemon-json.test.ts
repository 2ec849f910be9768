import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { parseDaemonJson } from '../../src/parsers/daemon-json';
import { ParseError } from '../../src/parsers/parse-error';

const parseError = (text: string): ParseError => {
  try {
    parseDaemonJson(text);
  } catch (err) {
    if (err instanceof ParseError) return err;
    throw err;
  }
  throw new Error('expected a ParseError');
};

describe('parseDaemonJson', () => {
  it('reads a typical file', () => {
    const r = parseDaemonJson('{\n  "data-root": "/mnt/resource/docker",\n  "hosts": ["unix:///var/run/docker.sock"],\n  "runtimes": {"nvidia": {"path": "nvidia-container-runtime", "runtimeArgs": []}},\n  "debug": false, "max-concurrent-downloads": 3, "x": null\n}\n');
    expect(r.quirks).toEqual([]);
    expect(r.config).toEqual({
      'data-root': '/mnt/resource/docker',
      hosts: ['unix:///var/run/docker.sock'],
      runtimes: { nvidia: { path: 'nvidia-container-runtime', runtimeArgs: [] } },
      debug: false,
      'max-concurrent-downloads': 3,
      x: null,
    });
  });

  it('says where a comment is, and that comments are not allowed', () => {
    const e = parseError('{\n  "log-driver": "json-file",\n  // keep logs small\n  "debug": true\n}\n');
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^line 3, column 3: .*comments are not allowed/);
  });

  it.each([
    ['a trailing comma', '{"debug": true,}', 1, /expected a quoted key/],
    ['a missing comma', '{\n"a": 1\n"b": 2}', 3, /expected "," or "}"/],
    ['an unquoted key', '{debug: true}', 1, /expected a quoted key/],
    ['single quotes', "{'debug': true}", 1, /expected a quoted key/],
    ['an unterminated string', '{"data-root": "/mnt', 1, /unterminated string/],
    ['an array at the top', '["a"]', 1, /one JSON object/],
    ['text after the object', '{}\n{}', 2, /end of the file/],
    ['a truncated file', '{"runtimes": {"nvidia": ', 1, /expected a value/],
    ['a bad escape', '{"a": "\\x41"}', 1, /invalid escape/],
    ['a raw newline in a string', '{"a": "x\ny"}', 1, /control character/],
    ['a leading-zero number', '{"a": 01}', 1, /expected "," or "}"/],
    ['garbage', '\u0000\u0001 binary', 1, /one JSON object/],
  ])('rejects %s with its line', (_what, text, line, msg) => {
    const e = parseError(text);
    expect(e.line).toBe(line);
    expect(e.message).toMatch(msg);
  });

  it('takes the last of duplicate keys, as Go does, and keeps __proto__ as a plain key', () => {
    const r = parseDaemonJson('{"debug": false, "debug": true, "__proto__": {"x": 1}}');
    expect(r.config.debug).toBe(true);
    expect(Object.keys(r.config)).toEqual(['debug', '__proto__']);
    expect(Object.getPrototypeOf(r.config)).toBe(Object.prototype);
  });

  it('notes an empty file and a byte order mark (dockerd 20.10 refuses both)', () => {
    expect(parseDaemonJson('  \n')).toEqual({ config: {}, quirks: ['empty'] });
    expect(parseDaemonJson('\uFEFF{"debug": true}')).toEqual({ config: { debug: true }, quirks: ['bom'] });
  });

  it('reads every JSON object exactly as JSON.parse does', () => {
    holds(
      fc.property(fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 })), fc.constantFrom(undefined, 2, '\t'), (obj, indent) => {
        const text = JSON.stringify(obj, null, indent);
        expect(parseDaemonJson(text).config).toEqual(JSON.parse(text));
      }),
      { numRuns: 1500 },
    );
  });

  it('never throws anything but ParseError, on garbage and on damaged JSON', () => {
    const damaged = fc
      .tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.string({ maxLength: 3 }))
      .map(([json, at, insert]) => `{"a": ${json}}`.slice(0, at % (json.length + 8)) + insert);
    holds(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), damaged, fc.nat(2000).map((n) => '['.repeat(n))), (text) => {
        try {
          parseDaemonJson(text);
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
          expect(err.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses nesting deep enough to exhaust the stack', () => {
    expect(() => parseDaemonJson('{"a":' + '['.repeat(100_000))).toThrow(ParseError);
  });
});
