// The fleet summary's parts without the CLI: digesting a report, folding digests, reading files,
// and the three renderings.
import { describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { digestReport, unreadable, type NodeDigest } from '../src/summarize/digest';
import { aggregate } from '../src/summarize/aggregate';
import { readAll, readReport } from '../src/summarize/read';
import { renderHumanSummary } from '../src/summarize/human';
import { renderMarkdownSummary } from '../src/summarize/markdown';
import { mdCode } from '../src/report/markdown-text';
import { executeSummarize } from '../src/summarize/command';
import { UsageError } from '../src/errors';
import { tempTree } from './helpers/host';
import { fakeReport } from './helpers/reports';

const ok = (id: string) => ({ id, status: 'pass' as const });

describe('digestReport', () => {
  it('names the node by Batch node id, else host name, else the file', () => {
    expect(digestReport('a.json', fakeReport({ nodeId: 'tvm-1', hostname: 'h1', checks: [ok('sshd')] })).node).toBe('tvm-1');
    expect(digestReport('a.json', fakeReport({ hostname: 'h1', checks: [ok('sshd')] })).node).toBe('h1');
    expect(digestReport('a.json', fakeReport({ hostname: '', checks: [ok('sshd')] })).node).toBe('a.json');
  });

  it('keeps only ids, statuses and fail/error messages', () => {
    const d = digestReport('a.json', fakeReport({ nodeId: 'n', hostname: 'h', checks: [ok('sshd'), { id: 'docker.socket', status: 'fail', message: 'no socket' }, { id: 'selinux.mode', status: 'warn', message: 'permissive' }] }));
    expect(d).toEqual({
      node: 'n',
      source: 'a.json',
      ok: false,
      problems: [],
      startedAtMs: Date.parse('2025-01-01T00:00:00.000Z'),
      checks: [
        { id: 'sshd', title: 'SSH server', status: 'pass' },
        { id: 'docker.socket', title: 'Docker socket', status: 'fail', message: 'no socket' },
        { id: 'selinux.mode', title: 'SELinux mode', status: 'warn' },
      ],
    });
  });

  it('lists every missing or malformed field and keeps what is usable', () => {
    expect(digestReport('x.json', [1, 2]).problems).toEqual(['not a report: the JSON is an array, not an object']);
    expect(digestReport('x.json', null).problems).toEqual(['not a report: the JSON is null, not an object']);
    expect(digestReport('x.json', 'text').problems).toEqual(['not a report: the JSON is a string, not an object']);
    expect(digestReport('x.json', {}).problems).toEqual([
      'not a batch-preflight report (tool.name is missing or different)',
      'schemaVersion is missing, expected 2 or 3',
      'summary.ok is missing',
      'checks is missing or not a list',
    ]);
    const r = fakeReport({ nodeId: 'n', hostname: 'h', checks: [ok('sshd'), ok('selinux.mode')] });
    (r.checks as Record<string, unknown>[])[1]!.status = 'maybe';
    (r.checks as unknown[]).push(null);
    const d = digestReport('x.json', r);
    expect(d.problems).toEqual(['2 check entries have no id or no valid status']);
    expect(d.checks.map((c) => c.id)).toEqual(['sshd']);
  });

  it('reads the reports of agents one schema version behind (a fleet half-way through an upgrade), and no other', () => {
    const v2 = fakeReport({ nodeId: 'n', hostname: 'h', checks: [ok('sshd')] });
    v2.schemaVersion = 2;
    expect(digestReport('x.json', v2).problems).toEqual([]);
    expect(digestReport('x.json', { ...v2, schemaVersion: 1 }).problems).toEqual(['schemaVersion is 1, expected 2 or 3']);
  });
});

describe('aggregate', () => {
  const nodes = [
    fakeReport({ nodeId: 'tvm-10', hostname: 'a', checks: [ok('sshd'), { id: 'docker.socket', status: 'fail', message: 'no socket' }] }),
    fakeReport({ nodeId: 'tvm-9', hostname: 'b', checks: [{ id: 'sshd', status: 'error', message: 'sshd -T timed out' }, { id: 'docker.socket', status: 'fail', message: 'no socket' }] }),
    fakeReport({ nodeId: 'tvm-2', hostname: 'c', checks: [ok('sshd'), ok('docker.socket')] }),
    fakeReport({ nodeId: 'tvm-3', hostname: 'd', checks: [ok('sshd'), { id: 'selinux.mode', status: 'warn' }], ok: false }),
    // tvm-2 again, from an earlier run: only its newest report (the one above, which passed) counts.
    { ...fakeReport({ nodeId: 'tvm-2', hostname: 'e', checks: [ok('sshd'), { id: 'docker.socket', status: 'fail', message: 'socket is a directory' }] }), startedAt: '2024-06-01T00:00:00Z' },
  ].map((r, i) => digestReport(`r${i}.json`, r));

  it('counts statuses per check and lists failing nodes in natural order', () => {
    const s = aggregate([...nodes, unreadable('broken.json', 'empty file')]);
    expect(s.reports).toBe(5);
    expect(s.readyNodes).toBe(1);
    expect(s.failedNodes).toEqual(['tvm-3', 'tvm-9', 'tvm-10']);
    expect(s.checks.map((c) => [c.id, c.counts])).toEqual([
      ['docker.socket', { pass: 1, warn: 0, fail: 2, error: 0, skip: 0 }],
      ['selinux.mode', { pass: 0, warn: 1, fail: 0, error: 0, skip: 0 }],
      ['sshd', { pass: 3, warn: 0, fail: 0, error: 1, skip: 0 }],
    ]);
    expect(s.checks[0]!.failed).toEqual(['tvm-9', 'tvm-10']);
    expect(s.checks[2]!.errored).toEqual(['tvm-9']);
    expect(s.failureMessages).toEqual([
      { check: 'docker.socket', status: 'fail', message: 'no socket', count: 2 },
      { check: 'sshd', status: 'error', message: 'sshd -T timed out', count: 1 },
    ]);
    expect(s.problems).toEqual([{ node: 'broken.json', source: 'broken.json', reason: 'empty file' }]);
    expect(s.duplicateNodes).toEqual([{ node: 'tvm-2', reports: 2, counted: 'r2.json' }]);
    // The order the reports come in does not decide which one counts.
    expect(aggregate([...nodes].reverse()).duplicateNodes).toEqual([{ node: 'tvm-2', reports: 2, counted: 'r2.json' }]);
    expect(s.ok).toBe(false);
  });

  it('is ok only when every report is whole and no node failed', () => {
    expect(aggregate([nodes[2]!]).ok).toBe(true);
    expect(aggregate([nodes[2]!, unreadable('x.json', 'empty file')]).ok).toBe(false);
    expect(aggregate([nodes[3]!]).ok).toBe(false); // summary.ok false without any fail
  });

  it('lists the reports root did not write, by the owner of the file read, without counting them against the fleet', () => {
    const forged = { ...nodes[2]!, node: 'tvm-9', source: '/shared/batch-preflight/report.json', owner: 1001 };
    const s = aggregate([{ ...nodes[2]!, owner: 0 }, forged]);
    expect(s.notWrittenByRoot).toEqual([{ node: 'tvm-9', source: '/shared/batch-preflight/report.json', owner: 1001 }]);
    expect(s.ok).toBe(true);
    expect(renderHumanSummary(s)).toMatch(/\nReports not written by root \(any task user could have written these; the agent writes its start-task report as root\):\n  \/shared\/batch-preflight\/report\.json \(tvm-9\): owned by uid 1001\n/);
  });

  it('counts the report root wrote for a node, not a newer one another user wrote (a forgery), and lists the forgery', () => {
    const real = { ...digestReport('/var/lib/batch-preflight/report.json', fakeReport({ nodeId: 'tvm-1', hostname: 'h', checks: [{ id: 'sshd', status: 'fail' as const, message: 'no sshd' }] })), owner: 0, startedAtMs: 1000 };
    const forged = { ...digestReport('/shared/batch-preflight/report.json', fakeReport({ nodeId: 'tvm-1', hostname: 'h', checks: [ok('sshd')] })), owner: 1001, startedAtMs: 2000 };
    for (const order of [[real, forged], [forged, real]]) {
      const s = aggregate(order);
      expect(s.failedNodes).toEqual(['tvm-1']);
      expect(s.duplicateNodes).toEqual([{ node: 'tvm-1', reports: 2, counted: '/var/lib/batch-preflight/report.json' }]);
      expect(s.notWrittenByRoot).toEqual([{ node: 'tvm-1', source: '/shared/batch-preflight/report.json', owner: 1001 }]);
    }
  });

  it('keeps the top messages and says how many there were', () => {
    const many = Array.from({ length: 30 }, (_, i) => digestReport(`m${i}.json`, fakeReport({ nodeId: `n${i}`, hostname: '', checks: [{ id: 'sshd', status: 'fail', message: `port ${i % 25}` }] })));
    const s = aggregate(many, 3);
    expect(s.distinctFailureMessages).toBe(25);
    expect(s.failureMessages.map((m) => [m.message, m.count])).toEqual([['port 0', 2], ['port 1', 2], ['port 2', 2]]);
  });
});

describe('reading report files', () => {
  it('walks directories for *.json, follows no link below an argument (a .json link is listed as refused), and reports every unusable file', async () => {
    const root = tempTree({
      'a/tvm-1/batch-preflight/report.json': JSON.stringify(fakeReport({ nodeId: 'tvm-1', hostname: 'h', checks: [ok('sshd')] })),
      'a/tvm-2/batch-preflight/report.json': JSON.stringify(fakeReport({ nodeId: 'tvm-2', hostname: 'h', checks: [ok('sshd')] })).slice(0, 100),
      'a/tvm-3/batch-preflight/report.json': '',
      'a/tvm-3/batch-preflight/stdout.txt': 'not a report, not read',
    });
    symlinkSync(path.join(root, 'a'), path.join(root, 'a/tvm-1/loop'));
    symlinkSync(path.join(root, 'a/tvm-1/batch-preflight/report.json'), path.join(root, 'a/linked.json'));
    mkdirSync(path.join(root, 'a/report-dir.json'));
    const digests: NodeDigest[] = [];
    await readAll([path.join(root, 'a'), path.join(root, 'missing.json')], (d) => digests.push(d), 2);
    const bySource = Object.fromEntries(digests.map((d) => [path.relative(root, d.source), d.problems]));
    expect(bySource).toEqual({
      'a/linked.json': ['is a symbolic link (not followed)'],
      'a/tvm-1/batch-preflight/report.json': [],
      'a/tvm-2/batch-preflight/report.json': [expect.stringMatching(/^not valid JSON/)],
      'a/tvm-3/batch-preflight/report.json': ['empty file'],
      'missing.json': ['does not exist'],
    });
  });

  it('never quotes the bytes of a file that is not JSON (V8 puts the start of the text in its message)', async () => {
    const root = tempTree({ 'secret.json': 'root:$y$j9T$SECRETHASH:19000:0:99999:7:::', 'cut.json': '{"a":1' });
    expect((await readReport(path.join(root, 'secret.json'))).problems).toEqual(['not valid JSON']);
    expect((await readReport(path.join(root, 'cut.json'))).problems).toEqual(['not valid JSON (error at byte 6)']);
  });

  it('a link named as the file argument is refused, whatever it points to', async () => {
    const root = tempTree({});
    symlinkSync('/etc/shadow', path.join(root, 'shadow.json'));
    symlinkSync('/nonexistent/secret', path.join(root, 'none.json'));
    expect((await readReport(path.join(root, 'shadow.json'))).problems).toEqual(['is a symbolic link (not followed)']);
    expect((await readReport(path.join(root, 'none.json'))).problems).toEqual(['is a symbolic link (not followed)']);
  });

  it('does not read a file far too large to be a report', async () => {
    const root = tempTree({});
    writeFileSync(path.join(root, 'big.json'), Buffer.alloc(17 * 1024 * 1024, 0x20));
    expect((await readReport(path.join(root, 'big.json'))).problems).toEqual([`too large to be a report (${17 * 1024 * 1024} bytes)`]);
  });

  it('is a usage error when no path exists or nothing was found', async () => {
    await expect(executeSummarize(['/no/such/dir'], 'json')).rejects.toThrow(UsageError);
    await expect(executeSummarize([tempTree({ 'notes.txt': 'x' })], 'json')).rejects.toThrow(/no \*\.json reports found/);
  });
});

describe('renderings', () => {
  const s = aggregate([
    digestReport('r1.json', fakeReport({ nodeId: 'tvm-1', hostname: '', checks: [ok('sshd'), { id: 'docker.socket', status: 'fail', message: 'a | b\nc' }] })),
    digestReport('r2.json', fakeReport({ nodeId: 'tvm-2', hostname: '', checks: [ok('sshd'), ok('docker.socket')] })),
    unreadable('r3.json', 'empty file'),
  ]);

  it('human: a table, the failing nodes, the messages, the unusable reports and a verdict', () => {
    const text = renderHumanSummary(s);
    expect(text).toMatch(/^docker\.socket\s+1\s+0\s+1\s+0\s+0$/m);
    expect(text).toContain('  docker.socket fail (1): tvm-1');
    // One message, one line: a newline from the host is shown, not obeyed.
    expect(text).toContain('1 × docker.socket fail: a | b\\x0ac');
    expect(text).toContain('  r3.json: empty file');
    expect(text.trimEnd().split('\n').at(-1)).toBe('NOT READY: 1 of 3 nodes failed; 1 report unreadable or incomplete');
  });

  it('human: cuts long node lists short', () => {
    const many = aggregate(Array.from({ length: 25 }, (_, i) => digestReport('r.json', fakeReport({ nodeId: `n${i}`, hostname: '', checks: [{ id: 'sshd', status: 'fail' }] }))));
    expect(renderHumanSummary(many)).toContain('n18, n19 and 5 more');
  });

  it('markdown: report text stays text in HTML renderings (job summaries, pull-request comments)', () => {
    const hostile = aggregate([
      digestReport('r1.json', fakeReport({ nodeId: '[tvm](https://evil.example)', hostname: '', checks: [{ id: 'x`<img src=x onerror=alert(1)>`', status: 'fail', message: '<details><summary>all good</summary> *ok* _ok_ ~~x~~ &amp; \u202eon\u202c' }] })),
    ]);
    const md = renderMarkdownSummary(hostile);
    // Outside the code spans (where HTML is not read) there is no < at all: no tag of the report's own.
    expect(md.replaceAll('`` x`<img src=x onerror=alert(1)>` ``', '')).not.toContain('<');
    expect(md).toContain('&lt;details&gt;&lt;summary&gt;all good&lt;/summary&gt; \\*ok\\* \\_ok\\_ \\~\\~x\\~\\~ &amp;amp; \\\\u202eon\\\\u202c');
    // The id's backtick cannot close its code span: the fence is longer than any run inside.
    expect(md).toContain('| `` x`<img src=x onerror=alert(1)>` `` |');
    expect(md).toContain('\\[tvm\\](https://evil.example)');
    expect(md).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  it('markdown: a code span is closed only by its own fence', () => {
    expect(mdCode('plain')).toBe('`plain`');
    expect(mdCode('a``b')).toBe('```a``b```');
    expect(mdCode('`start')).toBe('`` `start ``');
    expect(mdCode('a|b')).toBe('`a\\|b`');
    expect(mdCode('')).toBe('`  `');
  });

  it('markdown: table cells cannot break the table', () => {
    const md = renderMarkdownSummary(s);
    expect(md).toContain('| `docker.socket` | 1 | 0 | 1 | 0 | 0 | tvm-1 |');
    expect(md).toContain('| 1 | `docker.socket` | fail | a \\| b c |');
    expect(md).toContain('| r3.json | r3.json | empty file |');
    for (const line of md.split('\n').filter((l) => l.startsWith('|'))) {
      expect(line.replace(/\\\|/g, '').split('|').length, line).toBeGreaterThan(3);
    }
  });
});
