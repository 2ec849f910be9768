// The common shape of "the tool is installed; does its version self-report run?" for checks:
// either the version (or a note that it was not run) or the failing result, worded for the check.
import type { CheckResult } from './types';
import type { Host } from './host/host';
import { error, fail, pass, warn } from './check-helpers';
import { runTool } from './run-tool';
import { osRelease } from './probes/os-release';
import { installCommand, reinstallCommand, type Packages } from './remediation';

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

export interface SingleToolSpec {
  cmd: string;
  versionArgs: readonly string[];
  parse: (text: string) => string;
  pkgs: Packages;
  /** What cannot be done without it, e.g. "NFS storage clusters cannot be mounted". */
  without: string;
  /**
   * Where something else installs the tool when it is missing (the Batch node agent for a
   * mountConfiguration), its absence is a warning: why it is not a failure, and the fix.
   */
  installedByOthers?: { why: string; fix: string };
}

/** A whole check for one tool: installed in the fixed PATH, and its version self-report runs. */
export async function singleToolCheck(host: Host, spec: SingleToolSpec): Promise<CheckResult> {
  const os = await osRelease(host);
  const binary = await host.which(spec.cmd);
  if (!binary) {
    const searched = { searched: `${spec.cmd} in the fixed PATH` };
    if (spec.installedByOthers) return warn(`${spec.cmd} is not installed: ${spec.installedByOthers.why}`, spec.installedByOthers.fix, searched, { retryable: false });
    return fail(`${spec.cmd} is not installed, so ${spec.without}`, installCommand(os.family, spec.pkgs), searched);
  }
  const evidence: Record<string, unknown> = { binary };
  const v = await selfReport(host, spec.cmd, spec.versionArgs, spec.parse, reinstallCommand(os.family, spec.pkgs), evidence);
  if (!v.ok) return v.result;
  evidence.version = v.version;
  return pass(`${spec.cmd} is installed at ${binary}; ${v.note}`, evidence);
}
