// Fix commands differ by distribution family: checks pick theirs from the host's os-release.
import type { DistroFamily } from './parsers/os-release';

export type PerFamily = Partial<Record<DistroFamily, string>> & { default: string };

export function forFamily(family: DistroFamily, fixes: PerFamily): string {
  return fixes[family] ?? fixes.default;
}

/** Install commands for packages that have the same idea under different names. */
export function installCommand(family: DistroFamily, pkgs: { debian: string; rhel: string; suse?: string }): string {
  switch (family) {
    case 'debian':
      return `apt-get update && apt-get install -y ${pkgs.debian}`;
    case 'rhel':
      return `dnf install -y ${pkgs.rhel}`;
    case 'suse':
      return `zypper --non-interactive install ${pkgs.suse ?? pkgs.rhel}`;
    default:
      return `Ubuntu/Debian: apt-get install -y ${pkgs.debian}; RHEL/Alma/Rocky: dnf install -y ${pkgs.rhel}; SLES: zypper install ${pkgs.suse ?? pkgs.rhel}`;
  }
}
