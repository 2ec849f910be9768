// /etc/docker/daemon.json, read as strictly as dockerd reads it (Go's encoding/json): no comments,
// no trailing commas, an object at the top. JSON.parse says neither where nor why in a stable
// form, so this small parser reports the line and column, as an admin needs to fix the file.
import { ParseError, positionOf } from './parse-error';

export type DaemonJsonQuirk =
  /** Empty or only white space: dockerd 20.10 refuses it ("EOF"). */
  | 'empty'
  /** Starts with a UTF-8 byte order mark: dockerd 20.10 refuses it ("invalid character 'ï'"). */
  | 'bom';

export interface DaemonJson {
  config: Record<string, unknown>;
  quirks: DaemonJsonQuirk[];
}

const MAX_DEPTH = 512;

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string, at = this.pos): never {
    const { line, column } = positionOf(this.text, at);
    const found = at < this.text.length ? '' : ', found the end of the file';
    const hint = this.text.startsWith('//', at) || this.text.startsWith('/*', at) ? ' (comments are not allowed in daemon.json)' : '';
    throw new ParseError(`${what}${found}${hint}`, line, column);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos]!)) this.pos++;
  }

  expect(ch: string): void {
    if (this.text[this.pos] !== ch) this.fail(`expected ${JSON.stringify(ch)}`);
    this.pos++;
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    this.skipSpace();
    const ch = this.text[this.pos];
    if (ch === '{') return this.object(depth);
    if (ch === '[') return this.array(depth);
    if (ch === '"') return this.string();
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.number();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    return this.fail('expected a value');
  }

  object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.expect('{');
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] !== '"') this.fail('expected a quoted key');
      const key = this.string();
      this.skipSpace();
      this.expect(':');
      // An own property even for "__proto__", as JSON.parse makes it; the last duplicate wins, as in Go.
      Object.defineProperty(out, key, { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
      this.skipSpace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      if (this.text[this.pos] === '}') {
        this.pos++;
        return out;
      }
      this.fail('expected "," or "}"');
    }
  }

  array(depth: number): unknown[] {
    const out: unknown[] = [];
    this.expect('[');
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.skipSpace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      if (this.text[this.pos] === ']') {
        this.pos++;
        return out;
      }
      this.fail('expected "," or "]"');
    }
  }

  string(): string {
    const start = this.pos;
    this.expect('"');
    let out = '';
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined) this.fail('unterminated string', start);
      if (ch === '"') {
        this.pos++;
        return out;
      }
      if (ch < ' ') this.fail('control character inside a string');
      if (ch !== '\\') {
        out += ch;
        this.pos++;
        continue;
      }
      const esc = this.text[this.pos + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (esc !== undefined && esc in simple) {
        out += simple[esc];
        this.pos += 2;
      } else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
        out += String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
        this.pos += 6;
      } else {
        this.fail('invalid escape in a string');
      }
    }
  }

  number(): number {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m) this.fail('invalid number');
    this.pos += m[0].length;
    return Number(m[0]);
  }
}

/** Parses daemon.json; throws ParseError with the line and column of the first problem. */
export function parseDaemonJson(text: string): DaemonJson {
  const quirks: DaemonJsonQuirk[] = [];
  let body = text;
  if (body.startsWith('\uFEFF')) {
    quirks.push('bom');
    body = body.slice(1);
  }
  if (body.trim() === '') return { config: {}, quirks: [...quirks, 'empty'] };
  const r = new Reader(body);
  r.skipSpace();
  if (r.text[r.pos] !== '{') r.fail('expected the file to be one JSON object');
  const config = r.object(0);
  r.skipSpace();
  if (r.pos < r.text.length) r.fail('expected the end of the file after the closing "}"');
  return { config, quirks };
}
