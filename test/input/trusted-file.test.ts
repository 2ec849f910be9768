// The trust rule for files that run as root, on real directories, links and owners (as root, the
// test gives files to another uid with chown; as anyone else, it judges as if it ran as another uid).
import { describe, expect, it } from 'vitest';
import { chmodSync, lchownSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTrustedFile } from '../../src/input/trusted-file';

const isRoot = process.getuid?.() === 0;
const OTHER = 4243;

/** A private directory (mode 0755, owned by whoever runs the test) under the system temp directory. */
function base(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'bp-trust-'));
  chmodSync(d, 0o755);
  return d;
}

function plugin(dir: string, mode = 0o644): string {
  const f = path.join(dir, 'site.cjs');
  writeFileSync(f, 'module.exports = [];\n');
  chmodSync(f, mode);
  return f;
}

const read = (f: string, uid = process.getuid?.() ?? 0) => readTrustedFile('--plugin', f, 'a plugin', 1 << 20, uid);

describe('the trust rule', () => {
  it('reads a file when it and every directory above it are safe, and gives its real path', () => {
    const f = plugin(base());
    expect(read(f)).toEqual({ text: 'module.exports = [];\n', realPath: f });
  });

  it('refuses a file writable by group or others', () => {
    expect(() => read(plugin(base(), 0o664))).toThrow(/: refused: writable by group \(mode 664\); chmod go-w it$/);
    expect(() => read(plugin(base(), 0o606))).toThrow(/: refused: writable by others \(mode 606\); chmod go-w it$/);
  });

  it('refuses a directory on the way that is writable by group or others without the sticky bit', () => {
    for (const [mode, who] of [
      [0o777, 'others'],
      [0o775, 'group'],
    ] as const) {
      const d = path.join(base(), 'shared');
      mkdirSync(d);
      chmodSync(d, mode);
      const sub = path.join(d, 'site');
      mkdirSync(sub, { mode: 0o755 });
      const f = plugin(sub);
      expect(() => read(f)).toThrow(`--plugin ${f}: refused: directory ${d} is writable by ${who} (mode ${mode.toString(8)}) without the sticky bit; chmod go-w ${d}`);
    }
  });

  it('accepts a sticky directory owned by root (like /tmp), refuses one owned by anyone else', () => {
    const d = path.join(base(), 'sticky');
    mkdirSync(d);
    chmodSync(d, 0o1777);
    const f = plugin(d);
    if (isRoot) expect(read(f).realPath).toBe(f);
    // The directory's owner is not root (as root, the test gives it away), and the agent is judged
    // as if it ran as that owner: still refused, since the owner could replace any entry.
    const owner = isRoot ? OTHER : process.getuid!();
    if (isRoot) lchownSync(d, OTHER, OTHER);
    expect(() => read(f, owner)).toThrow(`directory ${d} is writable by others (mode 1777) and owned by uid ${owner}, not root; chmod go-w ${d}`);
  });

  it.runIf(isRoot)('refuses a file or directory owned by another user who is not root', () => {
    const dir = base();
    const f = plugin(dir);
    lchownSync(f, OTHER, OTHER);
    expect(() => read(f)).toThrow(`--plugin ${f}: refused: owned by uid ${OTHER}, neither root nor the user running the agent`);
    const d = path.join(base(), 'theirs');
    mkdirSync(d, { mode: 0o755 });
    const g = plugin(d);
    lchownSync(d, OTHER, OTHER);
    expect(() => read(g)).toThrow(`--plugin ${g}: refused: directory ${d} is owned by uid ${OTHER}, neither root nor the user running the agent`);
    // Sticky, root's: the owner check still comes first for the file in it.
    const s = path.join(base(), 'sticky-theirs');
    mkdirSync(s);
    chmodSync(s, 0o1777);
    lchownSync(s, OTHER, OTHER);
    expect(() => read(plugin(s))).toThrow(`directory ${s} is owned by uid ${OTHER}`);
  });

  it.runIf(isRoot)('refuses a symbolic link on the way that another user owns, follows one that root owns', () => {
    const shared = path.join(base(), 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const safe = base();
    const f = plugin(safe);
    const theirs = path.join(shared, 'theirs.cjs');
    symlinkSync(f, theirs);
    lchownSync(theirs, OTHER, OTHER);
    expect(() => read(theirs)).toThrow(`--plugin ${theirs}: refused: ${theirs} is a symbolic link owned by uid ${OTHER}, neither root nor the user running the agent`);
    const ours = path.join(shared, 'ours.cjs');
    symlinkSync(path.relative(shared, f), ours);
    expect(read(ours).realPath).toBe(f);
  });

  it('resolves links through `..`, and checks the directories they lead to', () => {
    const b = base();
    const open = path.join(b, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const f = plugin(open);
    mkdirSync(path.join(b, 'links'));
    symlinkSync('../open/site.cjs', path.join(b, 'links/site.cjs'));
    expect(() => read(path.join(b, 'links/site.cjs'))).toThrow(`refused: directory ${open} is writable by others (mode 777) without the sticky bit`);
    chmodSync(open, 0o755);
    expect(read(path.join(b, 'links/site.cjs')).realPath).toBe(f);
  });

  it('refuses link loops and anything but a regular file', () => {
    const b = base();
    symlinkSync('b', path.join(b, 'a'));
    symlinkSync('a', path.join(b, 'b'));
    expect(() => read(path.join(b, 'a'))).toThrow(/refused: too many symbolic links$/);
    expect(() => read('/dev/zero')).toThrow('--plugin /dev/zero: is not a regular file (a character device)');
    expect(() => read(path.join(b, 'none.cjs'))).toThrow(/: does not exist$/);
  });
});
