// The one registry of built-in checks. Adding a check: one module in checks/, one line here.
import type { Check } from '../src/types';
import { selinuxMode } from './selinux-mode';
import { waagentResourceDisk } from './waagent-resource-disk';
import { sshd } from './sshd';
// GPU, RDMA and MPI
import { nvidiaDriver } from './nvidia-driver';
import { rdmaDevices } from './rdma-devices';
import { rdmaUserland } from './rdma-userland';
import { mpiRuntime } from './mpi-runtime';
// firewall checks
import { firewallInbound } from './firewall-inbound';
import { firewallOutbound } from './firewall-outbound';
// Storage, OS and disk checks
import { osDistro } from './os-distro';
import { toolsNodeprep } from './tools-nodeprep';
import { nfsClient } from './nfs-client';
import { glusterfsClient } from './glusterfs-client';
import { glusterfsServer } from './glusterfs-server';
import { blobfuse } from './blobfuse';
import { azurefile } from './azurefile';
import { beeond } from './beeond';
import { singularity } from './singularity';
import { resourceDiskMount } from './resource-disk-mount';
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
  // GPU, RDMA and MPI
  nvidiaDriver,
  rdmaDevices,
  rdmaUserland,
  mpiRuntime,
  // firewall checks
  firewallInbound,
  firewallOutbound,
  // Storage, OS and disk checks
  osDistro,
  toolsNodeprep,
  nfsClient,
  glusterfsClient,
  glusterfsServer,
  blobfuse,
  azurefile,
  beeond,
  singularity,
  resourceDiskMount,
  // Docker checks
  dockerEngine,
  dockerSocket,
  dockerVersion,
  dockerGroup,
  dockerBoot,
  dockerGpus,
];
