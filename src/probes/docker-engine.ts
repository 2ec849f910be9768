// Engine API answers (/_ping, /version, /info), asked once per run and shared by the Docker checks.
import type { Host } from '../host/host';
import type { DockerAnswer } from '../host/docker-api';

export type EngineEndpoint = '/_ping' | '/version' | '/info';

/** The daemon's answer on the Docker socket; callers ask only when `host.live`. */
export function dockerApi(host: Host, endpoint: EngineEndpoint): Promise<DockerAnswer> {
  return host.probe(`docker-api:${endpoint}`, () => host.docker(endpoint, endpoint !== '/_ping'));
}

/** A string field of a JSON object answer, or undefined. */
export function stringField(json: unknown, key: string): string | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const v = (json as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}
