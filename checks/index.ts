// The one registry of built-in checks. Adding a check: one module in checks/, one line here.
// The order is the order of the report: the OS first, then Docker, GPU, RDMA/MPI, storage,
// network and the Azure agent.
import type { Check } from '../src/types';
import { osDistro } from './os-distro';
import { toolsNodeprep } from './tools-nodeprep';
import { osNodeprepFiles } from './os-nodeprep-files';
import { baselineDrift } from './baseline-drift';
import { selinuxMode } from './selinux-mode';
import { dockerEngine } from './docker-engine';
import { dockerSocket } from './docker-socket';
import { dockerVersion } from './docker-version';
import { dockerGroup } from './docker-group';
import { dockerBoot } from './docker-boot';
import { dockerAutostart } from './docker-autostart';
import { dockerGpus } from './docker-gpus';
import { containerdCri } from './containerd-cri';
import { nvidiaDriver } from './nvidia-driver';
import { nvidiaFabricmanager } from './nvidia-fabricmanager';
import { gpuHealth } from './gpu-health';
import { gpuXid } from './gpu-xid';
import { gpuModel } from './gpu-model';
import { gpuNvlink } from './gpu-nvlink';
import { hardwareGpus } from './hardware-gpus';
import { hardwareInfiniband } from './hardware-infiniband';
import { hardwarePcieLink } from './hardware-pcie-link';
import { hardwareNvme } from './hardware-nvme';
import { rdmaDevices } from './rdma-devices';
import { rdmaLinkFlaps } from './rdma-link-flaps';
import { rdmaUserland } from './rdma-userland';
import { mpiRuntime } from './mpi-runtime';
import { nfsClient } from './nfs-client';
import { glusterfsClient } from './glusterfs-client';
import { glusterfsServer } from './glusterfs-server';
import { blobfuse } from './blobfuse';
import { azurefile } from './azurefile';
import { beeond } from './beeond';
import { singularity } from './singularity';
import { sshd } from './sshd';
import { firewallInbound } from './firewall-inbound';
import { firewallOutbound } from './firewall-outbound';
import { waagentResourceDisk } from './waagent-resource-disk';
import { resourceDiskMount } from './resource-disk-mount';
import { azureImds } from './azure-imds';

export const builtinChecks: readonly Check[] = [
  osDistro,
  toolsNodeprep,
  osNodeprepFiles,
  baselineDrift,
  selinuxMode,
  dockerEngine,
  dockerSocket,
  dockerVersion,
  dockerGroup,
  dockerBoot,
  dockerAutostart,
  dockerGpus,
  containerdCri,
  nvidiaDriver,
  nvidiaFabricmanager,
  gpuHealth,
  gpuXid,
  gpuModel,
  gpuNvlink,
  hardwareGpus,
  hardwarePcieLink,
  hardwareInfiniband,
  hardwareNvme,
  rdmaDevices,
  rdmaLinkFlaps,
  rdmaUserland,
  mpiRuntime,
  nfsClient,
  glusterfsClient,
  glusterfsServer,
  blobfuse,
  azurefile,
  beeond,
  singularity,
  sshd,
  firewallInbound,
  firewallOutbound,
  waagentResourceDisk,
  resourceDiskMount,
  azureImds,
];
