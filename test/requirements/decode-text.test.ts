// Input files in the encodings Windows tools write: UTF-8 with or without a BOM, UTF-16 LE (Windows
// PowerShell 5.1's `>` and Out-File: about_Character_Encoding) or BE with a BOM are read; UTF-32,
// UTF-16 without a BOM, a cut UTF-16 file and other code pages are one line naming the file and
// the problem, never the content.
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/requirements/decode-text';
import { batchPoolRequirements } from '../../src/requirements/batch-pool';
import { JsonDoc } from '../../src/requirements/json-doc';
import { UsageError } from '../../src/errors';

const TEXT = '{"vmSize": "Standard_D2s_v5", "id": "café-\u{1F680}"}';
const bytes = (...parts: (number[] | Buffer)[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));
const be16 = (s: string) => Buffer.from(s, 'utf16le').swap16();

describe('decodeText reads', () => {
  it.each([
    ['UTF-8', Buffer.from(TEXT)],
    ['UTF-8 with a BOM', bytes([0xef, 0xbb, 0xbf], Buffer.from(TEXT))],
    ['UTF-16 LE with a BOM', bytes([0xff, 0xfe], Buffer.from(TEXT, 'utf16le'))],
    ['UTF-16 BE with a BOM', bytes([0xfe, 0xff], be16(TEXT))],
  ])('%s', (_, buf) => expect(decodeText('--batch-pool', 'p.json', buf)).toBe(TEXT));

  it('an empty file is empty text', () => expect(decodeText('--batch-pool', 'p.json', Buffer.alloc(0))).toBe(''));
});

describe('decodeText refuses in one line, without the content', () => {
  it.each([
    ['UTF-32 LE', bytes([0xff, 0xfe, 0, 0], Buffer.from('{\0\0\0')), 'is UTF-32 text, which is not read'],
    ['UTF-32 BE', bytes([0, 0, 0xfe, 0xff], Buffer.from('\0\0\0{')), 'is UTF-32 text, which is not read'],
    ['UTF-16 LE cut short', bytes([0xff, 0xfe], Buffer.from(TEXT, 'utf16le').subarray(1)), 'is marked UTF-16 LE but has an odd number of bytes (cut short?)'],
    ['UTF-16 LE with a lone surrogate', bytes([0xff, 0xfe], Buffer.from([0x3d, 0xd8, 0x41, 0x00])), 'is marked UTF-16 LE but is not valid UTF-16 LE (an unpaired surrogate)'],
    ['UTF-16 BE with a lone surrogate', bytes([0xfe, 0xff], Buffer.from([0xd8, 0x3d, 0x00, 0x41])), 'is marked UTF-16 BE but is not valid UTF-16 BE (an unpaired surrogate)'],
    ['UTF-16 without a BOM', Buffer.from(TEXT, 'utf16le'), 'holds NUL bytes: UTF-16 or binary without a byte order mark, not text this tool reads'],
    ['Latin-1', Buffer.from(TEXT, 'latin1'), 'is not valid UTF-8 (another code page?)'],
    ['UTF-8 BOM then Latin-1', bytes([0xef, 0xbb, 0xbf], Buffer.from(TEXT, 'latin1')), 'is not valid UTF-8 (another code page?)'],
  ])('%s', (_, buf, problem) => {
    let err: unknown;
    try {
      decodeText('--batch-pool', 'p.json', buf);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    const message = (err as Error).message;
    expect(message).toBe(`--batch-pool p.json: ${problem}; save it as UTF-8 (Windows PowerShell: Out-File -Encoding utf8, or Set-Content -Encoding utf8)`);
    expect(message).not.toMatch(/Standard_D2s_v5|caf/);
  });
});

describe('JsonDoc.load decodes before it parses', () => {
  it('a UTF-16 BE file with a BOM', () => {
    expect(batchPoolRequirements(JsonDoc.load('--batch-pool', 'fixtures/batch/pool-utf16be.json', 'a Batch pool definition')).vmSize).toBe('Standard_D2s_v5');
  });

  it.each([
    ['utf32.json', 'is UTF-32 text, which is not read'],
    ['utf16-no-bom.json', 'holds NUL bytes'],
    ['utf16-odd-length.json', 'is marked UTF-16 LE but has an odd number of bytes'],
    ['latin1.json', 'is not valid UTF-8'],
  ])('bad/%s', (name, problem) => {
    expect(() => JsonDoc.load('--batch-pool', `fixtures/batch/bad/${name}`, 'a Batch pool definition')).toThrow(`--batch-pool fixtures/batch/bad/${name}: ${problem}`);
  });
});
