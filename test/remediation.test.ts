// Fix commands per distribution family; Azure Linux (os-release ID azurelinux from 3.0, mariner for
// CBL-Mariner 2.0) installs with tdnf and mostly Fedora's package names (microsoft/azurelinux SPECS/).
import { describe, expect, it } from 'vitest';
import { installCommand, installDocker, reinstallCommand } from '../src/remediation';
import { distroFamily, parseOsRelease } from '../src/parsers/os-release';

const AZL3 = 'NAME="Microsoft Azure Linux"\nVERSION="3.0.20240824"\nID=azurelinux\nVERSION_ID="3.0"\nPRETTY_NAME="Microsoft Azure Linux 3.0"\n';
const MARINER2 = 'NAME="Common Base Linux Mariner"\nVERSION="2.0.20240609"\nID=mariner\nVERSION_ID="2.0"\n';

describe('Azure Linux remediation', () => {
  it('is its own family, for 3.0 and CBL-Mariner 2.0', () => {
    expect(distroFamily(parseOsRelease(AZL3))).toBe('azurelinux');
    expect(distroFamily(parseOsRelease(MARINER2))).toBe('azurelinux');
  });

  it('installs with tdnf, the RHEL name unless it has its own', () => {
    expect(installCommand('azurelinux', { debian: 'nfs-common', rhel: 'nfs-utils' })).toBe('tdnf install -y nfs-utils');
    expect(installCommand('azurelinux', { debian: 'docker.io', rhel: 'docker-ce', azurelinux: 'moby-engine' })).toBe('tdnf install -y moby-engine');
    expect(reinstallCommand('azurelinux', { debian: 'rdma-core', rhel: 'rdma-core' })).toBe('tdnf reinstall -y rdma-core');
    expect(installDocker('azurelinux')).toBe('tdnf install -y moby-engine moby-cli');
  });

  it('names tdnf where the family is unknown, and leaves the other families as they were', () => {
    expect(installCommand('unknown', { debian: 'a', rhel: 'b' })).toMatch(/; Azure Linux: tdnf install -y b$/);
    expect(installCommand('rhel', { debian: 'a', rhel: 'b' })).toBe('dnf install -y b');
    expect(installCommand('debian', { debian: 'a', rhel: 'b' })).toBe('apt-get update && apt-get install -y a');
  });
});
