import { describe, expect, it } from 'vitest';
import { existsSync, rmSync, mkdtempSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand, KILL_GRACE_MS } from '../src/host/exec';
import { fixtureHost, tempTree } from './helpers/host';

function script(body: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-exec-'));
  const file = path.join(dir, 'cmd');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

/** Running (a zombie waiting for a reaper counts as dead). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('runCommand', () => {
  it('kills a command that ignores SIGTERM, and its children, by timeout plus grace', async () => {
    const pidFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-pid-')), 'child');
    const file = script(`trap '' TERM\nsleep 30 &\necho $! > ${pidFile}\nwhile :; do sleep 1; done`);
    const t0 = Date.now();
    const r = await runCommand(file, [], { timeoutMs: 300 });
    const elapsed = Date.now() - t0;
    expect(r.outcome).toBe('timeout');
    expect(elapsed).toBeLessThan(300 + KILL_GRACE_MS + 1000);
    const child = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(child)).toBe(false);
  });

  it('passes arguments literally, never through a shell', async () => {
    const marker = path.join(os.tmpdir(), `bp-injected-${process.pid}`);
    rmSync(marker, { force: true });
    const r = await runCommand('/bin/echo', [`$(touch ${marker})`, '; touch', marker, '`id`'], { timeoutMs: 2000 });
    expect(r.outcome).toBe('exited');
    expect(r.stdout).toBe(`$(touch ${marker}) ; touch ${marker} \`id\`\n`);
    expect(existsSync(marker)).toBe(false);
  });

  it('cuts output over the cap and says so', async () => {
    const r = await runCommand('/usr/bin/head', ['-c', '5000000', '/dev/zero'], { timeoutMs: 5000, outputCap: 64 * 1024 });
    expect(r.truncated).toBe(true);
    expect(r.stdout.length).toBe(64 * 1024);
    expect(r.outcome).toBe('exited');
    expect(r.exitCode).toBe(0);
    expect(r.summary).toMatch(/output cut/);
  });

  it('decodes invalid UTF-8 without throwing', async () => {
    const file = script(`printf '\\377\\376ok\\200\\n'`);
    const r = await runCommand(file, [], { timeoutMs: 2000 });
    expect(r.outcome).toBe('exited');
    expect(r.stdout).toContain('ok');
    expect(r.stdout).toContain('\uFFFD');
  });

  it('tells not installed, failed and crashed apart', async () => {
    expect((await runCommand('/nonexistent/tool', [], { timeoutMs: 1000 })).outcome).toBe('not-found');
    const failed = await runCommand(script('echo broken >&2; exit 3'), [], { timeoutMs: 2000 });
    expect(failed).toMatchObject({ outcome: 'exited', exitCode: 3, stderr: 'broken\n' });
    const crashed = await runCommand(script('kill -SEGV $$'), [], { timeoutMs: 2000 });
    expect(crashed).toMatchObject({ outcome: 'crashed', signal: 'SIGSEGV' });
  });

  it('runs with a clean environment and the fixed PATH', async () => {
    const r = await runCommand('/usr/bin/env', [], { timeoutMs: 2000 });
    expect(r.stdout).toContain('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n');
    expect(r.stdout).not.toContain('HOME=');
  });
});

describe('Host.exec', () => {
  it('finds commands only in the fixed PATH under the root, whatever PATH says', async () => {
    const root = tempTree({ 'usr/bin/tool': '#!/bin/sh\necho from-root\n', 'opt/evil/tool': '#!/bin/sh\necho evil\n' });
    const saved = process.env.PATH;
    process.env.PATH = `${root}/opt/evil:${saved}`;
    try {
      const host = fixtureHost(root);
      expect(await host.which('tool')).toBe('/usr/bin/tool');
      expect((await host.exec('tool', [])).stdout).toBe('from-root\n');
      expect((await host.exec('not-there', [])).outcome).toBe('not-found');
    } finally {
      process.env.PATH = saved;
    }
  });

  it('refuses to run commands against an offline root', async () => {
    const host = fixtureHost(tempTree({ 'usr/bin/tool': '#!/bin/sh\necho hi\n' }), { canExec: false });
    await expect(host.exec('tool', [])).rejects.toThrow(/offline root/);
  });

  it('gathers a probe once however many checks ask', async () => {
    const host = fixtureHost(tempTree({}));
    let calls = 0;
    const gather = async () => ++calls;
    const [a, b] = await Promise.all([host.probe('k', gather), host.probe('k', gather)]);
    expect([a, b, calls]).toEqual([1, 1, 1]);
  });
});
