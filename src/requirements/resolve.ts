// Puts the sources of requirements together, in the order that decides which source is reported:
// --without (always wins), --require, the Batch Shipyard files, instance metadata, the hardware,
// and last the defaults.
import type { CheckSettings, Mode } from '../types';
import type { Host } from '../host/host';
import { ConfigDoc } from './config-doc';
import { configRequirements, jobsRequirements, poolRequirements, storageClusterTypes, vmSizeRequirements, type ConfigFindings } from './shipyard';
import { detectHardware } from './hardware';
import type { PciIdentity } from '../probes/pci';
import { readVmSize } from './imds';
import { DEFAULT_FEATURES, parseFeatureList, RequirementSet } from './requirements';

export interface StaticRequirementInputs {
  require: readonly string[];
  without: readonly string[];
  pool?: string;
  config?: string;
  fs?: string;
  jobs?: string;
}

/** What the command line and the configuration files say; all usage errors surface here, before anything runs. */
export interface StaticRequirements {
  require: ReturnType<typeof parseFeatureList>;
  without: ReturnType<typeof parseFeatureList>;
  pool: ConfigFindings | null;
  config: ConfigFindings | null;
  jobs: ConfigFindings | null;
}

export function loadStaticRequirements(inp: StaticRequirementInputs): StaticRequirements {
  const without = parseFeatureList(inp.without, '--without');
  const require = parseFeatureList(inp.require, '--require');
  const pool = inp.pool ? poolRequirements(ConfigDoc.load('--pool', inp.pool)) : null;
  const fs = inp.fs ? ConfigDoc.load('--fs', inp.fs) : null;
  const config = inp.config ? configRequirements(ConfigDoc.load('--config', inp.config), fs) : null;
  const jobs = inp.jobs ? jobsRequirements(ConfigDoc.load('--jobs', inp.jobs)) : null;
  // fs.yaml alone still has to be valid, though it only matters through config.yaml's volumes.
  if (fs && !inp.config) storageClusterTypes(fs);
  return { require, without, pool, config, jobs };
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
  settings: Pick<CheckSettings, 'expectedDistro' | 'expectedResourceMount' | 'vmSize'>;
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
  for (const found of [st.pool, st.config, st.jobs]) {
    if (!found) continue;
    for (const r of found.excludes) set.remove(r.feature, r.source);
    for (const r of found.requirements) set.add(r.feature, r.source);
    notes.push(...found.notes);
    warnings.push(...found.warnings);
  }

  let imdsSize: CheckSettings['vmSize'];
  if (live.imds) {
    if (live.mode !== 'start-task') {
      warnings.push(`--imds ignored: instance metadata describes the pool's VM only in start-task mode (this run is in ${live.mode} mode)`);
    } else {
      const a = await readVmSize(live.env);
      if (a.ok) {
        const r = vmSizeRequirements(a.vmSize, 'instance metadata compute.vmSize');
        for (const req of r.requirements) set.add(req.feature, req.source);
        notes.push(...r.notes);
        imdsSize = { name: a.vmSize.toLowerCase(), source: 'instance metadata compute.vmSize' };
      } else {
        warnings.push(`--imds: could not read compute.vmSize from ${a.url}: ${a.reason}; the VM size adds no requirements`);
      }
    }
  }

  let gpus: PciIdentity[] = [];
  const hardwareApplies = live.detect && !st.pool && (live.mode === 'start-task' || live.mode === 'image');
  if (hardwareApplies || live.scanPci) {
    const hw = await detectHardware(live.host);
    gpus = hw.gpus;
    if (hardwareApplies) {
      for (const r of hw.requirements) set.add(r.feature, r.source);
      notes.push(...hw.notes);
      warnings.push(...hw.warnings);
    }
  }
  if (live.detect && !st.pool && !hardwareApplies) {
    notes.push(`hardware detection is off in ${live.mode} mode (this machine's devices are not the node's): use --require or --pool for gpu and infiniband`);
  }

  for (const f of DEFAULT_FEATURES) set.add(f, 'default');
  // Node prep adds _azbatch to the docker group wherever it deals with Docker (not on native pools, which exclude it).
  if (set.has('docker')) set.add('docker-group', 'default (with docker)');
  // The running VM's own size outranks the pool file's.
  const settings = { ...st.pool?.settings, ...(imdsSize ? { vmSize: imdsSize } : {}) };
  return { set, settings, notes, warnings, gpus };
}
