// CI annotations: problems as GitHub workflow commands or Azure Pipelines logging commands, escaped
// as @actions/core and azure-pipelines-task-lib escape them, so host text cannot start a command.
import { describe, expect, it } from 'vitest';
import { reportOf } from '../helpers/report-of';
import { outcomeOf } from '../../src/engine/outcome';
import { fail, pass, warn } from '../../src/check-helpers';
import { renderReport } from '../../src/report/render';
import { summarize } from '../../src/report/report';

const meta = (id: string) => ({ id, title: id, area: 'a' });
const checks = [
  outcomeOf(meta('sshd'), fail('nothing listens on 22: 100%\n::error::forged', 'systemctl enable --now ssh'), 1),
  outcomeOf(meta('selinux.mode'), warn('enforcing', 'setenforce 0'), 1),
  outcomeOf(meta('os.distro'), pass('ok'), 1),
];

describe('GitHub Actions workflow commands', () => {
  it('an error per blocking check, a warning per warning, the verdict last; newlines and % escaped', () => {
    expect(renderReport(reportOf(checks), 'github')).toBe(
      [
        '::error title=batch-preflight sshd::nothing listens on 22: 100%25%0A::error::forged%0Afix: systemctl enable --now ssh',
        '::warning title=batch-preflight selinux.mode::enforcing%0Afix: setenforce 0',
        '::error title=batch-preflight::NOT READY: sshd',
        '',
      ].join('\n'),
    );
  });

  it('under --strict a warning is an error; a ready run is a notice', () => {
    const warnOnly = checks.slice(1);
    expect(renderReport({ ...reportOf(warnOnly), summary: summarize(warnOnly, true) }, 'github')).toMatch(/^::error title=batch-preflight selinux.mode::/);
    expect(renderReport({ ...reportOf(warnOnly), summary: summarize(warnOnly, false) }, 'github')).toMatch(/\n::notice title=batch-preflight::READY\n$/);
  });
});

describe('Azure Pipelines logging commands', () => {
  it('breaks a logging-command marker in host text, which the agent would act on anywhere in a line', () => {
    const forged = [outcomeOf(meta('os.distro'), fail('PRETTY_NAME ##vso[task.setvariable variable=x]y and ##[group]z', 'fix'), 1)];
    const out = renderReport(reportOf(forged), 'azure-pipelines');
    expect(out).toContain('PRETTY_NAME ##vso [task.setvariable variable=x]y and ## [group]z');
    expect(out.match(/##vso\[/g)).toHaveLength(3);
  });

  it('logissue per problem, escaped (%AZP25), and a failed task result when not ready', () => {
    expect(renderReport(reportOf(checks), 'azure-pipelines')).toBe(
      [
        '##vso[task.logissue type=error;]batch-preflight sshd: nothing listens on 22: 100%AZP25%0A::error::forged%0Afix: systemctl enable --now ssh',
        '##vso[task.logissue type=warning;]batch-preflight selinux.mode: enforcing%0Afix: setenforce 0',
        '##vso[task.logissue type=error;]batch-preflight: NOT READY: sshd',
        '##vso[task.complete result=Failed;]batch-preflight: NOT READY',
        '',
      ].join('\n'),
    );
  });
});
