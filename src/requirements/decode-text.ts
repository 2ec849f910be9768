// The text of an input file from its bytes, by its byte order mark: UTF-8 (with or without a BOM),
// UTF-16 LE or BE with a BOM (Windows PowerShell 5.1's `>` and Out-File write UTF-16 LE with a BOM:
// about_Character_Encoding, "Character encoding in Windows PowerShell"). Anything else is a one-line
// UsageError naming the file and the encoding problem, never the content.
import { UsageError } from '../errors';

const SAVE_AS_UTF8 = 'save it as UTF-8 (Windows PowerShell: Out-File -Encoding utf8, or Set-Content -Encoding utf8)';

const starts = (buf: Uint8Array, ...bytes: number[]) => buf.length >= bytes.length && bytes.every((b, i) => buf[i] === b);

function decode(label: 'utf-8' | 'utf-16le', bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** UTF-16 BE as LE: the same code units with their bytes swapped (no ICU data needed). */
function swapPairs(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1]!;
    out[i + 1] = bytes[i]!;
  }
  return out;
}

export function decodeText(flag: string, file: string, buf: Uint8Array): string {
  const fail = (problem: string) => new UsageError(`${flag} ${file}: ${problem}`);
  // UTF-32 LE's mark begins with UTF-16 LE's: test it first.
  if (starts(buf, 0xff, 0xfe, 0x00, 0x00) || starts(buf, 0x00, 0x00, 0xfe, 0xff)) throw fail(`is UTF-32 text, which is not read; ${SAVE_AS_UTF8}`);
  for (const [bom, name, swap] of [
    [[0xff, 0xfe], 'UTF-16 LE', false],
    [[0xfe, 0xff], 'UTF-16 BE', true],
  ] as const) {
    if (!starts(buf, ...bom)) continue;
    const body = buf.subarray(2);
    if (body.length % 2 !== 0) throw fail(`is marked ${name} but has an odd number of bytes (cut short?); ${SAVE_AS_UTF8}`);
    const text = decode('utf-16le', swap ? swapPairs(body) : body);
    if (text === null) throw fail(`is marked ${name} but is not valid ${name} (an unpaired surrogate); ${SAVE_AS_UTF8}`);
    return text;
  }
  const utf8Bom = starts(buf, 0xef, 0xbb, 0xbf);
  const body = utf8Bom ? buf.subarray(3) : buf;
  // JSON and YAML text holds no NUL; UTF-16 without a mark has one in every ASCII character.
  if (!utf8Bom && body.includes(0)) throw fail(`holds NUL bytes: UTF-16 or binary without a byte order mark, not text this tool reads; ${SAVE_AS_UTF8}`);
  const text = decode('utf-8', body);
  if (text === null) throw fail(`is not valid UTF-8 (another code page?); ${SAVE_AS_UTF8}`);
  return text;
}
