import type { Check } from '../src/types';
import { error, pass, unreadable, warn } from '../src/check-helpers';
import { parseKeyValueFile } from '../src/parsers/ini-keys';

type SelinuxMode = 'enforcing' | 'permissive' | 'disabled';
const MODES: readonly string[] = ['enforcing', 'permissive', 'disabled'];

const ADVICE =
  'Set SELINUX=permissive in /etc/selinux/config (and `setenforce 0` now), run your workloads, collect denials with `ausearch -m avc` / `audit2allow`, ' +
  'craft a policy module for them, and only then return to enforcing.';

export const selinuxMode: Check = {
  id: 'selinux.mode',
  title: 'SELinux mode',
  area: 'security',
  features: [],
  dependsOn: [],
  live: false,
  description:
    'Reads the running SELinux mode from /sys/fs/selinux/enforce (absent means disabled) and the boot mode from ' +
    '/etc/selinux/config. Disabled and permissive pass. Enforcing warns: with the stock policy it can stop the Azure Batch ' +
    'node agent, Docker volume mounts and Shipyard node prep; the guide recommends permissive, or enforcing only with policies ' +
    'crafted from audited denials. A running mode that differs from the boot mode warns, since the next reboot changes behaviour.',
  consequence:
    'warn only: the guide recommends permissive, and enforcing with the stock policy can stop the Batch node agent, Docker volume mounts and node prep; node prep itself never checks the mode, so what breaks depends on the policy.',
  byTarget: {
    batch: {
      description:
        'Reads the running SELinux mode from /sys/fs/selinux/enforce (absent means disabled) and the boot mode from /etc/selinux/config. Disabled and ' +
        'permissive pass. Enforcing warns: with the stock policy it can stop the Azure Batch node agent and Docker volume mounts; permissive, or enforcing ' +
        'only with policies crafted from audited denials, is safe. A running mode that differs from the boot mode warns, since the next reboot changes behaviour.',
      consequence: 'warn only: enforcing with the stock policy can stop the Batch node agent and Docker volume mounts; what breaks depends on the policy.',
    },
  },
  fix: "Set SELINUX=permissive in /etc/selinux/config and run `setenforce 0`; audit denials (ausearch -m avc, audit2allow) and build a policy module before going back to enforcing.",
  async run({ host }) {
    let boot: SelinuxMode = 'disabled';
    let bootSource = '/etc/selinux/config absent (SELinux not installed)';
    try {
      const text = await host.fs.readTextIfExists('/etc/selinux/config');
      if (text !== null) {
        const v = parseKeyValueFile(text).get('SELINUX');
        if (!v) {
          bootSource = '/etc/selinux/config has no SELINUX= line (treated as disabled)';
        } else if (!MODES.includes(v.value.toLowerCase())) {
          return error(`/etc/selinux/config line ${v.line} sets SELINUX=${v.value}, which is not enforcing, permissive or disabled`, { line: v.line, value: v.value });
        } else {
          boot = v.value.toLowerCase() as SelinuxMode;
          bootSource = `/etc/selinux/config line ${v.line}: SELINUX=${v.value}`;
        }
      }
    } catch (err) {
      return unreadable(err);
    }
    const evidence: Record<string, unknown> = { bootMode: boot, bootSource };
    let running: SelinuxMode | undefined;
    if (host.live) {
      try {
        const enforce = await host.fs.readTextIfExists('/sys/fs/selinux/enforce');
        if (enforce === null) running = 'disabled';
        else if (enforce.trim() === '1') running = 'enforcing';
        else if (enforce.trim() === '0') running = 'permissive';
        else return error(`/sys/fs/selinux/enforce holds ${JSON.stringify(enforce.slice(0, 20))}, expected 0 or 1`);
      } catch (err) {
        return unreadable(err);
      }
      evidence.runningMode = running;
    }
    if (running === 'enforcing' || boot === 'enforcing') {
      const which = running === 'enforcing' && boot === 'enforcing' ? 'running and configured at boot' : running === 'enforcing' ? 'running' : 'configured at boot';
      return warn(`SELinux is enforcing (${which}); the stock policy can block the Batch node agent and Docker`, ADVICE, evidence);
    }
    if (running !== undefined && running !== boot) {
      return warn(`SELinux runs ${running} but boots ${boot}: the next reboot changes behaviour`, `Make them agree: set SELINUX=${running} in /etc/selinux/config, or reboot to apply the configured mode.`, evidence);
    }
    return pass(running === undefined ? `SELinux is ${boot} at boot (running mode not read: not a live host)` : `SELinux is ${running}`, evidence);
  },
};
