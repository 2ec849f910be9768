// `dockerd --validate --config-file FILE` (Docker 23.0 and later: moby cmd/dockerd/daemon.go prints
// "configuration OK" on stderr and exits 0, or exits non-zero with the reason): the installed
// daemon's own verdict on daemon.json. Only the flags given here are weighed against the file, so
// conflicts with docker.service's flags are found by the offline rules (daemon-json-directives.ts).
import type { Host } from '../host/host';

export type ValidateProbe =
  | { state: 'ok' }
  | { state: 'refused'; reason: string }
  /** This dockerd has no --validate (before 23.0). */
  | { state: 'unsupported' }
  | { state: 'unknown'; reason: string };

const firstLine = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '')
    ?.slice(0, 300) ?? '';

export function dockerdValidate(host: Host, configFile: string): Promise<ValidateProbe> {
  return host.probe(`dockerd-validate:${configFile}`, async () => {
    const r = await host.exec('dockerd', ['--validate', '--config-file', configFile]);
    if (r.outcome === 'not-found') return { state: 'unknown', reason: r.summary };
    if (r.outcome !== 'exited') return { state: 'unknown', reason: `dockerd --validate did not finish: ${r.summary}` };
    const said = `${r.stderr}\n${r.stdout}`;
    if (r.exitCode === 0 && /^configuration OK$/m.test(said)) return { state: 'ok' };
    if (r.exitCode === 0) return { state: 'unknown', reason: `dockerd --validate exited 0 without "configuration OK": ${JSON.stringify(firstLine(said))}` };
    if (/unknown flag: --validate/.test(said)) return { state: 'unsupported' };
    return { state: 'refused', reason: firstLine(r.stderr) || firstLine(r.stdout) || `exit ${r.exitCode}` };
  });
}
