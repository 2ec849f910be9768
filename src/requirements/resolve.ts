// Puts the sources of requirements together, in the order that decides which source is reported:
// --without (always wins), --require, --vm-size, the pool files (Batch Shipyard or plain Batch),
// instance metadata, the hardware, and last the defaults.
import type { CheckSettings, Mode, NodeCommunication, Target } from '../types';
import type { Host } from '../host/host';
import { ConfigDoc } from './config-doc';
import { configRequirements, jobsRequirements, poolRequirements, storageClusterTypes, vmSizeRequirements, type ConfigFindings } from './shipyard';
import { detectHardware } from './hardware';
import type { PciIdentity } from '../probes/pci';
import { readVmSize } from '../host/imds';
import { DEFAULT_FEATURES, parseFeatureList, RequirementSet } from './requirements';
import { batchPoolRequirements, type BatchPoolFindings } from './batch-pool';
import { JsonDoc } from './json-doc';
import { UsageError } from '../errors';

export interface StaticRequirementInputs {
  require: readonly string[];
  without: readonly string[];
  pool?: string;
  config?: string;
  fs?: string;
  jobs?: string;
  /** A plain Azure Batch pool definition (JSON). */
  batchPool?: string;
  vmSize?: string;
  /** `auto` (or absent): decided by chooseTarget. */
  target?: Target | 'auto';
  /** The agent's own environment and mode: in start-task mode, Shipyard's start task says itself by its variables. */
  env?: NodeJS.ProcessEnv;
  mode?: Mode;
}

/** What the command line and the configuration files say; all usage errors surface here, before anything runs. */
export interface StaticRequirements {
  require: ReturnType<typeof parseFeatureList>;
  without: ReturnType<typeof parseFeatureList>;
  pool: ConfigFindings | null;
  config: ConfigFindings | null;
  jobs: ConfigFindings | null;
  batchPool: BatchPoolFindings | null;
  vmSize?: string;
  target: Target;
  /** Why this target, as the report says it (like the mode's reason). */
  targetReason: string;
}

/**
 * Variables Batch Shipyard 3.9.1 puts into its pools' start task environment (convoy/fleet.py at
 * github.com/Azure/batch-shipyard commit bf190ec, `pool.start_task.environment_settings`): SHIPYARD_STORAGE_ENV on every pool but a native one without
 * delayed image preload, the others when their feature is on. A plain Batch pool sets none of them.
 */
export const SHIPYARD_START_TASK_VARIABLES = [
  'SHIPYARD_STORAGE_ENV',
  'SHIPYARD_CONTAINER_IMAGES_PRELOAD',
  'SHIPYARD_STORAGE_CLUSTER_FSTAB',
  'SHIPYARD_CUSTOM_MOUNTS_FSTAB',
  'SHIPYARD_SINGULARITY_DECRYPTION_CERTIFICATES',
  'SHIPYARD_GPU_IGNORE_WARNINGS',
  'SHIPYARD_TIMING',
  'SHIPYARD_AUTOPOOL',
] as const;

export interface TargetInputs {
  requested: Target | 'auto';
  /** The flag that gave Batch Shipyard files (--pool, --config, --fs, --jobs), if any. */
  shipyardFlag: string | null;
  batchPool: boolean;
  mode?: Mode;
  env?: NodeJS.ProcessEnv;
}

/** Who prepares the node, and why: the flag, else the pool files, else Shipyard's start task environment, else Shipyard (the source document's world). */
export function chooseTarget(inp: TargetInputs): { target: Target; reason: string } {
  if (inp.requested !== 'auto') return { target: inp.requested, reason: `--target ${inp.requested}` };
  if (inp.batchPool) return { target: 'batch', reason: '--batch-pool' };
  if (inp.shipyardFlag) return { target: 'shipyard', reason: `${inp.shipyardFlag}: Batch Shipyard files` };
  if (inp.mode === 'start-task') {
    const set = SHIPYARD_START_TASK_VARIABLES.find((v) => inp.env?.[v] !== undefined);
    if (set) return { target: 'shipyard', reason: `start-task environment: ${set} is set (Batch Shipyard's start task sets it)` };
  }
  return { target: 'shipyard', reason: 'default: no --batch-pool, Batch Shipyard file or Shipyard start task variable' };
}

export function loadStaticRequirements(inp: StaticRequirementInputs): StaticRequirements {
  const without = parseFeatureList(inp.without, '--without');
  const require = parseFeatureList(inp.require, '--require');
  const shipyardFlag = inp.pool ? '--pool' : inp.config ? '--config' : inp.fs ? '--fs' : inp.jobs ? '--jobs' : null;
  if (inp.batchPool && shipyardFlag) throw new UsageError(`--batch-pool and ${shipyardFlag}: give either a plain Batch pool or Batch Shipyard files, not both`);
  const vmSize = inp.vmSize?.trim();
  if (inp.vmSize !== undefined && !/^[A-Za-z0-9_-]+$/.test(vmSize ?? '')) throw new UsageError('--vm-size: expected an Azure VM size name such as Standard_ND96isr_H100_v5');
  const batchPool = inp.batchPool ? batchPoolRequirements(JsonDoc.load('--batch-pool', inp.batchPool, 'a Batch pool definition')) : null;
  const pool = inp.pool ? poolRequirements(ConfigDoc.load('--pool', inp.pool)) : null;
  const fs = inp.fs ? ConfigDoc.load('--fs', inp.fs) : null;
  const config = inp.config ? configRequirements(ConfigDoc.load('--config', inp.config), fs) : null;
  const jobs = inp.jobs ? jobsRequirements(ConfigDoc.load('--jobs', inp.jobs)) : null;
  // fs.yaml alone still has to be valid, though it only matters through config.yaml's volumes.
  if (fs && !inp.config) storageClusterTypes(fs);
  const chosen = chooseTarget({ requested: inp.target ?? 'auto', shipyardFlag, batchPool: batchPool !== null, mode: inp.mode, env: inp.env });
  return { require, without, pool, config, jobs, batchPool, vmSize, target: chosen.target, targetReason: chosen.reason };
}

export interface LiveRequirementInputs {
  mode: Mode;
  host: Host;
  env: NodeJS.ProcessEnv;
  /** Hardware detection wanted (not --no-detect). */
  detect: boolean;
  imds: boolean;
  /** PCI devices are wanted for the inventory even when detection does not apply. */
  scanPci: boolean;
}

export interface ResolvedRequirements {
  set: RequirementSet;
  settings: Pick<CheckSettings, 'expectedDistro' | 'expectedResourceMount' | 'vmSize' | 'registries'>;
  /** The pool file's node communication mode, for when --node-communication does not say. */
  nodeCommunication?: { mode: NodeCommunication; source: string };
  notes: string[];
  /** Notes a human must see even in machine formats (logged as warnings too). */
  warnings: string[];
  gpus: PciIdentity[];
}

export async function resolveRequirements(st: StaticRequirements, live: LiveRequirementInputs): Promise<ResolvedRequirements> {
  const set = new RequirementSet();
  const notes: string[] = [];
  const warnings: string[] = [];
  for (const f of st.without) set.remove(f, '--without');
  for (const f of st.require) set.add(f, '--require');
  // The size the host is checked against: what instance metadata says this VM is, else what the command line or the pool file says.
  let vmSize: CheckSettings['vmSize'];
  if (st.vmSize) {
    vmSize = { name: st.vmSize, source: '--vm-size' };
    const r = vmSizeRequirements(st.vmSize, '--vm-size');
    for (const req of r.requirements) set.add(req.feature, req.source);
    notes.push(...r.notes);
  }
  const poolSize = st.pool?.vmSize ?? st.batchPool?.vmSize;
  if (!vmSize && poolSize) vmSize = st.pool?.settings.vmSize ?? { name: poolSize, source: st.pool ? 'the --pool file' : 'the --batch-pool file' };
  // What a Shipyard file rules out (a native pool: no Singularity, no docker group) wins like --without.
  for (const found of [st.pool, st.config, st.jobs]) for (const r of found?.excludes ?? []) set.remove(r.feature, r.source);
  for (const found of [st.pool, st.config, st.jobs, st.batchPool]) {
    if (!found) continue;
    for (const r of found.requirements) set.add(r.feature, r.source);
    notes.push(...found.notes);
    warnings.push(...found.warnings);
  }

  if (live.imds) {
    if (live.mode !== 'start-task') {
      warnings.push(`--imds ignored: instance metadata describes the pool's VM only in start-task mode (this run is in ${live.mode} mode)`);
    } else {
      const a = await readVmSize(live.env);
      if (a.ok) {
        vmSize = { name: a.vmSize, source: 'instance metadata compute.vmSize' };
        const r = vmSizeRequirements(a.vmSize, 'instance metadata compute.vmSize');
        for (const req of r.requirements) set.add(req.feature, req.source);
        notes.push(...r.notes);
      } else {
        warnings.push(`--imds: could not read compute.vmSize from ${a.url}: ${a.reason}; the VM size adds no requirements`);
      }
    }
  }

  let gpus: PciIdentity[] = [];
  // A --batch-pool whose size is an unexpanded ARM expression gives no size: detection stays on.
  const sizeGiven = Boolean(st.pool || st.batchPool?.vmSize || st.vmSize);
  const hardwareApplies = live.detect && !sizeGiven && (live.mode === 'start-task' || live.mode === 'image');
  if (hardwareApplies || live.scanPci) {
    const hw = await detectHardware(live.host);
    gpus = hw.gpus;
    if (hardwareApplies) {
      for (const r of hw.requirements) set.add(r.feature, r.source);
      notes.push(...hw.notes);
      warnings.push(...hw.warnings);
    }
  }
  if (live.detect && !sizeGiven && !hardwareApplies) {
    notes.push(`hardware detection is off in ${live.mode} mode (this machine's devices are not the node's): use --require, --vm-size or a pool file for gpu and infiniband`);
  }

  // Singularity multi-instance MPI tasks launch through the host's sshd (Docker ones bring their own, on port 23).
  if (set.has('singularity') && set.has('mpi')) {
    set.add('ssh-access', `singularity (${set.sourceOf('singularity')}) with mpi (${set.sourceOf('mpi')}): Singularity MPI tasks reach the other nodes through the host's sshd`);
  }
  // A plain Batch pool without Docker-compatible containers does not need Docker.
  const defaults = st.batchPool && !st.batchPool.needsDocker ? DEFAULT_FEATURES.filter((f) => f !== 'docker') : DEFAULT_FEATURES;
  for (const f of defaults) set.add(f, 'default');
  // Shipyard's node prep adds _azbatch to the docker group wherever it deals with Docker (native pools exclude it above).
  if (st.target === 'shipyard' && set.has('docker')) set.add('docker-group', 'default (with docker)');
  const settings: ResolvedRequirements['settings'] = { ...st.pool?.settings, ...st.batchPool?.settings };
  if (vmSize) settings.vmSize = vmSize;
  if (st.batchPool?.registries.length) settings.registries = st.batchPool.registries;
  return { set, settings, notes, warnings, gpus, ...(st.batchPool?.nodeCommunication ? { nodeCommunication: st.batchPool.nodeCommunication } : {}) };
}
