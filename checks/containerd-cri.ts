import type { Check, Evidence, Finding } from '../src/types';
import { combine, error, fail, finding, unreadable } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { unitFile } from '../src/probes/unit-files';
import { installCommand } from '../src/remediation';
import { parseDisabledPlugins } from '../src/parsers/containerd-config';
import { ParseError } from '../src/parsers/parse-error';

const SOCKET = '/run/containerd/containerd.sock';
const CONFIG = '/etc/containerd/config.toml';
const PKGS = { debian: 'containerd', rhel: 'containerd.io' };

export const containerdCri: Check = {
  id: 'containerd.cri',
  title: 'containerd with its CRI plugin (criCompatible container pools)',
  area: 'containers',
  features: ['containerd'],
  dependsOn: [],
  live: false,
  description:
    'A Batch pool whose containerConfiguration.type is criCompatible runs its containers through a CRI runtime: containerd with its CRI ' +
    `plugin, on its socket ${SOCKET}. Checks that containerd is installed, that containerd.service is enabled at boot, that ${CONFIG} does not ` +
    'list the CRI plugin in disabled_plugins (the containerd.io package from Docker\'s repository ships with `disabled_plugins = ["cri"]`), ' +
    'and, on a running host, that a gRPC server answers on the socket. ctr and crictl are optional; where they are is in the evidence.',
  consequence:
    "fail: a criCompatible pool's container tasks have no CRI runtime to run in; with waitForSuccess the node goes to starttaskfailed",
  fix: `Install containerd, remove "cri" from disabled_plugins in ${CONFIG} (or regenerate it with \`containerd config default\`), then systemctl enable --now containerd.service.`,
  async run({ host }) {
    const os = await osRelease(host);
    const [containerd, ctr, crictl] = await Promise.all(['containerd', 'ctr', 'crictl'].map((c) => host.which(c)));
    const evidence: Evidence = { containerd, ctr, crictl, config: CONFIG, socket: SOCKET };
    if (!containerd) return fail('containerd is not installed: criCompatible container pools need it', installCommand(os.family, PKGS), evidence);

    let unit;
    let configText;
    try {
      [unit, configText] = await Promise.all([unitFile(host, 'containerd.service'), host.fs.readTextIfExists(CONFIG)]);
    } catch (err) {
      return unreadable(err);
    }
    evidence.unit = unit.state;
    let disabled: string[] = [];
    try {
      disabled = configText === null ? [] : parseDisabledPlugins(configText);
    } catch (err) {
      if (err instanceof ParseError) return error(`could not read disabled_plugins in ${CONFIG}: ${err.message}`, evidence);
      throw err;
    }
    evidence.disabledPlugins = disabled;
    const problems: Finding[] = [];
    if (disabled.some((p) => p === 'cri' || p === 'io.containerd.grpc.v1.cri')) {
      problems.push(finding.fail(`${CONFIG} disables the CRI plugin (disabled_plugins = ${JSON.stringify(disabled)})`, `Remove "cri" from disabled_plugins in ${CONFIG} and restart containerd`));
    }
    if (unit.state !== 'enabled') {
      problems.push(finding.fail(`containerd.service is ${unit.state}, not enabled at boot, so nothing starts containerd before Batch uses it`, 'systemctl enable containerd.service'));
    }
    let socketNote = 'the socket was not tried: not a live host';
    if (host.live && problems.length === 0) {
      const answer = await host.probe('containerd-grpc', () => host.grpc(SOCKET));
      evidence.socketAnswer = answer.ok ? 'answered' : answer.detail;
      if (answer.ok) socketNote = `containerd answers on ${SOCKET}`;
      else if (answer.reason === 'denied' || answer.reason === 'io') return error(`could not tell whether containerd answers: ${answer.detail}`, evidence);
      // containerd may still be starting at boot: worth a retry.
      else problems.push(finding.fail(`containerd does not answer on ${SOCKET}: ${answer.detail}`, 'systemctl start containerd.service, and see journalctl -u containerd', { category: 'transient', retryable: true }));
    }
    return combine(problems, evidence, `containerd ${containerd} is installed and enabled at boot, its CRI plugin is not disabled; ${socketNote}`);
  },
};
