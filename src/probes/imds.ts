// The instance metadata service as node prep asks it (get_vm_size_from_imds: `curl -fSsL -H
// Metadata:true http://169.254.169.254/metadata/instance?api-version=2019-04-30`), once per run:
// through the proxy curl would take from the start task's environment (http_proxy / ALL_PROXY
// unless no_proxy covers 169.254.169.254), else directly. BATCH_PREFLIGHT_IMDS_URL points it
// elsewhere (tests: a loopback server); the proxy decision is still made for 169.254.169.254.
import type { Host } from '../host/host';
import { IMDS_HOST, NODE_PREP_IMDS_URL, readVmSize, type ImdsAnswer } from '../host/imds';
import { curlHttpProxy, proxyUrl, redactProxy, type ProxyRoute } from '../parsers/proxy-env';

/** Longer than --imds's 500 ms: here a slow answer is still an answer, and only a silent service fails. */
export const IMDS_CHECK_TIMEOUT_MS = 3000;

export interface NodePrepImds {
  answer: ImdsAnswer;
  /** The route node prep's curl takes; `proxy` redacted (no credentials). */
  route: ProxyRoute;
}

export function imdsAnswer(host: Host): Promise<NodePrepImds> {
  return host.probe('imds', async () => {
    const route = curlHttpProxy(host.env, IMDS_HOST);
    if (route.proxy === null) return { answer: await readVmSize(host.env, IMDS_CHECK_TIMEOUT_MS, { defaultUrl: NODE_PREP_IMDS_URL }), route };
    const proxy = proxyUrl(route.proxy);
    const shown = { proxy: redactProxy(route.proxy), why: route.why };
    if (!proxy) return { answer: { ok: false, reason: 'the proxy value is not a URL curl could use', url: NODE_PREP_IMDS_URL }, route: shown };
    return { answer: await readVmSize(host.env, IMDS_CHECK_TIMEOUT_MS, { defaultUrl: NODE_PREP_IMDS_URL, proxy }), route: shown };
  });
}
