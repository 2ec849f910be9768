import path from 'node:path';
import type { Check, CheckResult, Evidence, Mode, Target } from '../src/types';
import type { Host } from '../src/host/host';
import { error, fail, pass, unreadable, warn } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { isNvidiaGpu, pciDevices, type PciDevice } from '../src/probes/pci';
import { parseProcModules } from '../src/parsers/proc-modules';
import { NVIDIA_SMI_QUERY, nvidiaSmiFailure, parseNvidiaSmiGpus, sysfsBusId, type SmiGpu } from '../src/parsers/nvidia-smi';
import { ParseError } from '../src/parsers/parse-error';
import { FsError } from '../src/host/rootfs';
import { forFamily } from '../src/remediation';
import type { DistroFamily } from '../src/parsers/os-release';
import { messageOf } from '../src/errors';

const MODULE_FILE = /^nvidia\.ko(\.(xz|zst|gz))?$/;
/** Where distributions and DKMS put the module, under /lib/modules/<kernel>/. */
const MODULE_DIRS = ['updates/dkms', 'kernel/drivers/video', 'extra', 'updates', 'kernel/drivers/char/drm'];

function installFix(family: DistroFamily): string {
  return forFamily(family, {
    debian: 'Install the NVIDIA datacenter driver for this kernel, e.g. `apt-get install -y nvidia-driver-550-server` (or `ubuntu-drivers install --gpgpu`), then reboot.',
    rhel: 'Install the NVIDIA driver from the CUDA repository, e.g. `dnf module install -y nvidia-driver:latest-dkms`, then reboot.',
    suse: 'Install the NVIDIA compute driver, e.g. `zypper install nvidia-compute-G06 nvidia-compute-utils-G06`, then reboot.',
    default: 'Install the NVIDIA datacenter driver for the running kernel (see Azure N-series driver setup for Linux), then reboot.',
  });
}

const LOAD_FIX =
  'Load it with `modprobe nvidia` and read `dmesg | grep -i nvidia` if that fails: a kernel updated without rebuilding the module (`dkms autoinstall`), ' +
  'an unsigned module under Secure Boot, or a `blacklist nvidia` in /etc/modprobe.d are the usual causes. Make it load at boot.';

/**
 * nvidia.ko files under /lib/modules/<kernel>/ for every installed kernel, and the folders that
 * could not be listed (a module may hide there: with none found elsewhere, the answer is unknown).
 */
async function moduleFiles(host: Host): Promise<{ found: string[]; unlisted: string[] }> {
  const found: string[] = [];
  const unlisted: string[] = [];
  const list = (dir: string) =>
    host.fs.listIfExists(dir).catch((err: unknown) => {
      unlisted.push(`${dir} (${messageOf(err)})`);
      return [];
    });
  for (const kernel of await host.fs.listIfExists('/lib/modules')) {
    const base = path.posix.join('/lib/modules', kernel);
    // Ubuntu's prebuilt signed modules live in kernel/nvidia-<branch>/.
    const branchDirs = (await list(path.posix.join(base, 'kernel'))).filter((d) => d.startsWith('nvidia')).map((d) => `kernel/${d}`);
    for (const sub of [...MODULE_DIRS, ...branchDirs]) {
      const dir = path.posix.join(base, sub);
      for (const n of await list(dir)) if (MODULE_FILE.test(n)) found.push(path.posix.join(dir, n));
    }
  }
  return { found, unlisted };
}

/** Not the running host: say what the image has, and what could not be checked. */
async function staticCheck(host: Host, family: DistroFamily, mode: Mode): Promise<CheckResult> {
  const why =
    mode === 'image'
      ? "image mode on a build VM without NVIDIA GPUs (it need not have the pool's); start-task mode checks them"
      : host.canExec
        ? 'container mode: the host kernel and GPUs are not visible'
        : 'offline root: not the running system';
  const notChecked = `not checked (${why}): module loaded, driver answering, GPU count, persistence mode`;
  let smi: string | null;
  let modules: string[];
  let unlisted: string[];
  let dkms: string[];
  try {
    smi = await host.which('nvidia-smi');
    ({ found: modules, unlisted } = await moduleFiles(host));
    dkms = (await host.fs.listIfExists('/var/lib/dkms/nvidia')).filter((v) => v !== 'original_module');
  } catch (err) {
    return unreadable(err);
  }
  const evidence: Evidence = { nvidiaSmi: smi, moduleFiles: modules, unreadableModuleFolders: unlisted, dkmsVersions: dkms, notChecked };
  const missing: string[] = [];
  if (!smi) missing.push('nvidia-smi is not installed');
  if (modules.length === 0 && dkms.length === 0) {
    if (unlisted.length === 0) missing.push('no nvidia kernel module under /lib/modules/*/ and no DKMS tree in /var/lib/dkms/nvidia');
    else if (missing.length === 0) return error(`could not tell whether the image has the nvidia kernel module: none found, and ${unlisted.join(', ')} could not be read`, evidence);
  }
  if (missing.length > 0) return fail(`NVIDIA driver incomplete in this image: ${missing.join('; ')}`, installFix(family), evidence, { retryable: false });
  const where = modules.length > 0 ? modules.join(', ') : `DKMS nvidia ${dkms.join(', ')}`;
  return pass(`nvidia-smi (${smi}) and the nvidia kernel module (${where}) are installed; ${notChecked}`, evidence);
}

/** The nvidia module in /proc/modules, and a GPU on the PCI bus for it; null when both hold. */
async function moduleProblem(host: Host, family: DistroFamily, pciGpuCount: number, evidence: Evidence): Promise<CheckResult | null> {
  let modulesText: string;
  try {
    modulesText = await host.fs.readText('/proc/modules');
  } catch (err) {
    if (err instanceof FsError && err.reason === 'missing') {
      return fail('this kernel has no loadable-module support (/proc/modules is absent), so the nvidia module cannot be loaded', `${installFix(family)} Use a distribution kernel that supports loadable modules.`, evidence, { retryable: false });
    }
    return unreadable(err);
  }
  let loaded;
  try {
    loaded = parseProcModules(modulesText).find((m) => m.name === 'nvidia');
  } catch (err) {
    if (err instanceof ParseError) return error(`/proc/modules is not in the expected format: ${err.message}`, evidence);
    throw err;
  }
  evidence.moduleLoaded = loaded ? `nvidia (${loaded.state})` : false;
  if (!loaded) {
    const gpus = pciGpuCount > 0 ? `${pciGpuCount} NVIDIA GPU${pciGpuCount > 1 ? 's are' : ' is'} on the PCI bus but ` : '';
    return fail(`${gpus}the nvidia kernel module is not loaded`, pciGpuCount > 0 ? LOAD_FIX : `${installFix(family)} ${LOAD_FIX}`, evidence);
  }
  if (pciGpuCount === 0) {
    return fail('the nvidia module is loaded but no NVIDIA display or 3D controller is on the PCI bus (/sys/bus/pci/devices)', 'Use a GPU VM size (NC, ND, NV); on a GPU size, a missing device needs a VM redeploy.', evidence, { category: 'node', retryable: false });
  }
  return null;
}

/** The driver's /proc/driver/nvidia/version, which a loaded and working module creates; null when it is there. */
async function procVersionProblem(host: Host, evidence: Evidence): Promise<CheckResult | null> {
  let version: string | null;
  try {
    version = await host.fs.readTextIfExists('/proc/driver/nvidia/version');
  } catch (err) {
    return unreadable(err);
  }
  if (version === null) return fail('the nvidia module is loaded but /proc/driver/nvidia/version does not exist', LOAD_FIX, evidence);
  evidence.procVersion = version.split('\n')[0]!.trim();
  return null;
}

/** The GPUs nvidia-smi lists, or the result that says why it could not list them. */
async function queryGpus(host: Host, family: DistroFamily, evidence: Evidence): Promise<{ gpus: SmiGpu[] } | { result: CheckResult }> {
  const r = await host.exec('nvidia-smi', NVIDIA_SMI_QUERY);
  evidence.nvidiaSmi = r.summary;
  const output = `${r.stdout}\n${r.stderr}`.trim();
  switch (r.outcome) {
    case 'not-found':
      return { result: fail('the nvidia module is loaded but nvidia-smi is not installed', installFix(family), evidence, { retryable: false }) };
    case 'timeout':
      return { result: error(`driver or GPU not responding: ${r.summary}`, evidence) };
    case 'crashed':
      return { result: error(`nvidia-smi did not finish normally: ${r.summary}`, { ...evidence, output: output.slice(0, 500) }) };
    case 'exited':
      break;
  }
  if (r.exitCode !== 0) {
    evidence.output = output.slice(0, 500);
    const known = nvidiaSmiFailure(output);
    if (known === 'driver-unreachable') return { result: fail("nvidia-smi couldn't communicate with the NVIDIA driver", LOAD_FIX, evidence) };
    if (known === 'no-devices') return { result: fail('nvidia-smi found no devices although the PCI bus has NVIDIA GPUs', LOAD_FIX, evidence) };
    return { result: error(`nvidia-smi failed (exit ${r.exitCode}): ${output.split('\n')[0]?.slice(0, 200) ?? ''}`, evidence) };
  }
  try {
    return { gpus: parseNvidiaSmiGpus(r.stdout) };
  } catch (err) {
    if (err instanceof ParseError) return { result: error(`nvidia-smi printed output that is not the GPU list asked for: ${err.message}`, { ...evidence, output: r.stdout.slice(0, 500) }) };
    throw err;
  }
}

/** Every GPU on the PCI bus answers through the driver; persistence mode on (or, on Shipyard pools, left to node prep). */
function gpusVerdict(gpus: readonly SmiGpu[], pciGpus: readonly PciDevice[], target: Target, evidence: Evidence): CheckResult {
  evidence.gpus = gpus.map((g) => `${g.index}: ${g.name} ${g.busId} driver ${g.driverVersion ?? 'unknown'} persistence ${g.persistence}`);
  if (gpus.length !== pciGpus.length) {
    const seen = new Set(gpus.map((g) => sysfsBusId(g.busId)));
    const absent = pciGpus.filter((d) => !seen.has(d.address)).map((d) => d.address);
    evidence.missingFromNvidiaSmi = absent;
    return fail(
      `nvidia-smi lists ${gpus.length} GPU(s) but the PCI bus has ${pciGpus.length} NVIDIA GPU(s)${absent.length > 0 ? ` (not listed: ${absent.join(', ')})` : ''}`,
      'A GPU the driver does not list is not usable: check `dmesg | grep -i -e nvrm -e xid`, then reboot or redeploy the VM.',
      evidence,
      { category: 'node', retryable: false },
    );
  }
  const driver = gpus.find((g) => g.driverVersion)?.driverVersion ?? 'unknown';
  const off = gpus.filter((g) => g.persistence !== 'Enabled');
  if (off.length > 0 && target === 'batch') {
    return warn(
      `${gpus.length} GPU(s) answer with driver ${driver}, but persistence mode is not enabled on GPU ${off.map((g) => g.index).join(', ')}`,
      'Run `nvidia-smi -pm 1` and enable nvidia-persistenced.service so it holds after reboots.',
      evidence,
    );
  }
  if (off.length > 0) {
    // Batch Shipyard's node prep runs `nvidia-smi -pm 1` itself at every start: not something the image must have done.
    return pass(`${gpus.length} GPU(s) answer with driver ${driver}; persistence mode is off on GPU ${off.map((g) => g.index).join(', ')}, which node prep turns on itself (nvidia-smi -pm 1)`, evidence);
  }
  return pass(`${gpus.length} GPU(s) answer with driver ${driver}, persistence mode enabled`, evidence);
}

export const nvidiaDriver: Check = {
  id: 'nvidia.driver',
  title: 'NVIDIA driver',
  area: 'gpu',
  features: ['gpu'],
  dependsOn: [],
  live: false,
  // The module and nvidia-persistenced may still be loading when the start task begins.
  readiness: true,
  // Longer than the command timeout, so that a hung nvidia-smi is reported as such, not as a check timeout.
  timeoutMs: 30_000,
  description:
    'GPU pools need the NVIDIA driver installed and loaded at boot: Batch Shipyard requires `lsmod` to show nvidia, runs `nvidia-smi -pm 1` and treats ' +
    '`nvidia-smi -q` failures as fatal. On a running host this checks that the nvidia module is in /proc/modules, that /proc/driver/nvidia/version ' +
    'is readable, and that `nvidia-smi --query-gpu=...` answers within the command timeout (a hang means the driver or a GPU is not responding) and ' +
    'lists as many GPUs as sysfs shows NVIDIA display/3D controllers on the PCI bus (a missing one has fallen off the bus). Persistence mode ' +
    'off passes on a Batch Shipyard pool, whose node prep turns it on, and warns on a plain Batch pool. On an image root, in a container, or in image mode on a build VM without NVIDIA GPUs (it need not have the pool\'s) it checks that nvidia-smi and a built nvidia kernel module (or DKMS tree) are installed.',
  consequence:
    'fail: on GPU nodes node prep requires `lsmod` to show nvidia and runs `nvidia-smi -pm 1` and `nvidia-smi -q` under set -e (the latter fatal unless gpu.ignore_warnings); a missing or unloaded driver, or a GPU the driver does not list, stops node prep or leaves GPUs unusable. Persistence mode off passes on a Batch Shipyard pool (node prep enables it itself) and warns on a plain Batch pool.',
  fix: 'Install the NVIDIA datacenter driver for the running kernel, make the module load at boot, enable persistence mode (`nvidia-smi -pm 1` or nvidia-persistenced), and reboot.',
  byTarget: {
    batch: {
      description:
        'GPU pools need the NVIDIA driver installed and loaded at boot: nothing on a plain Batch pool installs or loads it. On a running host this checks ' +
        'that the nvidia module is in /proc/modules, that /proc/driver/nvidia/version is readable, and that `nvidia-smi --query-gpu=...` answers within ' +
        'the command timeout (a hang means the driver or a GPU is not responding) and lists as many GPUs as sysfs shows NVIDIA display/3D controllers on ' +
        'the PCI bus (a missing one has fallen off the bus). Persistence mode off warns (nothing turns it on). On an image root, in a container, or in image mode on a build VM without NVIDIA GPUs it checks ' +
        'that nvidia-smi and a built nvidia kernel module (or DKMS tree) are installed.',
      consequence:
        'fail: a missing or unloaded driver, or a GPU the driver does not list, leaves the GPUs unusable to every task. warn: persistence mode off (the driver is torn down between tasks, slowing each start).',
    },
  },
  async run({ host, settings }) {
    const family = (await osRelease(host)).family;
    if (!host.live) return staticCheck(host, family, settings.mode);

    const pci = await pciDevices(host);
    if (!pci.ok) return error(`could not read the PCI devices in /sys/bus/pci/devices: ${pci.reason}`);
    const pciGpus = pci.devices.filter(isNvidiaGpu);
    // A build VM without NVIDIA GPUs (a smaller size than the pool's) can only show what the image
    // has installed; one with GPUs is checked as a node would be.
    if (settings.mode === 'image' && pciGpus.length === 0) return staticCheck(host, family, settings.mode);
    const evidence: Evidence = { pciGpus: pciGpus.map((d) => `${d.address} ${d.vendor}:${d.device} class ${d.class}`) };

    const notReady = (await moduleProblem(host, family, pciGpus.length, evidence)) ?? (await procVersionProblem(host, evidence));
    if (notReady) return notReady;
    if (!host.canExec) return pass(`the nvidia module is loaded and ${pciGpus.length} NVIDIA GPU(s) are on the PCI bus; nvidia-smi not run: commands cannot be run here`, evidence);
    const smi = await queryGpus(host, family, evidence);
    if ('result' in smi) return smi.result;
    return gpusVerdict(smi.gpus, pciGpus, settings.target, evidence);
  },
};
