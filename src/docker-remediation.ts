// Fix commands for the Docker checks, by distribution family.
import type { DistroFamily } from './parsers/os-release';
import { forFamily } from './remediation';

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
