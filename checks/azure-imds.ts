import type { Check } from '../src/types';
import { fail, pass } from '../src/check-helpers';
import { imdsAnswer, IMDS_CHECK_TIMEOUT_MS } from '../src/probes/imds';

const NO_PROXY_FIX =
  'Add 169.254.169.254 to no_proxy (and NO_PROXY) in the start task environment, e.g. no_proxy=169.254.169.254,168.63.129.16,... ' +
  "(Azure's Instance Metadata Service docs: clients must bypass web proxies when they ask it).";

/** HTTP 429 is IMDS's rate limit, which waiting clears; any other 4xx answers the same request the same way. */
const retryableStatus = (status: number | undefined) => status === undefined || status === 429 || status >= 500;

export const azureImds: Check = {
  id: 'azure.imds',
  title: 'Instance metadata service answers',
  area: 'azure',
  features: [],
  dependsOn: [],
  // What Batch Shipyard's node prep does; plain Batch pools run no such step.
  targets: ['shipyard'],
  live: true,
  // Only the node itself can answer this: an image-build VM or a CI machine is not the node.
  modes: ['start-task'],
  category: 'node',
  readiness: true,
  description:
    'Batch Shipyard node prep reads the VM size on every pool with `curl -fSsL -H Metadata:true ' +
    'http://169.254.169.254/metadata/instance?api-version=2019-04-30` (get_vm_size_from_imds) and parses compute.vmSize. That curl honours ' +
    'the start task environment: http_proxy (lower case only) or ALL_PROXY, unless no_proxy/NO_PROXY covers 169.254.169.254. In start-task mode, ' +
    `asks the same URL with the same header the same way (through that proxy when curl would use it; ${IMDS_CHECK_TIMEOUT_MS / 1000} s timeout) and ` +
    'passes when the answer is JSON with compute.vmSize and no proxy is in the way. BATCH_PREFLIGHT_IMDS_URL points it at another endpoint (tests use a loopback server).',
  consequence:
    'fail: node prep runs that curl under set -e, so without an answer it stops and the node goes to starttaskfailed. A proxy in the way fails too ' +
    '(Azure: clients must bypass proxies for the metadata service; through a proxy the answer is not this VM\'s or none) and is not retried. ' +
    'An HTTP 4xx other than 429 is not retried: the same request gets the same answer.',
  fix: 'Make 169.254.169.254 reachable without a proxy: no host firewall rule or route that blocks it, no_proxy covering it; if this VM alone cannot reach it, reboot or redeploy it.',
  async run({ host }) {
    const { answer: a, route } = await imdsAnswer(host);
    const evidence = { url: a.url, proxy: route.proxy, route: route.why, ...(a.ok ? { vmSize: a.vmSize } : { reason: a.reason }) };
    if (route.proxy !== null) {
      const got = a.ok ? `it answered compute.vmSize ${a.vmSize}, which need not be this VM's` : `asked that way: ${a.reason}`;
      return fail(
        `node prep's curl would ask the instance metadata service through the proxy ${route.proxy} (${route.why}), where Azure requires it be asked directly; ${got}`,
        NO_PROXY_FIX,
        evidence,
        { category: 'config', retryable: false },
      );
    }
    if (a.ok) return pass(`the instance metadata service answers at ${a.url} (compute.vmSize ${a.vmSize}), without a proxy (${route.why})`, evidence);
    return fail(
      `the instance metadata service did not answer as node prep needs at ${a.url}: ${a.reason}; node prep's curl for the VM size would stop it`,
      'Check that nothing blocks 169.254.169.254 (host firewall OUTPUT rules, routes); if the VM itself is at fault, reboot or redeploy it.',
      evidence,
      retryableStatus(a.status) ? undefined : { retryable: false },
    );
  },
};
