// The requirements a plain Azure Batch pool places on its nodes, read from the pool definition
// itself: `az batch pool show` output, the body of `az batch pool create --json-file` (the REST
// shape), an ARM Microsoft.Batch/batchAccounts/pools resource (its `properties`), a whole ARM
// template or an Azure Batch CLI extensions pool template holding one pool, and the .NET and
// PowerShell object models (`Get-AzBatchPool | ConvertTo-Json`), whose fields have other names
// (`VirtualMachineSize`, `InterComputeNodeCommunicationEnabled`) and whose enums may be numbers.
// Only the keys named here are read; every other key is ignored, and nothing but these keys' values
// (never a password, key or image id) reaches the report.
import type { Feature, NodeCommunication } from '../types';
import type { Requirement } from '../report/report';
import type { ConfigFindings } from './shipyard';
import { vmSizeRequirements } from './shipyard';
import { JsonDoc, type JsonObject, type JsonValue, type Key } from './json-doc';
import { nodeAgentExpectations, nodeAgentProblem } from './node-agent';
import { UsageError } from '../errors';

export interface BatchPoolFindings extends ConfigFindings {
  /** The pool runs tasks in Docker-compatible containers; without that, Docker is no default requirement. */
  needsDocker: boolean;
  nodeCommunication?: { mode: NodeCommunication; source: string };
  registries: { name: string; source: string }[];
}

// Field names: the REST name first, then the .NET (Microsoft.Azure.Batch CloudPool) and PowerShell
// (Az.Batch PSCloudPool) names where they differ (azure-powershell src/Batch/Batch/Models.Generated/PSCloudPool.cs).
const VM_SIZE: Key = ['vmSize', 'virtualMachineSize'];
const INTER_NODE: Key = ['enableInterNodeCommunication', 'interComputeNodeCommunicationEnabled'];
// .NET enums in declaration order, as ConvertTo-Json numbers them (azure-sdk-for-net
// sdk/batch/Microsoft.Azure.Batch/src/Common/Enumerations/ElevationLevel.cs, NodeCommunicationMode.cs).
const ELEVATION_LEVELS = ['nonAdmin', 'admin'] as const;
const COMMUNICATION_MODES = ['default', 'classic', 'simplified'] as const;

const POOL_TYPE = 'microsoft.batch/batchaccounts/pools';
/** A template can hold thousands of expressions in a list: the report names the first ones. */
const MAX_UNRESOLVED_SHOWN = 10;
const ACCOUNT_TYPE = 'microsoft.batch/batchaccounts';

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

/** An expression as the report shows it: one line, cut short. */
const shown = (expression: string) => {
  const line = expression.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ');
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
};

function windowsImage(doc: JsonDoc, image: JsonObject): JsonValue<string> | null {
  for (const key of ['publisher', 'offer']) {
    const v = doc.string(image, key);
    if (v && /windows/i.test(v.value)) return v;
  }
  return null;
}

/** The pool resources of an ARM template: top-level ones and those nested under a Batch account. */
function templatePools(doc: JsonDoc, template: JsonObject): JsonObject[] {
  const typeOf = (r: JsonObject) => doc.string(r, 'type')?.value.toLowerCase();
  return doc.objects(template, 'resources').flatMap((r) => {
    if (typeOf(r) === POOL_TYPE) return [r];
    if (typeOf(r) !== ACCOUNT_TYPE) return [];
    return doc.objects(r, 'resources').filter((c) => typeOf(c) === 'pools' || typeOf(c) === POOL_TYPE);
  });
}

/** The object that holds the pool's fields, whichever shape the file has. */
function findPool(doc: JsonDoc, top: JsonObject): JsonObject {
  if (doc.get(top, VM_SIZE)) return top;
  // Azure Batch CLI extensions' pool template: {"parameters", "variables", "pool": {"type", "properties"}}.
  const templated = doc.object(top, 'pool');
  const resource = templated ?? top;
  if (!doc.get(resource, 'properties') && doc.get(top, 'resources')) {
    const pools = templatePools(doc, top);
    if (pools.length > 1) {
      throw new UsageError(`${doc.flag} ${doc.file}: an ARM template with ${pools.length} Batch pool resources (${pools.map((p) => p.path).join(', ')}); give one pool resource (or its properties) alone`);
    }
    if (pools.length === 1) return doc.object(pools[0]!, 'properties') ?? pools[0]!;
  }
  return doc.object(resource, 'properties') ?? resource;
}

export function batchPoolRequirements(doc: JsonDoc): BatchPoolFindings {
  const out: BatchPoolFindings = { requirements: [], settings: {}, notes: [], warnings: [], excludes: [], needsDocker: false, registries: [] };
  const src = (path: string) => `${doc.file}:${path}`;
  const add = (feature: Feature, path: string, why: string) => out.requirements.push({ feature, source: `${src(path)} (${why})` } satisfies Requirement);
  const top = doc.root('a Batch pool: `az batch pool show` output, a REST pool body, or an ARM pool resource');
  const pool = findPool(doc, top);
  const deployment = doc.object(pool, 'deploymentConfiguration');
  const cloudService = doc.get(pool, 'cloudServiceConfiguration') ?? (deployment && doc.get(deployment, 'cloudServiceConfiguration'));
  if (cloudService) throw doc.valueError(cloudService, 'a Cloud Services pool runs Windows; batch-preflight checks Linux nodes');
  const vm = doc.object(pool, 'virtualMachineConfiguration') ?? (deployment && doc.object(deployment, 'virtualMachineConfiguration'));

  // Every Batch pool has a VM size: a file without one is something else (a whole ARM template, a job).
  const sizeNode = doc.get(pool, VM_SIZE);
  const vmSize = doc.string(pool, VM_SIZE);
  if (!sizeNode) {
    const template = doc.get(top, 'resources') ? '; for an ARM template, give the pool resource (or its properties) alone' : '';
    throw new UsageError(`${doc.flag} ${doc.file}: not a Batch pool: no vmSize at ${pool.path}.vmSize${template}`);
  }
  if (vmSize) {
    out.vmSize = vmSize.value;
    const sized = vmSizeRequirements(vmSize.value, src(vmSize.path));
    out.requirements.push(...sized.requirements);
    out.notes.push(...sized.notes);
  } else {
    // An unexpanded expression is no size: the size, and what it implies, stay unknown.
    const expression = doc.unresolved.find((u) => u.path === sizeNode.path)!.expression;
    const fallback = parameterDefault(doc, top, expression);
    out.warnings.push(
      `${src(sizeNode.path)}: the VM size is an unexpanded ARM template expression (${shown(expression)}), so it is unknown: the size adds no requirements (gpu, infiniband) and the size checks have nothing to compare; give --vm-size${fallback ? ` (the template's default is ${fallback})` : ''}, or the deployed pool (az batch pool show)`,
    );
  }

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
  if (!out.needsDocker && !out.requirements.some((r) => r.feature === 'containerd') && !unknownRuntime(doc, vm)) {
    out.notes.push(`${doc.file}: the pool has no containerConfiguration, so it runs no containers: docker is not required (use --require docker to check it anyway)`);
  } else if (out.requirements.some((r) => r.feature === 'containerd')) {
    out.notes.push(`${doc.file}: the pool runs its containers through a CRI runtime (criCompatible): docker is not required (use --require docker to check it anyway)`);
  }

  doc.objects(pool, 'mountConfiguration').forEach((entry) => {
    for (const m of MOUNT_FEATURES) {
      const found = doc.object(entry, m.key);
      if (found) add(m.feature, found.path, m.what);
    }
  });

  readCommunication(doc, pool, out);
  readNodeSetup(doc, pool, out, add);
  const others = doc.unresolved.filter((u) => u.path !== sizeNode.path);
  for (const u of others.slice(0, MAX_UNRESOLVED_SHOWN)) {
    out.warnings.push(`${src(u.path)}: an unexpanded ARM template expression (${shown(u.expression)}): its value is unknown, so what it decides is not checked; give the deployed pool (az batch pool show) to check it`);
  }
  if (others.length > MAX_UNRESOLVED_SHOWN) out.warnings.push(`${doc.file}: ${others.length - MAX_UNRESOLVED_SHOWN} more unexpanded ARM template expressions`);
  return out;
}

/** A `[parameters('name')]` expression's default in the same template, when it is a plain string. */
function parameterDefault(doc: JsonDoc, top: JsonObject, expression: string): string | null {
  const name = /^\[\s*parameters\(\s*'([^']+)'\s*\)\s*\]$/.exec(expression)?.[1];
  const params = name ? doc.object(top, 'parameters') : null;
  const param = params && doc.get(params, name!) ? doc.object(params, name!) : null;
  const value = param && doc.string(param, 'defaultValue');
  return value && /^[A-Za-z0-9_-]+$/.test(value.value) ? value.value : null;
}

/** The pool has a containerConfiguration whose runtime an ARM expression hides. */
function unknownRuntime(doc: JsonDoc, vm: JsonObject | null): boolean {
  const cc = vm && doc.get(vm, 'containerConfiguration');
  return Boolean(cc && doc.unresolved.some((u) => u.path === cc.path || u.path.startsWith(`${cc.path}.type`) || u.path.startsWith(`${cc.path}.Type`)));
}

function readContainers(doc: JsonDoc, vm: JsonObject, out: BatchPoolFindings, add: (f: Feature, path: string, why: string) => void): void {
  const cc = doc.object(vm, 'containerConfiguration');
  if (!cc) {
    if (unknownRuntime(doc, vm)) out.notes.push(`${doc.file}: the pool's container runtime is unknown (an ARM expression): use --require docker or --require containerd to check one`);
    return;
  }
  const typeNode = doc.get(cc, 'type');
  const type = doc.string(cc, 'type');
  const kind = type?.value.toLowerCase();
  if (type && kind !== 'dockercompatible' && kind !== 'cricompatible') throw doc.valueError(type, 'expected dockerCompatible or criCompatible');
  if (typeNode && !type) {
    out.notes.push(`${doc.file}: the pool's container runtime is unknown (an ARM expression): use --require docker or --require containerd to check one`);
  } else if (kind === 'cricompatible') {
    add('containerd', type!.path, `${type!.value}: a CRI runtime (containerd)`);
  } else {
    // Before the type existed (API versions before 2023) every container pool was Docker-compatible.
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

/** The node communication mode asked for (target), else the one in use (current, from `az batch pool show`). */
function readCommunication(doc: JsonDoc, pool: JsonObject, out: BatchPoolFindings): void {
  let chosenByBatch: JsonValue<string> | null = null;
  for (const key of ['targetNodeCommunicationMode', 'currentNodeCommunicationMode']) {
    const v = doc.enumeration(pool, key, COMMUNICATION_MODES);
    if (!v) continue;
    const mode = COMMUNICATION_MODES.find((m) => m === v.value.toLowerCase());
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
  const interNode = doc.boolean(pool, INTER_NODE);
  const armInterNode = interNode ? null : doc.string(pool, 'interNodeCommunication');
  if (interNode?.value || armInterNode?.value.toLowerCase() === 'enabled') {
    out.notes.push(`${doc.file}:${(interNode ?? armInterNode)!.path}: inter-node communication is on (multi-instance/MPI tasks): nodes must reach each other, which the host firewall checks cover for SSH only`);
  }
  const users = doc.objects(pool, 'userAccounts');
  for (const user of users) {
    const linux = doc.object(user, 'linuxUserConfiguration');
    const key = linux && doc.get(linux, 'sshPrivateKey');
    if (key) add('ssh', key.path, 'a user account with an SSH key: tasks log in between nodes');
  }
  const start = doc.object(pool, 'startTask');
  if (!start) return;
  readStartTaskUser(doc, start, users, out);
  // REST, .NET and ARM: "If omitted, the default is true" (StartTask.waitForSuccess).
  const waitNode = doc.get(start, 'waitForSuccess');
  const wait = doc.boolean(start, 'waitForSuccess');
  if (wait?.value === false) {
    out.warnings.push(`${doc.file}:${wait.path}: waitForSuccess is false, so a node whose start task fails still gets tasks; set startTask.waitForSuccess to true (or leave it out: true is the default)`);
  } else if (!waitNode) {
    out.notes.push(`${doc.file}:${start.path}: no waitForSuccess: Batch's default, true, holds tasks until the start task succeeds`);
  }
}

/**
 * Whether the start task runs as an admin: as the auto user (userIdentity.autoUser.elevationLevel)
 * or as a named pool user (userIdentity.userName, whose userAccounts entry has the elevationLevel).
 * Both default to nonAdmin (REST AutoUserSpecification and UserAccount: "The default value is nonAdmin").
 */
function readStartTaskUser(doc: JsonDoc, start: JsonObject, users: JsonObject[], out: BatchPoolFindings): void {
  const identityNode = doc.get(start, 'userIdentity');
  const identity = doc.object(start, 'userIdentity');
  if (identityNode && !identity) return; // An ARM expression: reported with the others.
  const userName = identity && doc.string(identity, 'userName');
  if (userName) {
    const account = users.find((u) => doc.string(u, 'name')?.value === userName.value);
    if (!account) {
      out.warnings.push(`${doc.file}:${userName.path}: the start task runs as a user account that the pool's userAccounts do not define, so whether it is admin is unknown; define it there with elevationLevel admin`);
      return;
    }
    const level = doc.enumeration(account, 'elevationLevel', ELEVATION_LEVELS);
    if (level?.value.toLowerCase() !== 'admin' && !(doc.get(account, 'elevationLevel') && !level)) {
      out.warnings.push(
        `${doc.file}:${level?.path ?? account.path}: the start task runs as the user account at ${account.path}, which is not elevationLevel admin (nonAdmin is the default), so batch-preflight there is not root and cannot read everything it checks; set elevationLevel admin on that account`,
      );
    }
    return;
  }
  const autoNode = identity && doc.get(identity, 'autoUser');
  const auto = identity && doc.object(identity, 'autoUser');
  const elevationNode = auto && doc.get(auto, 'elevationLevel');
  const elevation = auto && doc.enumeration(auto, 'elevationLevel', ELEVATION_LEVELS);
  if ((autoNode && !auto) || (elevationNode && !elevation)) return; // An ARM expression: reported with the others.
  if (elevation?.value.toLowerCase() !== 'admin') {
    out.warnings.push(
      `${doc.file}:${elevation?.path ?? start.path}: the start task does not run with elevationLevel admin, so batch-preflight there is not root and cannot read everything it checks; set startTask.userIdentity.autoUser.elevationLevel to admin`,
    );
  }
}
