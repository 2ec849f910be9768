// A small XML reader for configuration files such as firewalld's zones and services: elements,
// attributes and text; no DTDs, namespaces or entities beyond the five predefined ones.
import { ParseError } from './parse-error';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e.startsWith('#')) {
      const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : Number(e.slice(1));
      // String.fromCodePoint throws a RangeError past U+10FFFF.
      if (!(code <= 0x10ffff)) throw new ParseError(`character reference ${m.slice(0, 20)} is not a Unicode code point`);
      return String.fromCodePoint(code);
    }
    const v = ENTITIES[e];
    if (v === undefined) throw new ParseError(`unknown entity ${m}`);
    return v;
  });
}

const NAME = '[A-Za-z_][\\w.-]*';
const ATTR = new RegExp(`^\\s+(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`);

/** The document element of an XML text. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = lt < 0 ? text.slice(i) : text.slice(i, lt);
    if (chunk.trim() !== '') {
      const top = stack[stack.length - 1];
      if (!top) throw new ParseError('text outside the document element');
      top.text += decode(chunk);
    }
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) throw new ParseError('unterminated comment');
      i = end + 3;
      continue;
    }
    if (text.startsWith('<?', lt) || text.startsWith('<!', lt)) {
      const end = text.indexOf('>', lt);
      if (end < 0) throw new ParseError('unterminated declaration');
      i = end + 1;
      continue;
    }
    if (text.startsWith('</', lt)) {
      const m = new RegExp(`^</(${NAME})\\s*>`).exec(text.slice(lt));
      const top = stack.pop();
      if (!m || !top || top.name !== m[1]) throw new ParseError(`unexpected closing tag at offset ${lt}`);
      i = lt + m[0].length;
      continue;
    }
    const m = new RegExp(`^<(${NAME})`).exec(text.slice(lt));
    if (!m) throw new ParseError(`bad tag at offset ${lt}`);
    const el: XmlElement = { name: m[1]!, attrs: {}, children: [], text: '' };
    i = lt + m[0].length;
    for (let a = ATTR.exec(text.slice(i)); a; a = ATTR.exec(text.slice(i))) {
      el.attrs[a[1]!] = decode(a[2] ?? a[3] ?? '');
      i += a[0].length;
    }
    const close = /^\s*(\/?)>/.exec(text.slice(i));
    if (!close) throw new ParseError(`bad attributes in <${el.name}> at offset ${i}`);
    i += close[0].length;
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (root) throw new ParseError('more than one document element');
    else root = el;
    if (close[1] !== '/') stack.push(el);
  }
  if (stack.length > 0) throw new ParseError(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (!root) throw new ParseError('no document element');
  return root;
}
