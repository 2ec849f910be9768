import type { Check } from '../src/types';
import { fail, pass } from '../src/check-helpers';
import { imdsAnswer, IMDS_CHECK_TIMEOUT_MS } from '../src/probes/imds';

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
    'http://169.254.169.254/metadata/instance?api-version=...` and parses compute.vmSize. In start-task mode, asks the instance ' +
    `metadata service the same question (one GET with the Metadata header, no proxy, ${IMDS_CHECK_TIMEOUT_MS / 1000} s timeout) and ` +
    'passes when the answer is JSON with compute.vmSize. BATCH_PREFLIGHT_IMDS_URL points it at another endpoint (tests use a loopback server).',
  consequence:
    'fail: node prep runs that curl under set -e, so without an answer it stops and the node goes to starttaskfailed (Batch rule: ' +
    'IMDS at 169.254.169.254 must be reachable from the node, without a proxy).',
  fix: 'Make 169.254.169.254 reachable without a proxy: no host firewall rule or route that blocks it, NO_PROXY covering it; if this VM alone cannot reach it, reboot or redeploy it.',
  async run({ host }) {
    const a = await imdsAnswer(host);
    if (a.ok) return pass(`the instance metadata service answers at ${a.url} (compute.vmSize ${a.vmSize})`, { url: a.url, vmSize: a.vmSize });
    return fail(
      `the instance metadata service did not answer as node prep needs at ${a.url}: ${a.reason}; node prep's curl for the VM size would stop it`,
      'Check that nothing blocks 169.254.169.254 (host firewall OUTPUT rules, routes, a proxy without NO_PROXY=169.254.169.254); if the VM itself is at fault, reboot or redeploy it.',
      { url: a.url, reason: a.reason },
    );
  },
};
