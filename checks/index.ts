// The one registry of built-in checks. Adding a check: one module in checks/, one line here.
import type { Check } from '../src/types';
import { selinuxMode } from './selinux-mode';
import { waagentResourceDisk } from './waagent-resource-disk';
import { sshd } from './sshd';
// firewall checks
import { firewallInbound } from './firewall-inbound';
import { firewallOutbound } from './firewall-outbound';

export const builtinChecks: readonly Check[] = [
  selinuxMode,
  waagentResourceDisk,
  sshd,
  // firewall checks
  firewallInbound,
  firewallOutbound,
];
