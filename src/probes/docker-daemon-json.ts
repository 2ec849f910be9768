// dockerd's configuration file: /etc/docker/daemon.json, or whatever --config-file docker.service passes.
import type { Host } from '../host/host';
import { FsError } from '../host/rootfs';
import { parseDaemonJson, type DaemonJsonQuirk } from '../parsers/daemon-json';
import { ParseError } from '../parsers/parse-error';
import { dockerServiceStart } from './docker-unit';
import { messageOf } from '../errors';

export const DEFAULT_DAEMON_JSON = '/etc/docker/daemon.json';

export type DaemonJsonProbe =
  | { state: 'ok'; path: string; config: Record<string, unknown>; quirks: DaemonJsonQuirk[] }
  | { state: 'absent'; path: string }
  /** dockerd would refuse to start: `line` and `reason` say where and why. */
  | { state: 'invalid'; path: string; reason: string; line?: number }
  | { state: 'unreadable'; path: string; reason: string };

export function daemonJson(host: Host): Promise<DaemonJsonProbe> {
  return host.probe('docker-daemon-json', async () => {
    let start;
    try {
      start = await dockerServiceStart(host);
    } catch (err) {
      // Without the unit we cannot tell which file dockerd reads: never judge the default instead.
      const why = messageOf(err);
      return { state: 'unreadable', path: DEFAULT_DAEMON_JSON, reason: `docker.service could not be read to find dockerd's --config-file: ${why}` };
    }
    const file = start.flags.configFile ?? DEFAULT_DAEMON_JSON;
    let text: string | null;
    try {
      text = await host.fs.readTextIfExists(file);
    } catch (err) {
      return { state: 'unreadable', path: file, reason: err instanceof FsError ? err.message : String(err) };
    }
    if (text === null) return { state: 'absent', path: file };
    try {
      return { state: 'ok', path: file, ...parseDaemonJson(text) };
    } catch (err) {
      if (err instanceof ParseError) return { state: 'invalid', path: file, reason: err.message, line: err.line };
      throw err;
    }
  });
}
