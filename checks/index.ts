// The one registry of built-in checks. Adding a check: one module in checks/, one line here.
import type { Check } from '../src/types';
import { selinuxMode } from './selinux-mode';
import { waagentResourceDisk } from './waagent-resource-disk';
import { sshd } from './sshd';
// Docker checks
import { dockerEngine } from './docker-engine';
import { dockerSocket } from './docker-socket';
import { dockerVersion } from './docker-version';
import { dockerGroup } from './docker-group';
import { dockerBoot } from './docker-boot';
import { dockerGpus } from './docker-gpus';

export const builtinChecks: readonly Check[] = [
  selinuxMode,
  waagentResourceDisk,
  sshd,
  // Docker checks
  dockerEngine,
  dockerSocket,
  dockerVersion,
  dockerGroup,
  dockerBoot,
  dockerGpus,
];
