// Runs a tool's harmless self-report (-V, --version) and sorts the outcome into what checks need to
// tell apart: it works, it is not there, it is installed but broken, or we could not tell.
// Every caller sorts the same way; each words its own messages from `summary` or from `exec`.
import type { Host } from './host/host';
import type { ExecResult } from './host/exec';
import { ParseError } from './parsers/parse-error';

export type ToolRun<T> =
  | { kind: 'ok'; value: T; output: string; exec: ExecResult }
  | { kind: 'missing'; summary: string; exec: ExecResult }
  /** Ran and failed: non-zero exit or killed by a signal it was not sent. */
  | { kind: 'broken'; summary: string; output: string; exec: ExecResult }
  /** Timed out, or printed something that is not what the tool prints (then `parseError` says what). */
  | { kind: 'unknown'; summary: string; output: string; exec: ExecResult; parseError?: ParseError };

export interface ToolRunOptions {
  /** Parse stdout alone, for tools whose version line must not be taken from stderr. */
  stdoutOnly?: boolean;
}

const clip = (s: string) => s.trim().slice(0, 300);

/** Runs `cmd args` and parses stdout and stderr together (some tools print versions on stderr). */
export async function runTool<T>(host: Host, cmd: string, args: readonly string[], parse: (text: string) => T, opts: ToolRunOptions = {}): Promise<ToolRun<T>> {
  const r = await host.exec(cmd, args);
  const output = clip(`${r.stdout}\n${r.stderr}`);
  const shown = [cmd, ...args].join(' ');
  // Refused by the trust rule: present, but whether it works is unknown (it was not run).
  if (r.untrusted) return { kind: 'unknown', summary: r.summary, output: '', exec: r };
  switch (r.outcome) {
    case 'not-found':
      return { kind: 'missing', summary: r.summary, exec: r };
    case 'timeout':
      return { kind: 'unknown', summary: `\`${shown}\` did not finish in time and was killed`, output, exec: r };
    case 'crashed':
      return { kind: 'broken', summary: `\`${shown}\` crashed (${r.summary})`, output, exec: r };
  }
  if (r.exitCode !== 0) return { kind: 'broken', summary: `\`${shown}\` exited with code ${r.exitCode}${output ? `: ${output.split('\n')[0]}` : ''}`, output, exec: r };
  const text = opts.stdoutOnly ? r.stdout.trim() : `${r.stdout.trim()}\n${r.stderr.trim()}`.trim();
  try {
    return { kind: 'ok', value: parse(text), output, exec: r };
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    return { kind: 'unknown', summary: `\`${shown}\` printed something unexpected (${err.message})`, output, exec: r, parseError: err };
  }
}
