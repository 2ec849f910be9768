// What the agent runs as root passes the --checks-file trust rule, judged on the real path
// (SECURITY.md, "What the agent runs"): a command another user can change is found, reported and not run.
import { describe, expect, it } from 'vitest';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { untrustedExecutable } from '../../src/host/exec-trust';
import { fixtureHost, tempTree } from '../helpers/host';

const asRoot = process.geteuid?.() === 0;
const marker = '#!/bin/sh\ntouch "$(dirname "$0")/ran"\necho ran\n';

describe('untrustedExecutable', () => {
  it('accepts a root-owned file in root-owned directories, under a sticky /tmp', () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'bp-exec-'));
    writeFileSync(path.join(d, 'tool'), marker, { mode: 0o755 });
    expect(untrustedExecutable(path.join(d, 'tool'))).toBeNull();
  });

  it.each([
    ['the file writable by others', (d: string) => chmodSync(path.join(d, 'bin/tool'), 0o757), /bin\/tool is writable by others \(mode 757\)$/],
    ['a directory writable by group', (d: string) => chmodSync(path.join(d, 'bin'), 0o775), /^directory .*\/bin is writable by group \(mode 775\) without the sticky bit$/],
  ])('refuses %s', (_what, spoil, why) => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'bp-exec-'));
    mkdirSync(path.join(d, 'bin'));
    writeFileSync(path.join(d, 'bin/tool'), marker, { mode: 0o755 });
    spoil(d);
    expect(untrustedExecutable(path.join(d, 'bin/tool'))).toMatch(why);
  });
});

it.skipIf(!asRoot)("refuses a directory another user owns (skipped unless root, which can chown)", () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'bp-exec-'));
  writeFileSync(path.join(d, 'tool'), marker, { mode: 0o755 });
  chownSync(d, 4242, 4242);
  expect(untrustedExecutable(path.join(d, 'tool'))).toMatch(/^directory .* is owned by uid 4242, neither root nor the user running the agent$/);
});

describe('Host.exec', () => {
  it('does not run a command in the fixed PATH reached through a link into a directory others can write: crashed, untrusted, not run', async () => {
    const root = tempTree({ 'opt/open/tool': { mode: 0o755, content: marker }, 'usr/bin/tool': { link: '/opt/open/tool' } });
    chmodSync(path.join(root, 'opt/open'), 0o777);
    const r = await fixtureHost(root).exec('tool', []);
    expect(r.outcome).toBe('crashed');
    expect(r.untrusted).toMatch(/^directory .*\/opt\/open is writable by others \(mode 777\) without the sticky bit$/);
    expect(r.summary).toMatch(/^tool: found \/usr\/bin\/tool \(.*\/opt\/open\/tool\), but it is not trusted and was not run: /);
    expect(existsSync(path.join(root, 'opt/open/ran'))).toBe(false);
    // The same command, once its directory is fixed, runs.
    chmodSync(path.join(root, 'opt/open'), 0o755);
    expect((await fixtureHost(root).exec('tool', [])).stdout).toBe('ran\n');
  });
});
