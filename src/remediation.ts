// Fix commands differ by distribution family: checks pick theirs from the host's os-release.
import type { DistroFamily } from './parsers/os-release';

export type PerFamily = Partial<Record<DistroFamily, string>> & { default: string };

export function forFamily(family: DistroFamily, fixes: PerFamily): string {
  return fixes[family] ?? fixes.default;
}

/** Package names of one idea in each family; SLES falls back to the RHEL name. */
export type Packages = { debian: string; rhel: string; suse?: string };

/** Install commands for packages that have the same idea under different names. */
export function installCommand(family: DistroFamily, pkgs: Packages): string {
  const suse = pkgs.suse ?? pkgs.rhel;
  return forFamily(family, {
    debian: `apt-get update && apt-get install -y ${pkgs.debian}`,
    rhel: `dnf install -y ${pkgs.rhel}`,
    suse: `zypper --non-interactive install ${suse}`,
    default: `Ubuntu/Debian: apt-get install -y ${pkgs.debian}; RHEL/Alma/Rocky: dnf install -y ${pkgs.rhel}; SLES: zypper install ${suse}`,
  });
}

/** Reinstall commands, for a tool that is installed but broken (an install of an installed package does nothing). */
export function reinstallCommand(family: DistroFamily, pkgs: Packages): string {
  const suse = pkgs.suse ?? pkgs.rhel;
  return forFamily(family, {
    debian: `apt-get install -y --reinstall ${pkgs.debian}`,
    rhel: `dnf reinstall -y ${pkgs.rhel}`,
    suse: `zypper --non-interactive install --force ${suse}`,
    default: `Ubuntu/Debian: apt-get install -y --reinstall ${pkgs.debian}; RHEL/Alma/Rocky: dnf reinstall -y ${pkgs.rhel}; SLES: zypper install --force ${suse}`,
  });
}

/** Installs (or upgrades to) a current Docker Engine with its CLI and systemd units. */
export function installDocker(family: DistroFamily): string {
  return forFamily(family, {
    debian: 'apt-get update && apt-get install -y docker.io (or docker-ce and docker-ce-cli from download.docker.com)',
    rhel: 'dnf config-manager --add-repo https://download.docker.com/linux/rhel/docker-ce.repo && dnf install -y docker-ce docker-ce-cli containerd.io (or moby-engine moby-cli from packages.microsoft.com)',
    suse: 'zypper --non-interactive install docker',
    default:
      'Ubuntu/Debian: apt-get install -y docker.io; RHEL/Alma/Rocky: dnf install -y docker-ce docker-ce-cli containerd.io (Docker repository); SLES: zypper install docker',
  });
}
