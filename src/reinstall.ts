// Reinstall commands, for a tool that is installed but broken (an install of an installed package does nothing).
import type { DistroFamily } from './parsers/os-release';

export function reinstallCommand(family: DistroFamily, pkgs: { debian: string; rhel: string; suse?: string }): string {
  switch (family) {
    case 'debian':
      return `apt-get install -y --reinstall ${pkgs.debian}`;
    case 'rhel':
      return `dnf reinstall -y ${pkgs.rhel}`;
    case 'suse':
      return `zypper --non-interactive install --force ${pkgs.suse ?? pkgs.rhel}`;
    default:
      return `Ubuntu/Debian: apt-get install -y --reinstall ${pkgs.debian}; RHEL/Alma/Rocky: dnf reinstall -y ${pkgs.rhel}; SLES: zypper install --force ${pkgs.suse ?? pkgs.rhel}`;
  }
}
