// The requirements a Batch Shipyard pool places on its nodes, read from pool.yaml, config.yaml and
// (for storage clusters) fs.yaml. Only the keys named here are read; every other key is ignored,
// and nothing but these keys' values reaches the report.
import type { CheckSettings, Feature } from '../types';
import type { Requirement } from '../report/report';
import type { YAMLMap } from 'yaml';
import type { ConfigDoc } from './config-doc';
import { nodeAgentExpectations, nodeAgentProblem } from './node-agent';
import { vmSizeFeatures } from './vm-size';
import { UsageError } from '../errors';

export interface ConfigFindings {
  requirements: Requirement[];
  settings: Pick<CheckSettings, 'expectedDistro' | 'expectedResourceMount' | 'vmSize'>;
  /** How the requirements were derived, for the report. */
  notes: string[];
  /** What may leave a requirement out (e.g. an unknown storage cluster kind): also logged as warnings. */
  warnings: string[];
  /** Features the pool rules out whatever else asks for them (a native pool: no Singularity, no docker group). */
  excludes: Requirement[];
  vmSize?: string;
}

const empty = (): ConfigFindings => ({ requirements: [], settings: {}, notes: [], warnings: [], excludes: [] });

/** Windows image publishers: Batch Shipyard's Windows pools (batch-preflight checks Linux nodes). */
const WINDOWS_PUBLISHER = /^microsoftwindows/i;
/** Publisher of Azure Batch's container-ready Linux images, which Shipyard always runs natively. */
const NATIVE_PUBLISHER = 'microsoft-azure-batch';

/** Features implied by a VM size, with `origin` naming where the size came from. */
export function vmSizeRequirements(vmSize: string, origin: string): { requirements: Requirement[]; notes: string[] } {
  const f = vmSizeFeatures(vmSize);
  const requirements: Requirement[] = [];
  const notes: string[] = [];
  if (f.gpu) requirements.push({ feature: 'gpu', source: `${origin} (${vmSize}: ${f.gpu})` });
  if (f.infiniband) requirements.push({ feature: 'infiniband', source: `${origin} (${vmSize}: ${f.infiniband})` });
  if (f.amdGpu) notes.push(`${origin} ${vmSize} has AMD GPUs (${f.amdGpu}): the NVIDIA GPU checks are not required`);
  return { requirements, notes };
}

export function poolRequirements(doc: ConfigDoc): ConfigFindings {
  const out = empty();
  const spec = doc.map(doc.top('pool_specification'), 'pool_specification', 'pool_specification');
  if (!spec) throw doc.shapeError(null, 'pool_specification', 'a mapping (the pool file must have pool_specification)');
  const at = (key: string) => `${doc.file} pool_specification.${key}`;

  const vmSize = doc.string(spec, 'vm_size', 'pool_specification.vm_size');
  if (vmSize) {
    out.vmSize = vmSize.value;
    out.settings.vmSize = { name: vmSize.value.trim(), source: at('vm_size') };
    const r = vmSizeRequirements(vmSize.value, at('vm_size'));
    out.requirements.push(...r.requirements);
    out.notes.push(...r.notes);
  }

  const vmConf = doc.map(spec, 'vm_configuration', 'pool_specification.vm_configuration');
  const platform = vmConf && doc.map(vmConf, 'platform_image', 'pool_specification.vm_configuration.platform_image');
  const publisher = platform && doc.string(platform, 'publisher', 'pool_specification.vm_configuration.platform_image.publisher');
  if (publisher && WINDOWS_PUBLISHER.test(publisher.value)) {
    throw new UsageError(`${doc.flag} ${doc.file}: line ${publisher.line}: pool_specification.vm_configuration.platform_image.publisher: is a Windows image; batch-preflight checks Linux nodes`);
  }
  const custom = vmConf && doc.map(vmConf, 'custom_image', 'pool_specification.vm_configuration.custom_image');
  const agent = custom && doc.string(custom, 'node_agent', 'pool_specification.vm_configuration.custom_image.node_agent');
  if (agent) {
    const problem = nodeAgentProblem(agent.value);
    if (problem) throw new UsageError(`${doc.flag} ${doc.file}: line ${agent.line}: pool_specification.vm_configuration.custom_image.node_agent: ${problem}`);
    const e = nodeAgentExpectations(agent.value);
    out.settings.expectedDistro = { family: e.family, ...(e.version ? { version: e.version } : {}), nodeAgent: e.nodeAgent };
    out.settings.expectedResourceMount = e.resourceMount;
  }

  if (doc.boolean(spec, 'per_job_auto_scratch', 'pool_specification.per_job_auto_scratch')) {
    out.requirements.push({ feature: 'auto-scratch', source: `${at('per_job_auto_scratch')} (true)` });
    out.requirements.push({ feature: 'ssh-access', source: `${at('per_job_auto_scratch')} (true: beeond reaches the other nodes as root over SSH)` });
  }
  out.requirements.push(...sshAccessRequirements(doc, spec, at));

  // Native: Batch itself runs the containers; node prep installs no Singularity and changes no docker group.
  const nativeKey = custom ? 'custom_image' : 'platform_image';
  const image = custom ?? platform;
  const native =
    publisher?.value.toLowerCase() === NATIVE_PUBLISHER
      ? `${at('vm_configuration.platform_image.publisher')} (${NATIVE_PUBLISHER})`
      : image && doc.boolean(image, 'native', `pool_specification.vm_configuration.${nativeKey}.native`)
        ? `${at(`vm_configuration.${nativeKey}.native`)} (true)`
        : null;
  const runtimes = doc.map(spec, 'container_runtimes', 'pool_specification.container_runtimes');
  const install = runtimes ? doc.stringList(runtimes, 'install', 'pool_specification.container_runtimes.install') : [];
  if (native) {
    out.excludes.push({ feature: 'docker-group', source: `${native}: a native pool adds no user to the docker group` });
  } else if (allowsDockerAccess(doc, spec)) {
    // set_default_pool_user_privileges: with -r (fleet.py passes it for ssh.allow_docker_access) node prep runs
    // `usermod -aG _azbatchsudogrp _azbatch` instead of `usermod -aG docker _azbatch`.
    out.excludes.push({ feature: 'docker-group', source: `${at('ssh.allow_docker_access')} (true): node prep adds _azbatch to _azbatchsudogrp instead of the docker group` });
  }
  if (native) {
    out.excludes.push({ feature: 'singularity', source: `${native}: node prep installs no Singularity on a native pool` });
  } else if (install.some((r) => r.toLowerCase() === 'singularity')) {
    out.requirements.push({ feature: 'singularity', source: `${at('container_runtimes.install')} (singularity)` });
  }
  return out;
}

/** pool_specification.ssh.allow_docker_access (default false, Batch Shipyard docs 13-batch-shipyard-configuration-pool.md). */
function allowsDockerAccess(doc: ConfigDoc, spec: YAMLMap): boolean {
  const ssh = doc.map(spec, 'ssh', 'pool_specification.ssh');
  return !!ssh && doc.boolean(ssh, 'allow_docker_access', 'pool_specification.ssh.allow_docker_access') === true;
}

/** Pool keys that mean people log in to the nodes over SSH (the values themselves are not reported). */
function sshAccessRequirements(doc: ConfigDoc, spec: YAMLMap, at: (key: string) => string): Requirement[] {
  const out: Requirement[] = [];
  const ssh = doc.map(spec, 'ssh', 'pool_specification.ssh');
  if (ssh && doc.string(ssh, 'username', 'pool_specification.ssh.username')?.value.trim()) {
    out.push({ feature: 'ssh-access', source: `${at('ssh.username')} (set: an SSH user is created on every node)` });
  }
  // A rule set that only denies closes the remote access port; an allow list means someone will connect.
  const rac = doc.map(spec, 'remote_access_control', 'pool_specification.remote_access_control');
  if (rac && doc.stringList(rac, 'allow', 'pool_specification.remote_access_control.allow').length > 0) {
    out.push({ feature: 'ssh-access', source: `${at('remote_access_control.allow')} (addresses allowed to the remote access port)` });
  }
  return out;
}

/** Storage cluster id → file server type, from fs.yaml (remote_fs.storage_clusters.<id>.file_server.type). */
export function storageClusterTypes(doc: ConfigDoc): Map<string, string> {
  const remote = doc.map(doc.top('remote_fs'), 'remote_fs', 'remote_fs');
  if (!remote) throw doc.shapeError(null, 'remote_fs', 'a mapping (the fs file must have remote_fs)');
  const clusters = doc.map(remote, 'storage_clusters', 'remote_fs.storage_clusters');
  const types = new Map<string, string>();
  for (const [id, cluster] of clusters ? doc.entries(clusters, 'remote_fs.storage_clusters') : []) {
    const base = `remote_fs.storage_clusters.${id}`;
    const server = doc.map(cluster, 'file_server', `${base}.file_server`);
    const type = server && doc.string(server, 'type', `${base}.file_server.type`);
    if (!type) continue;
    if (type.value !== 'nfs' && type.value !== 'glusterfs') {
      throw new UsageError(`${doc.flag} ${doc.file}: line ${type.line}: ${base}.file_server.type: expected nfs or glusterfs`);
    }
    types.set(id, type.value);
  }
  return types;
}

const DRIVER_FEATURE: Readonly<Record<string, Feature>> = {
  azureblob: 'blobfuse',
  azurefile: 'azurefile',
  glusterfs_on_compute: 'gluster-on-compute',
};

/** File system types of a custom_linux_mount whose mount helper a check looks for. */
const VFSTYPE_FEATURE: Readonly<Record<string, Feature>> = {
  nfs: 'nfs',
  nfs4: 'nfs',
  glusterfs: 'glusterfs',
  cifs: 'cifs',
};

/** Shared data volumes of config.yaml, and the storage clusters they name in fs.yaml when given. */
export function configRequirements(doc: ConfigDoc, fs: ConfigDoc | null): ConfigFindings {
  const out = empty();
  const clusterTypes = fs ? storageClusterTypes(fs) : null;
  const shipyard = doc.map(doc.top('batch_shipyard'), 'batch_shipyard', 'batch_shipyard');
  const encryption = shipyard && doc.map(shipyard, 'encryption', 'batch_shipyard.encryption');
  if (encryption && doc.boolean(encryption, 'enabled', 'batch_shipyard.encryption.enabled')) {
    out.requirements.push({ feature: 'credential-encryption', source: `${doc.file} batch_shipyard.encryption.enabled (true)` });
  }
  const global = doc.map(doc.top('global_resources'), 'global_resources', 'global_resources');
  const volumes = global && doc.map(global, 'volumes', 'global_resources.volumes');
  const shared = volumes && doc.map(volumes, 'shared_data_volumes', 'global_resources.volumes.shared_data_volumes');
  if (!shared) return out;
  for (const [name, vol] of doc.entries(shared, 'global_resources.volumes.shared_data_volumes')) {
    const path = `global_resources.volumes.shared_data_volumes.${name}.volume_driver`;
    const driver = doc.string(vol, 'volume_driver', path);
    if (!driver) continue;
    const source = `${doc.file} ${path} (${driver.value})`;
    const feature = DRIVER_FEATURE[driver.value];
    if (feature) {
      out.requirements.push({ feature, source });
    } else if (driver.value === 'storage_cluster') {
      // The volume's name is the storage cluster's id in fs.yaml.
      const type = clusterTypes?.get(name);
      if (type === 'nfs' || type === 'glusterfs') {
        out.requirements.push({ feature: type, source: `${source} + ${fs!.file} remote_fs.storage_clusters.${name}.file_server.type (${type})` });
      } else if (clusterTypes) {
        out.warnings.push(`${source}: ${fs!.file} defines no storage cluster "${name}" with a file_server.type, so its kind (nfs or glusterfs) is unknown; neither client is required`);
      } else {
        out.warnings.push(`${source}: the storage cluster's kind (nfs or glusterfs) is unknown without --fs fs.yaml; neither client is required`);
      }
    } else if (driver.value === 'custom_linux_mount') {
      const at = `global_resources.volumes.shared_data_volumes.${name}.fstab_entry`;
      const fstab = doc.map(vol, 'fstab_entry', at);
      const type = fstab && doc.string(fstab, 'fs_vfstype', `${at}.fs_vfstype`);
      const mapped = type ? VFSTYPE_FEATURE[type.value.toLowerCase()] : undefined;
      if (mapped) out.requirements.push({ feature: mapped, source: `${doc.file} ${at}.fs_vfstype (${type!.value})` });
      else out.notes.push(`${source}: ${type ? `fs_vfstype ${type.value} is` : 'custom mounts without fs_vfstype are'} not checked; make sure the image has the tools to mount it`);
    } else {
      throw new UsageError(`${doc.flag} ${doc.file}: line ${driver.line}: ${path}: expected azureblob, azurefile, glusterfs_on_compute, storage_cluster or custom_linux_mount`);
    }
  }
  return out;
}

/**
 * jobs.yaml: a Singularity task that is a multi-instance MPI task (multi_instance.mpi) runs the
 * host's mpirun, so the image needs MPI (Docker MPI tasks bring their own in the container).
 */
export function jobsRequirements(doc: ConfigDoc): ConfigFindings {
  const out = empty();
  const top = doc.top('job_specifications');
  if (doc.get(top, 'job_specifications') === null) throw doc.shapeError(null, 'job_specifications', 'a list (the jobs file must have job_specifications)');
  const jobs = doc.mapList(top, 'job_specifications', 'job_specifications');
  jobs.forEach((job, i) => {
    doc.mapList(job, 'tasks', `job_specifications[${i}].tasks`).forEach((task, j) => {
      const at = `job_specifications[${i}].tasks[${j}]`;
      const image = doc.string(task, 'singularity_image', `${at}.singularity_image`);
      const multi = doc.map(task, 'multi_instance', `${at}.multi_instance`);
      if (image && multi && doc.get(multi, 'mpi') !== null) {
        out.requirements.push({ feature: 'mpi', source: `${doc.file} ${at}.multi_instance.mpi (a Singularity task: it runs the host's mpirun)` });
      }
    });
  });
  return out;
}
