// /var/lib/dpkg/status: RFC 822-like stanzas separated by blank lines; a field's continuation lines
// start with white space. Only what tells whether a package is installed, and which version, is kept.
import { ParseError } from './parse-error';

export interface DpkgPackage {
  name: string;
  /** `Status:` field, e.g. `install ok installed` or `deinstall ok config-files`. */
  status: string;
  version: string;
  architecture?: string;
  /** True when the third word of Status is `installed` (not half-installed, not config-files). */
  installed: boolean;
  /** Line of the stanza's Package: field. */
  line: number;
}

/** Packages by name (the last stanza of a name wins, as for multiarch duplicates of the same package). */
export function parseDpkgStatus(text: string): Map<string, DpkgPackage> {
  const out = new Map<string, DpkgPackage>();
  let fields = new Map<string, string>();
  let start = 0;
  const flush = () => {
    const name = fields.get('package');
    if (name !== undefined) {
      const status = fields.get('status') ?? '';
      out.set(name, {
        name,
        status,
        version: fields.get('version') ?? '',
        architecture: fields.get('architecture'),
        installed: status.split(/\s+/)[2] === 'installed',
        line: start,
      });
    } else if (fields.size > 0) {
      throw new ParseError('stanza without a Package: field', start);
    }
    fields = new Map();
  };
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return flush();
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (fields.size === 0) throw new ParseError('continuation line outside any field', i + 1);
      return;
    }
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*):(.*)$/.exec(line);
    if (!m) throw new ParseError('not a "Field: value" line', i + 1);
    if (fields.size === 0) start = i + 1;
    fields.set(m[1]!.toLowerCase(), m[2]!.trim());
  });
  flush();
  return out;
}
