// JUnit XML in the dialect of the Jenkins xunit plugin's junit-10.xsd, which the GitHub and Azure
// Pipelines test reporters read: one testcase per check that ran (or could not run because a check
// it depends on did not pass). A fail is a <failure>, an error an <error>, a warning a <failure>
// under --strict (it fails the run) and system-out otherwise, so the document agrees with the exit
// code. A run that checked nothing is one failing testcase saying so.
import { listedChecks, nothingChecked, type Report } from './report';
import { isBlocking, type CheckOutcome } from '../types';
import { xmlEscape } from './xml';

const secs = (ms: number) => (ms / 1000).toFixed(3);

function testcase(c: CheckOutcome, strict: boolean): string[] {
  const head = `    <testcase classname="batch-preflight.${xmlEscape(c.area)}" name="${xmlEscape(c.id)}: ${xmlEscape(c.title)}" time="${secs(c.durationMs)}"`;
  if (c.status === 'pass') return [`${head}/>`];
  const body = xmlEscape([c.message, c.remediation ? `fix: ${c.remediation}` : ''].filter(Boolean).join('\n'));
  let inner: string;
  if (c.status === 'skip') inner = `<skipped message="${xmlEscape(c.skipReason ?? '')}"/>`;
  else if (c.status === 'error') inner = `<error message="${xmlEscape(c.message)}" type="error">${body}</error>`;
  else if (isBlocking(c.status, strict)) inner = `<failure message="${xmlEscape(c.message)}" type="${c.status}">${body}</failure>`;
  else inner = `<system-out>${xmlEscape('warning: ')}${body}</system-out>`;
  return [`${head}>`, `      ${inner}`, '    </testcase>'];
}

export function renderJunit(report: Report): string {
  const strict = report.summary.strict;
  const listed = listedChecks(report);
  const cases = listed.flatMap((c) => testcase(c, strict));
  let tests = listed.length;
  let failures = listed.filter((c) => c.status !== 'error' && isBlocking(c.status, strict)).length;
  if (nothingChecked(report.checks)) {
    tests += 1;
    failures += 1;
    cases.push(
      `    <testcase classname="batch-preflight.run" name="checks ran" time="0.000">`,
      `      <failure message="nothing was checked" type="nothing-checked">No check ran: every check was skipped or none was selected, so this run says nothing about the host.</failure>`,
      '    </testcase>',
    );
  }
  const errors = listed.filter((c) => c.status === 'error').length;
  const skipped = listed.filter((c) => c.status === 'skip').length;
  const time = secs(report.durationMs);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="batch-preflight" tests="${tests}" failures="${failures}" errors="${errors}" time="${time}">`,
    `  <testsuite name="batch-preflight ${xmlEscape(report.host.hostname)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}" timestamp="${report.startedAt}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
