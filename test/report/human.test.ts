// The human report at a glance: problems with fixes, a line per area that passed, skips by reason;
// --verbose, --only, what --wait did; symbols, colour and width after the reader's terminal.
import { describe, expect, it } from 'vitest';
import { reportOf as reportWith } from '../helpers/report-of';
import { outcomeOf } from '../../src/engine/outcome';
import { fail, pass } from '../../src/check-helpers';
import { renderHuman } from '../../src/report/human';
import { PLAIN, terminalWidth, wantsColour, wantsUnicode } from '../../src/report/human-style';
import type { CheckOutcome, SkipKind } from '../../src/types';

const meta = (id: string, area: string, extra: object = {}) => ({ id, title: id, area, ...extra });
const skip = (id: string, area: string, why: string, skipKind: SkipKind): CheckOutcome => ({ id, title: id, area, status: 'skip', message: why, skipReason: why, skipKind, durationMs: 0 });

const reportOf = (checks: CheckOutcome[]) => reportWith(checks, 'start-task');

const checks: CheckOutcome[] = [
  outcomeOf(meta('os.distro', 'os'), pass('Ubuntu 22.04 is supported'), 1),
  outcomeOf(meta('docker.engine', 'docker'), pass('installed'), 1),
  { ...outcomeOf(meta('docker.socket', 'docker', { readiness: true }), pass('answers'), 2400), attempts: 5, readyAfterMs: 2350 },
  { ...outcomeOf(meta('rdma.devices', 'rdma', { readiness: true }), fail('no Infiniband device', 'use an RDMA size', undefined, { retryable: false }), 3), attempts: 1 },
  { ...outcomeOf(meta('sshd', 'network', { readiness: true }), fail('nothing listens on TCP 22', 'systemctl start ssh'), 10_020), attempts: 9 },
  skip('nvidia.driver', 'gpu', 'applies only when gpu is required, and this host does not require it', 'not-required'),
  skip('docker.gpus', 'docker', 'applies only when gpu is required, and this host does not require it', 'not-required'),
  skip('docker.boot', 'docker', 'depends on docker.engine, which did not pass (fail)', 'dependency'),
];

describe('the default human report', () => {
  const text = renderHuman(reportOf(checks));

  it('shows the problems with their fixes and what --wait did, then a line per area, then skips by reason', () => {
    expect(text).toContain(
      [
        'x FAIL  rdma.devices [image]: no Infiniband device',
        '        fix: use an RDMA size',
        '        not retried: waiting cannot change this',
        'x FAIL  sshd [image]: nothing listens on TCP 22',
        '        fix: systemctl start ssh',
        '        still not ready after 9 attempts over 10.0 s',
        '',
        '+ os: 1 passed (os.distro)',
        '+ docker: 2 passed (docker.engine, docker.socket)',
        '- 3 skipped: 2 not required here, 1 after a check they depend on did not pass (--verbose lists them)',
        '',
        'x NOT READY: 3 passed, 0 warnings, 2 failed, 0 errors, 3 skipped in 42 ms',
      ].join('\n'),
    );
    expect(text).not.toContain('Ubuntu 22.04 is supported');
  });

  it('--verbose shows every check by area, with skip reasons and time to ready', () => {
    const v = renderHuman(reportOf(checks), { ...PLAIN, verbose: true });
    expect(v).toContain('\ndocker\n+ PASS  docker.engine: installed\n+ PASS  docker.socket: answers (ready after 2.4 s (5 attempts))\n- SKIP  docker.gpus: applies only when gpu is required');
    expect(v).toContain('+ PASS  os.distro: Ubuntu 22.04 is supported');
    expect(v).toContain('- SKIP  docker.boot: depends on docker.engine, which did not pass (fail)');
  });

  it('--only: the checks it left out are not shown, only counted', () => {
    const only = [checks[4]!, ...checks.filter((c) => c.id !== 'sshd').map((c) => skip(c.id, c.area, 'not selected by --only', 'not-selected'))];
    const r = renderHuman(reportOf(only));
    expect(r).not.toMatch(/os\.distro|skipped:/);
    expect(r).toContain('x NOT READY: 0 passed, 0 warnings, 1 failed, 0 errors, 0 skipped (7 not selected by --only) in 42 ms');
    expect(renderHuman(reportOf(only), { ...PLAIN, verbose: true })).not.toContain('os.distro');
  });

  it('counts skips by kind, and says a run that checked nothing is not ready', () => {
    const skips = [
      skip('docker.autostart', 'docker', "applies only to plain Azure Batch pools (--target batch); this run's target is shipyard", 'target'),
      skip('hardware.gpus', 'hardware', 'the VM size is not known: give --vm-size, --batch-pool or --pool, or --imds in start-task mode', 'vm-size-unknown'),
      skip('docker.socket', 'docker', 'offline root: this check needs the running host', 'needs-host'),
      skip('rdma.devices', 'rdma', 'offline root: this check needs the running host', 'needs-host'),
      skip('azure.imds', 'azure', 'runs only in start-task mode (this run is in image mode)', 'mode'),
    ];
    expect(renderHuman(reportOf(skips))).toContain(
      '- 5 skipped: 1 for another target, 1 without a known VM size, 2 need the running host, 1 not for this mode (--verbose lists them)',
    );
    expect(renderHuman(reportOf(skips))).toMatch(/\nx NOT READY: nothing was checked: 0 passed, 0 warnings, 0 failed, 0 errors, 5 skipped in 42 ms\n$/);
  });

  it('says READY with a check mark when nothing stands in the way', () => {
    expect(renderHuman(reportOf(checks.slice(0, 3)), { ...PLAIN, unicode: true })).toMatch(/\n✔ READY: 3 passed, 0 warnings, 0 failed, 0 errors, 0 skipped in 42 ms\n$/);
  });
});

describe('terminal conventions', () => {
  it('uses ✔ ✖ ⚠ on a UTF-8 locale, colours only when asked', () => {
    const warnCheck = outcomeOf(meta('selinux.mode', 'security'), { findings: [{ status: 'warn', message: 'permissive', remediation: 'setenforce 0' }] }, 1);
    const u = renderHuman(reportOf([checks[0]!, checks[3]!, warnCheck]), { ...PLAIN, unicode: true });
    expect(u).toContain('✖ FAIL  rdma.devices');
    expect(u).toContain('⚠ WARN  selinux.mode');
    expect(u).toContain('✔ os: 1 passed');
    expect(u).not.toContain('\x1b[');
    const c = renderHuman(reportOf([checks[3]!]), { ...PLAIN, colour: true });
    expect(c).toContain('\x1b[31mx\x1b[0m \x1b[31mFAIL \x1b[0m \x1b[1mrdma.devices\x1b[0m');
  });

  it('wraps long messages at the width with a hanging indent, words whole', () => {
    const long = outcomeOf(meta('tools.nodeprep', 'os'), fail(`${'word '.repeat(30)}end`, 'apt-get install -y pciutils'), 1);
    const lines = renderHuman(reportOf([long]), { ...PLAIN, width: 40 }).split('\n');
    const problem = lines.slice(lines.findIndex((l) => l.startsWith('x FAIL')));
    expect(problem[0]).toBe('x FAIL  tools.nodeprep [image]: word');
    for (const l of problem.slice(0, 5)) expect(l.length).toBeLessThanOrEqual(40);
    expect(problem[1]).toMatch(/^ {8}word word/);
    expect(problem.find((l) => l.includes('fix:'))).toBe('        fix: apt-get install -y pciutils');
    expect(renderHuman(reportOf([long]))).toContain(`${'word '.repeat(30)}end`);
  });

  it.each([
    [{}, true, true, true],
    [{}, false, true, false],
    [{ NO_COLOR: '1' }, true, true, false],
    [{ NO_COLOR: '' }, true, true, true],
    [{ TERM: 'dumb' }, true, true, false],
    [{ FORCE_COLOR: '1' }, false, true, true],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true, true],
    [{ FORCE_COLOR: '0' }, true, true, false],
    [{ FORCE_COLOR: '1' }, true, false, false],
  ])('colour with env %j, terminal %s, --color %s: %s', (env, terminal, flag, expected) => {
    expect(wantsColour(env, terminal, flag)).toBe(expected);
  });

  it('reads the locale and the width like other CLIs', () => {
    expect(wantsUnicode({ LANG: 'en_US.UTF-8' })).toBe(true);
    expect(wantsUnicode({ LC_ALL: 'C', LANG: 'en_US.UTF-8' })).toBe(false);
    expect(wantsUnicode({ LC_CTYPE: 'C.utf8' })).toBe(true);
    expect(wantsUnicode({})).toBe(false);
    expect(terminalWidth({ COLUMNS: '80' }, 132)).toBe(132);
    expect(terminalWidth({ COLUMNS: '80' }, undefined)).toBe(80);
    expect(terminalWidth({ COLUMNS: 'wide' }, undefined)).toBeUndefined();
  });
});
