// The instance metadata service as node prep asks it (`curl -H Metadata:true .../metadata/instance`),
// once per run. BATCH_PREFLIGHT_IMDS_URL points it elsewhere (tests: a loopback server).
import type { Host } from '../host/host';
import { readVmSize, type ImdsAnswer } from '../host/imds';

/** Longer than --imds's 500 ms: here a slow answer is still an answer, and only a silent service fails. */
export const IMDS_CHECK_TIMEOUT_MS = 3000;

export function imdsAnswer(host: Host): Promise<ImdsAnswer> {
  return host.probe('imds', () => readVmSize(host.env, IMDS_CHECK_TIMEOUT_MS));
}
