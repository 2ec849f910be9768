// Stand-in for `string-width` in the bundle. yargs and cliui load it to wrap --help text; the real
// one builds Intl.Segmenter and Unicode-property regexes at load time (~25 ms of every start).
// Our help text is ASCII, so counting code points outside ANSI escapes gives the same widths.
const ANSI = /[\u001B\u009B][[\]()#;?]*(?:(?:(?:[a-zA-Z\d]*(?:;[-a-zA-Z\d/#&.:=?%@~_]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PR-TZcf-nq-uy=><~]))/g;

export default function stringWidth(text) {
  if (typeof text !== 'string' || text.length === 0) return 0;
  return [...text.replace(ANSI, '')].length;
}
