// The requirements a plain Azure Batch pool places on its nodes, read from the pool definition
// itself: `az batch pool show` output, the body of `az batch pool create --json-file` (the REST
// shape), or an ARM Microsoft.Batch/batchAccounts/pools resource (its `properties`). Only the keys
// named here are read; every other key is ignored, and nothing but these keys' values (never a
// password, key or image id) reaches the report.
import type { Feature, NodeCommunication } from '../types';
import type { Requirement } from '../report/report';
import type { ConfigFindings } from './shipyard';
import { vmSizeRequirements } from './shipyard';
import { JsonDoc, type JsonObject, type JsonValue } from './json-doc';
import { nodeAgentExpectations, nodeAgentProblem } from './node-agent';
import { UsageError } from '../errors';

export interface BatchPoolFindings extends ConfigFindings {
  /** The pool runs tasks in Docker-compatible containers; without that, Docker is no default requirement. */
  needsDocker: boolean;
  nodeCommunication?: { mode: NodeCommunication; source: string };
  registries: { name: string; source: string }[];
}

/** Which mount entry needs which client. */
const MOUNT_FEATURES: readonly { key: string; feature: Feature; what: string }[] = [
  { key: 'azureBlobFileSystemConfiguration', feature: 'blobfuse', what: 'Azure Blob container (blobfuse)' },
  { key: 'nfsMountConfiguration', feature: 'nfs', what: 'NFS share' },
  { key: 'cifsMountConfiguration', feature: 'cifs', what: 'CIFS/SMB share' },
  { key: 'azureFileShareConfiguration', feature: 'azurefile', what: 'Azure Files share (SMB)' },
];

/** The registry an image reference pulls from, as docker reads it: a first part with a dot or port, or localhost; else Docker Hub. */
export function imageRegistry(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  return first && (first.includes('.') || first.includes(':') || first === 'localhost') ? first.toLowerCase() : 'docker.io';
}

/** The host of a registryServer value, which may be written as a URL. */
const registryHost = (server: string) => server.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();

function windowsImage(doc: JsonDoc, image: JsonObject): JsonValue<string> | null {
  for (const key of ['publisher', 'offer']) {
    const v = doc.string(image, key);
    if (v && /windows/i.test(v.value)) return v;
  }
  return null;
}

export function batchPoolRequirements(doc: JsonDoc): BatchPoolFindings {
  const out: BatchPoolFindings = { requirements: [], settings: {}, notes: [], warnings: [], excludes: [], needsDocker: false, registries: [] };
  const src = (path: string) => `${doc.file}:${path}`;
  const add = (feature: Feature, path: string, why: string) => out.requirements.push({ feature, source: `${src(path)} (${why})` } satisfies Requirement);
  const top = doc.root('a Batch pool: `az batch pool show` output, a REST pool body, or an ARM pool resource');
  // An ARM resource keeps the pool under `properties`, and the VM configuration under deploymentConfiguration.
  const pool = doc.get(top, 'vmSize') ? top : (doc.object(top, 'properties') ?? top);
  const deployment = doc.object(pool, 'deploymentConfiguration');
  const cloudService = doc.get(pool, 'cloudServiceConfiguration') ?? (deployment && doc.get(deployment, 'cloudServiceConfiguration'));
  if (cloudService) throw doc.valueError(cloudService, 'a Cloud Services pool runs Windows; batch-preflight checks Linux nodes');
  const vm = doc.object(pool, 'virtualMachineConfiguration') ?? (deployment && doc.object(deployment, 'virtualMachineConfiguration'));

  // Every Batch pool has a VM size: a file without one is something else (a whole ARM template, a job).
  const vmSize = doc.string(pool, 'vmSize');
  if (!vmSize) {
    const template = doc.get(top, 'resources') ? '; for an ARM template, give the pool resource (or its properties) alone' : '';
    throw new UsageError(`${doc.flag} ${doc.file}: not a Batch pool: no vmSize at ${pool.path}.vmSize${template}`);
  }
  out.vmSize = vmSize.value;
  const sized = vmSizeRequirements(vmSize.value, src(vmSize.path));
  out.requirements.push(...sized.requirements);
  out.notes.push(...sized.notes);

  if (vm) {
    const image = doc.object(vm, 'imageReference');
    const win = image && windowsImage(doc, image);
    if (win) throw doc.valueError(win, 'a Windows image; batch-preflight checks Linux nodes');
    const winConfig = doc.get(vm, 'windowsConfiguration');
    if (winConfig) throw doc.valueError(winConfig, 'a Windows pool setting; batch-preflight checks Linux nodes');
    const agent = doc.string(vm, 'nodeAgentSkuId');
    if (agent) {
      const problem = nodeAgentProblem(agent.value);
      if (problem) throw doc.valueError(agent, problem);
      const e = nodeAgentExpectations(agent.value);
      out.settings.expectedDistro = { family: e.family, ...(e.version ? { version: e.version } : {}), nodeAgent: e.nodeAgent };
      out.settings.expectedResourceMount = e.resourceMount;
      out.notes.push(`${src(agent.path)}: the image must be ${e.family}${e.version ? ` ${e.version}` : ''} (node agent ${e.nodeAgent})`);
    }
    readContainers(doc, vm, out, add);
  }
  if (!out.needsDocker) {
    const why = out.requirements.some((r) => r.feature === 'containerd') ? 'runs its containers through a CRI runtime (criCompatible)' : 'has no containerConfiguration, so it runs no containers';
    out.notes.push(`${doc.file}: the pool ${why}: docker is not required (use --require docker to check it anyway)`);
  }

  doc.objects(pool, 'mountConfiguration').forEach((entry) => {
    for (const m of MOUNT_FEATURES) {
      const found = doc.object(entry, m.key);
      if (found) add(m.feature, found.path, m.what);
    }
  });

  readCommunication(doc, pool, out);
  readNodeSetup(doc, pool, out, add);
  return out;
}

function readContainers(doc: JsonDoc, vm: JsonObject, out: BatchPoolFindings, add: (f: Feature, path: string, why: string) => void): void {
  const cc = doc.object(vm, 'containerConfiguration');
  if (!cc) return;
  const type = doc.string(cc, 'type');
  const kind = type?.value.toLowerCase();
  if (type && kind !== 'dockercompatible' && kind !== 'cricompatible') throw doc.valueError(type, 'expected dockerCompatible or criCompatible');
  if (kind === 'cricompatible') add('containerd', type!.path, `${type!.value}: a CRI runtime (containerd)`);
  // Before the type existed (API versions before 2023) every container pool was Docker-compatible.
  else {
    out.needsDocker = true;
    add('docker', type?.path ?? cc.path, type ? `${type.value}: a Docker-compatible engine` : 'no type: Docker-compatible, the default of older API versions');
  }

  const registries = new Map<string, string>();
  for (const img of doc.strings(cc, 'containerImageNames')) {
    const name = imageRegistry(img.value);
    if (!registries.has(name)) registries.set(name, img.path);
  }
  for (const reg of doc.objects(cc, 'containerRegistries')) {
    const server = doc.string(reg, 'registryServer');
    if (server && !registries.has(registryHost(server.value))) registries.set(registryHost(server.value), server.path);
  }
  out.registries = [...registries].map(([name, path]) => ({ name, source: `${doc.file}:${path}` }));
  if (out.registries.length > 0) {
    out.notes.push(`the pool pulls images from ${out.registries.map((r) => `${r.name} (${r.source})`).join(', ')}: outbound HTTPS (TCP 443) to them is checked by firewall.outbound`);
  }
}

const MODES: Readonly<Record<string, NodeCommunication | 'default'>> = { classic: 'classic', simplified: 'simplified', default: 'default' };

/** The node communication mode asked for (target), else the one in use (current, from `az batch pool show`). */
function readCommunication(doc: JsonDoc, pool: JsonObject, out: BatchPoolFindings): void {
  let chosenByBatch: JsonValue<string> | null = null;
  for (const key of ['targetNodeCommunicationMode', 'currentNodeCommunicationMode']) {
    const v = doc.string(pool, key);
    if (!v) continue;
    const mode = MODES[v.value.toLowerCase()];
    if (!mode) throw doc.valueError(v, 'expected classic, simplified or default');
    if (mode === 'default') {
      chosenByBatch ??= v;
      continue;
    }
    out.nodeCommunication = { mode, source: `${doc.file}:${v.path}` };
    return;
  }
  if (chosenByBatch) {
    // Since classic's retirement (2026-03-31) the service's choice is simplified: the agent's default too.
    out.notes.push(`${doc.file}:${chosenByBatch.path} is default: the Batch service chooses the mode, simplified since classic was retired; give --node-communication classic to check a pool still on classic`);
  }
}

function readNodeSetup(doc: JsonDoc, pool: JsonObject, out: BatchPoolFindings, add: (f: Feature, path: string, why: string) => void): void {
  const interNode = doc.boolean(pool, 'enableInterNodeCommunication');
  const armInterNode = interNode ? null : doc.string(pool, 'interNodeCommunication');
  if (interNode?.value || armInterNode?.value.toLowerCase() === 'enabled') {
    out.notes.push(`${doc.file}:${(interNode ?? armInterNode)!.path}: inter-node communication is on (multi-instance/MPI tasks): nodes must reach each other, which the host firewall checks cover for SSH only`);
  }
  for (const user of doc.objects(pool, 'userAccounts')) {
    const linux = doc.object(user, 'linuxUserConfiguration');
    const key = linux && doc.get(linux, 'sshPrivateKey');
    if (key) add('ssh', key.path, 'a user account with an SSH key: tasks log in between nodes');
  }
  const start = doc.object(pool, 'startTask');
  if (!start) return;
  const identity = doc.object(start, 'userIdentity');
  const auto = identity && doc.object(identity, 'autoUser');
  const elevation = auto && doc.string(auto, 'elevationLevel');
  if (elevation?.value.toLowerCase() !== 'admin') {
    out.warnings.push(
      `${doc.file}:${elevation?.path ?? start.path}: the start task does not run with elevationLevel admin, so batch-preflight there is not root and cannot read everything it checks; set startTask.userIdentity.autoUser.elevationLevel to admin`,
    );
  }
  const wait = doc.boolean(start, 'waitForSuccess');
  if (wait?.value !== true) {
    out.warnings.push(`${doc.file}:${wait?.path ?? start.path}: waitForSuccess is not true, so a node whose start task fails still gets tasks; set startTask.waitForSuccess to true`);
  }
}
