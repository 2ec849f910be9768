import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDpkgStatus } from '../../src/parsers/dpkg-status';
import { ParseError } from '../../src/parsers/parse-error';
import { FIXTURES } from '../helpers/host';

describe('parseDpkgStatus', () => {
  it('reads installed and removed packages with their versions', () => {
    const pkgs = parseDpkgStatus(readFileSync(path.join(FIXTURES, 'hosts/docker-ok/var/lib/dpkg/status'), 'utf8'));
    expect([...pkgs.keys()]).toEqual(['containerd.io', 'docker-ce', 'docker-ce-cli', 'docker.io']);
    expect(pkgs.get('docker-ce')).toMatchObject({ version: '5:24.0.7-1~debian.12~bookworm', installed: true, architecture: 'amd64', line: 9 });
    expect(pkgs.get('docker.io')).toMatchObject({ status: 'deinstall ok config-files', installed: false });
  });

  it('treats half-installed and unpacked packages as not installed', () => {
    const pkgs = parseDpkgStatus('Package: a\nStatus: install reinstreq half-installed\nVersion: 1\n\nPackage: b\nStatus: install ok unpacked\nVersion: 2\n');
    expect(pkgs.get('a')?.installed).toBe(false);
    expect(pkgs.get('b')?.installed).toBe(false);
  });

  it('accepts CRLF line ends, extra blank lines and an empty file', () => {
    expect(parseDpkgStatus('\r\n\r\nPackage: a\r\nStatus: install ok installed\r\nVersion: 1.0\r\n\r\n\r\n').get('a')?.version).toBe('1.0');
    expect(parseDpkgStatus('').size).toBe(0);
  });

  it.each([
    ['a line that is not a field', 'Package: a\nthis is garbage\n', 2],
    ['a stanza without Package', 'Status: install ok installed\nVersion: 1\n\n', 1],
    ['a continuation before any field', ' continued\n', 1],
  ])('rejects %s with its line', (_what, text, line) => {
    expect(() => parseDpkgStatus(text)).toThrow(ParseError);
    try {
      parseDpkgStatus(text);
    } catch (err) {
      expect((err as ParseError).line).toBe(line);
    }
  });

  it('never throws anything but ParseError', () => {
    const line = fc.oneof(fc.string({ maxLength: 30 }), fc.tuple(fc.constantFrom('Package', 'Status', 'Version', ' x'), fc.string({ maxLength: 20 })).map(([k, v]) => `${k}: ${v}`));
    holds(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        try {
          parseDpkgStatus(lines.join('\n'));
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
