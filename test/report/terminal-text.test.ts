import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalText } from '../../src/report/terminal-text';

describe('terminal text', () => {
  it('writes every C0 control, DEL and every C1 control as a visible escape', () => {
    expect(terminalText('a\x1b[2Jb\x07c\x9b31md\x7fe\x00f\rg\th\ni')).toBe('a\\x1b[2Jb\\x07c\\x9b31md\\x7fe\\x00f\\rg\\th\\ni'.replace('\\r', '\\x0d').replace('\\t', '\\x09').replace('\\n', '\\x0a'));
    for (let c = 0; c < 0xa0; c++) {
      const ch = String.fromCharCode(c);
      const control = c < 0x20 || c >= 0x7f;
      expect(terminalText(ch)).toBe(control ? `\\x${c.toString(16).padStart(2, '0')}` : ch);
    }
  });

  it('leaves printable text, including other Unicode, alone', () => {
    expect(terminalText('Ubuntu 22.04.4 LTS – Jammy ✓ ü 日本')).toBe('Ubuntu 22.04.4 LTS – Jammy ✓ ü 日本');
  });

  it('writes the bidirectional controls (Trojan Source, CVE-2021-42574) as visible escapes', () => {
    const bidi = [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
    for (const c of bidi) expect(terminalText(`a${String.fromCharCode(c)}b`)).toBe(`a\\u${c.toString(16).padStart(4, '0')}b`);
    // Shown right to left, "ssap" would read "pass" on the screen.
    expect(terminalSafe({ message: 'ok \u202essap\u202c' }, 'all')).toEqual({ message: 'ok \\u202essap\\u202c' });
    expect(terminalText('\u200d\u2060 zero-width joiners are not bidi controls')).toBe('\u200d\u2060 zero-width joiners are not bidi controls');
  });

  it('keeps newlines only where asked', () => {
    expect(terminalText('one\ntwo\x1b', true)).toBe('one\ntwo\\x1b');
    const safe = terminalSafe({ message: 'a\nb', remediation: 'step 1\nstep\x1b 2', nested: [{ remediation: ['x\ny'] }], n: 3, ok: true, none: null }, new Set(['remediation']));
    expect(safe).toEqual({ message: 'a\\x0ab', remediation: 'step 1\nstep\\x1b 2', nested: [{ remediation: ['x\ny'] }], n: 3, ok: true, none: null });
  });

  it('keeps every newline with "all"', () => {
    expect(terminalSafe({ a: ['x\ny\x9b'], b: { c: 'p\nq' } }, 'all')).toEqual({ a: ['x\ny\\x9b'], b: { c: 'p\nq' } });
  });

  it('escapes keys as well as values', () => {
    expect(terminalSafe({ 'k\x1b': 'v' })).toEqual({ 'k\\x1b': 'v' });
  });
});
