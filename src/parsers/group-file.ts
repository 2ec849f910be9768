// /etc/group: `name:password:GID:member,member` lines. Like glibc, malformed lines are skipped
// (and reported), NIS `+`/`-` lines are not local groups.

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
  line: number;
}

export interface GroupFile {
  groups: Map<string, GroupEntry>;
  /** Line numbers that no tool would read as a group. */
  malformed: number[];
}

export function parseGroupFile(text: string): GroupFile {
  const groups = new Map<string, GroupEntry>();
  const malformed: number[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#') || line.startsWith('+') || line.startsWith('-')) return;
    const parts = line.split(':');
    const gid = Number(parts[2]);
    if (parts.length !== 4 || parts[0] === '' || !/^\d+$/.test(parts[2] ?? '') || !Number.isSafeInteger(gid)) {
      malformed.push(i + 1);
      return;
    }
    // The first entry of a name is the one getgrnam() finds.
    if (!groups.has(parts[0]!)) groups.set(parts[0]!, { name: parts[0]!, gid, members: parts[3]!.split(',').filter(Boolean), line: i + 1 });
  });
  return { groups, malformed };
}
