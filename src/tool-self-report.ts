// The common shape of "the tool is installed; does its version self-report run?" for checks:
// either the version (or a note that it was not run) or the failing result, worded for the check.
import type { CheckResult } from './types';
import type { Host } from './host/host';
import { error, fail } from './check-helpers';
import { runTool } from './run-tool';

export type SelfReport = { ok: true; version: string | null; note: string } | { ok: false; result: CheckResult };

export async function selfReport(
  host: Host,
  cmd: string,
  args: readonly string[],
  parse: (text: string) => string,
  reinstall: string,
  evidence: Record<string, unknown>,
): Promise<SelfReport> {
  const shown = `${cmd} ${args.join(' ')}`;
  if (!host.canExec) return { ok: true, version: null, note: `\`${shown}\` not run: commands are not run against an offline root` };
  const r = await runTool(host, cmd, args, parse);
  evidence[`${cmd} output`] = 'output' in r ? r.output : '';
  switch (r.kind) {
    case 'ok':
      return { ok: true, version: r.value, note: `\`${shown}\` reports ${r.value}` };
    case 'broken':
      return { ok: false, result: fail(`${cmd} is installed but broken: ${r.summary}`, reinstall, evidence) };
    case 'missing':
      return { ok: false, result: fail(`${cmd} is not installed (${r.summary})`, reinstall, evidence) };
    case 'unknown':
      return { ok: false, result: error(`${cmd} is installed, but could not tell whether it works: ${r.summary}`, evidence) };
  }
}
