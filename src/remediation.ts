// Fix commands differ by distribution family: checks pick theirs from the host's os-release.
import type { DistroFamily } from './parsers/os-release';

export type PerFamily = Partial<Record<DistroFamily, string>> & { default: string };

export function forFamily(family: DistroFamily, fixes: PerFamily): string {
  return fixes[family] ?? fixes.default;
}

/**
 * Package names of one idea in each family; SLES and Azure Linux fall back to the RHEL name (Azure
 * Linux packages mostly carry Fedora's names: rdma-core, nfs-utils, cifs-utils, iproute, pciutils).
 */
export type Packages = { debian: string; rhel: string; suse?: string; azurelinux?: string };

/** Install commands for packages that have the same idea under different names. */
export function installCommand(family: DistroFamily, pkgs: Packages): string {
  const suse = pkgs.suse ?? pkgs.rhel;
  const azl = pkgs.azurelinux ?? pkgs.rhel;
  return forFamily(family, {
    debian: `apt-get update && apt-get install -y ${pkgs.debian}`,
    rhel: `dnf install -y ${pkgs.rhel}`,
    suse: `zypper --non-interactive install ${suse}`,
    azurelinux: `tdnf install -y ${azl}`,
    default: `Ubuntu/Debian: apt-get install -y ${pkgs.debian}; RHEL/Alma/Rocky: dnf install -y ${pkgs.rhel}; SLES: zypper install ${suse}; Azure Linux: tdnf install -y ${azl}`,
  });
}

/** Reinstall commands, for a tool that is installed but broken (an install of an installed package does nothing). */
export function reinstallCommand(family: DistroFamily, pkgs: Packages): string {
  const suse = pkgs.suse ?? pkgs.rhel;
  const azl = pkgs.azurelinux ?? pkgs.rhel;
  return forFamily(family, {
    debian: `apt-get install -y --reinstall ${pkgs.debian}`,
    rhel: `dnf reinstall -y ${pkgs.rhel}`,
    suse: `zypper --non-interactive install --force ${suse}`,
    azurelinux: `tdnf reinstall -y ${azl}`,
    default: `Ubuntu/Debian: apt-get install -y --reinstall ${pkgs.debian}; RHEL/Alma/Rocky: dnf reinstall -y ${pkgs.rhel}; SLES: zypper install --force ${suse}; Azure Linux: tdnf reinstall -y ${azl}`,
  });
}

/** Installs (or upgrades to) a current Docker Engine with its CLI and systemd units. */
export function installDocker(family: DistroFamily): string {
  return forFamily(family, {
    debian: 'apt-get update && apt-get install -y docker.io (or docker-ce and docker-ce-cli from download.docker.com)',
    rhel: 'dnf config-manager --add-repo https://download.docker.com/linux/rhel/docker-ce.repo && dnf install -y docker-ce docker-ce-cli containerd.io (or moby-engine moby-cli from packages.microsoft.com)',
    suse: 'zypper --non-interactive install docker',
    // Azure Linux ships Docker as moby-engine and moby-cli (microsoft/azurelinux SPECS/moby-engine).
    azurelinux: 'tdnf install -y moby-engine moby-cli',
    default:
      'Ubuntu/Debian: apt-get install -y docker.io; RHEL/Alma/Rocky: dnf install -y docker-ce docker-ce-cli containerd.io (Docker repository); SLES: zypper install docker',
  });
}
