import type { Check, Evidence, Finding } from '../src/types';
import { combine, error, finding, pass, unreadable } from '../src/check-helpers';
import { osRelease } from '../src/probes/os-release';
import { unitFile } from '../src/probes/unit-files';
import { fabricManagerPackages, loadedDriverVersion, type FmPackage } from '../src/probes/nvidia-fabricmanager';
import { processesNamed } from '../src/probes/processes';
import { upstreamDriverVersion } from '../src/parsers/nvidia-driver-version';
import { nvswitchSeries } from '../src/data/nvswitch-sizes';
import { forFamily } from '../src/remediation';
import type { DistroFamily } from '../src/parsers/os-release';

const UNIT = 'nvidia-fabricmanager.service';
/** The daemon's program (NVIDIA Fabric Manager guide, "Fabric Manager Service File"). */
const DAEMON = 'nv-fabricmanager';

/** The package of a driver branch (Azure/azhpc-images components/install_nvidia_fabric_manager.sh). */
function installFix(family: DistroFamily, driver: string | null): string {
  const branch = driver ? Number(driver.split('.')[0]) : null;
  const debian = branch === null ? 'nvidia-fabricmanager-<driver branch>' : branch >= 580 ? 'nvidia-fabricmanager' : `nvidia-fabricmanager-${branch}`;
  const rhel = branch !== null && branch >= 580 ? 'nvidia-fabricmanager' : 'nvidia-fabric-manager';
  const exact = driver ? ` at the driver's version ${driver}` : " at the driver's exact version";
  return forFamily(family, {
    debian: `apt-get install -y ${debian}${driver ? `=${driver}-*` : ''} (from NVIDIA's CUDA repository, ${debian}${exact}), then: systemctl enable --now ${UNIT}`,
    rhel: `dnf install -y ${rhel}${driver ? `-${driver}` : ''} (from NVIDIA's CUDA repository${exact}), then: systemctl enable --now ${UNIT}`,
    default: `install NVIDIA Fabric Manager${exact} from NVIDIA's CUDA repository, then: systemctl enable --now ${UNIT}`,
  });
}

const show = (pkgs: readonly FmPackage[]) => pkgs.map((p) => `${p.name} ${p.version}`).join(', ');

export const nvidiaFabricmanager: Check = {
  id: 'nvidia.fabricmanager',
  title: 'NVIDIA Fabric Manager on NVSwitch sizes',
  area: 'gpu',
  features: ['gpu'],
  dependsOn: [],
  live: false,
  needsVmSize: true,
  // Fabric Manager takes a while to train the NVLink fabric after boot.
  readiness: true,
  description:
    'On the sizes whose eight GPUs are joined by NVSwitches (ND A100 v4, NDm A100 v4, ND H100 v5, ND H200 v5; src/data/nvswitch-sizes.ts, matched as ' +
    "Azure/azhpc-images' sku_has_nvswitch matches them), CUDA cannot use the GPUs until NVIDIA Fabric Manager has set the NVLink fabric up. Checks that a " +
    'Fabric Manager package is installed (nvidia-fabricmanager-<branch> or nvidia-fabricmanager on Ubuntu, nvidia-fabric-manager or nvidia-fabricmanager on ' +
    `RHEL and Azure Linux; dpkg status, or rpm -q), that ${UNIT} is enabled at boot, that the package's version equals the loaded driver's ` +
    '(/sys/module/nvidia/version or /proc/driver/nvidia/version; Fabric Manager refuses to run with another), and, in start-task mode, that its daemon ' +
    `(${DAEMON}) runs. Other sizes pass: they have no NVSwitch. Azure's HPC images install it the same way and fail their build when it is not active.`,
  consequence:
    'fail: until Fabric Manager runs, CUDA reports no usable device (cudaErrorSystemNotReady, error 802 "system not yet initialized"; cuInit returns CUDA_ERROR_SYSTEM_NOT_READY), so every GPU task on the node fails; a package of another version than the driver, or a unit not enabled at boot, leaves it not running after the next reboot.',
  fix: `Install the Fabric Manager package of the driver's exact version from NVIDIA's CUDA repository and enable it: systemctl enable --now ${UNIT}.`,
  async run({ host, settings }) {
    const size = settings.vmSize!;
    const series = nvswitchSeries(size.name);
    if (!series) return pass(`${size.name} (from ${size.source}) has no NVSwitch: Fabric Manager is not needed`);
    const family = (await osRelease(host)).family;
    const evidence: Evidence = { vmSize: size.name, series: series.series, seriesSource: series.source };

    const driver = host.live ? await loadedDriverVersion(host) : null;
    if (driver) evidence.driver = driver.state === 'known' ? `${driver.version} (${driver.source})` : driver.state === 'absent' ? 'not loaded' : driver.reason;
    const driverVersion = driver?.state === 'known' ? driver.version : null;

    let info;
    try {
      info = await unitFile(host, UNIT);
    } catch (err) {
      return unreadable(err);
    }
    const pkgs = await fabricManagerPackages(host);
    evidence.unit = info.state;
    evidence.packages = pkgs.state === 'known' ? `${show(pkgs.packages) || 'none'} (${pkgs.source})` : pkgs.reason;

    const problems: Finding[] = [];
    const notes: string[] = [];
    const need = `${size.name} (${series.series}) has NVSwitches`;
    if (pkgs.state === 'known' && pkgs.packages.length === 0) {
      problems.push(finding.fail(`${need}, and no NVIDIA Fabric Manager package is installed: CUDA cannot use the GPUs (error 802, system not yet initialized)`, installFix(family, driverVersion), { retryable: false }));
    } else if (pkgs.state === 'unknown' && driverVersion) {
      problems.push(finding.error(`could not tell whether Fabric Manager is at the loaded driver's version ${driverVersion}: ${pkgs.reason}`));
    } else if (pkgs.state === 'unknown') {
      notes.push(`the Fabric Manager package was not read: ${pkgs.reason}`);
    }

    if (info.state === 'not-found') {
      if (problems.length === 0) problems.push(finding.fail(`${need}, but there is no ${UNIT} unit, so Fabric Manager never starts`, installFix(family, driverVersion), { retryable: false }));
    } else if (info.state === 'masked') {
      problems.push(finding.fail(`${need}, but ${UNIT} is masked, so Fabric Manager never starts`, `systemctl unmask ${UNIT} && systemctl enable --now ${UNIT}`, { retryable: false }));
    } else if (info.state !== 'enabled') {
      problems.push(finding.fail(`${need}, but ${UNIT} is ${info.state}, not enabled: Fabric Manager does not start at boot`, `systemctl enable --now ${UNIT}`, { retryable: false }));
    }

    if (pkgs.state === 'known' && pkgs.packages.length > 0) {
      if (driverVersion) {
        const same = pkgs.packages.some((p) => upstreamDriverVersion(p.version) === driverVersion);
        if (!same) {
          problems.push(
            finding.fail(
              `Fabric Manager ${show(pkgs.packages)} is not the loaded driver's version ${driverVersion}: Fabric Manager refuses to start with another driver version, and CUDA cannot use the GPUs`,
              installFix(family, driverVersion),
              { retryable: false },
            ),
          );
        }
      } else if (driver?.state === 'unknown') {
        problems.push(finding.error(`could not tell whether Fabric Manager ${show(pkgs.packages)} is at the loaded driver's version: ${driver.reason}`));
      } else {
        notes.push(host.live ? `its version was not compared with the driver's (${String(evidence.driver)})` : 'its version was not compared with the driver\'s (no loaded driver to ask: not a live host)');
      }
    }

    if (settings.mode === 'start-task' && host.live && problems.length === 0) {
      const procs = await processesNamed(host, DAEMON);
      if (procs.state === 'unknown') return error(`could not tell whether ${DAEMON} runs: ${procs.reason}`, evidence);
      evidence.pids = procs.pids;
      if (procs.pids.length === 0) {
        problems.push(
          finding.fail(
            `${UNIT} is enabled but ${DAEMON} is not running: CUDA reports no usable device (error 802, system not yet initialized) until it runs`,
            `systemctl start ${UNIT}; if it stops again, read: journalctl -u ${UNIT}`,
          ),
        );
      }
    }

    const extra = notes.length > 0 ? `; ${notes.join('; ')}` : '';
    const running = evidence.pids ? `, ${DAEMON} runs (pid ${(evidence.pids as number[]).join(', ')})` : '';
    const installed = pkgs.state === 'known' ? show(pkgs.packages) : 'Fabric Manager';
    const matching = driverVersion ? ` at the driver's version ${driverVersion}` : '';
    return combine(problems, evidence, `${need}: ${installed} is installed${matching}, ${UNIT} is enabled${running}${extra}`);
  },
};
