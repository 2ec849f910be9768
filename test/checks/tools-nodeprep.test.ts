import { describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { toolsNodeprep } from '../../checks/tools-nodeprep';
import { runCheck, tempTree } from '../helpers/host';
import type { Feature } from '../../src/types';

const GOOD = 'hosts/storage-ubuntu-good';
/** The good Ubuntu tree without some of its commands. */
function without(...cmds: string[]): string {
  const root = tempTree({}, GOOD);
  for (const c of cmds) rmSync(path.join(root, 'usr/bin', c));
  return root;
}
const withFeatures = (...f: Feature[]) => ({ features: ['docker', 'ssh', ...f] as Feature[] });

describe('tools.nodeprep', () => {
  it('passes with every tool and a Python 2 `python` (run)', async () => {
    const r = await runCheck(toolsNodeprep, GOOD);
    expect(r.status).toBe('pass');
    expect(r.message).toContain('Python 2.7.18');
  });

  it('passes offline from the name the python symlink chain ends at, saying it did not run it', async () => {
    const r = await runCheck(toolsNodeprep, GOOD, { canExec: false, live: false });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/python2\.7.*not run/);
  });

  // Offline only the exact interpreter names tell the version; anything else needs running it.
  it.each([
    ['python2', 'pass'],
    ['python3', 'fail'],
    ['python3.12', 'fail'],
    ['python2.7-config', 'error'],
    ['python3.9-config', 'error'],
    ['ipython2', 'error'],
    ['ipython3', 'error'],
  ] as const)('offline, `python` linked to %s: %s', async (name, status) => {
    const root = tempTree({ '/usr/bin/python': { link: name }, [`/usr/bin/${name}`]: '#!/bin/sh\nexit 0\n' }, GOOD);
    const r = await runCheck(toolsNodeprep, root, { canExec: false, live: false });
    expect(r.status, r.message).toBe(status);
  });

  it.each(['curl', 'lsblk', 'ip'])('a missing %s fails on every pool (node prep calls it under set -e)', async (cmd) => {
    const r = await runCheck(toolsNodeprep, without(cmd));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(new RegExp(`^missing ${cmd}: node prep `));
    // One finding: a tool whose absence fails is not warned about as well.
    expect(r.findings?.map((f) => f.status)).toEqual(['fail']);
  });

  it('on SUSE, names the SUSE packages (iproute2 there, the RHEL name where SUSE has no other)', async () => {
    const root = tempTree({ '/etc/os-release': 'NAME="SLES"\nID="sles"\nID_LIKE="suse"\nVERSION_ID="15.5"\n' }, GOOD);
    for (const c of ['curl', 'ip']) rmSync(path.join(root, 'usr/bin', c));
    const r = await runCheck(toolsNodeprep, root);
    expect(r.status).toBe('fail');
    expect(r.remediation).toBe('zypper --non-interactive install curl iproute2');
  });

  // check_for_nvidia_on_custom_or_native: lspci under set +e, then `log INFO "No Nvidia card(s) detected!"` and on.
  it('a missing lspci warns on a GPU pool: node prep logs "No Nvidia card(s) detected" and goes on', async () => {
    const root = without('lspci');
    const plain = await runCheck(toolsNodeprep, root);
    expect(plain.status).toBe('warn');
    expect(plain.message).toMatch(/missing lspci: .*"No Nvidia card\(s\) detected" and goes on/);
    expect(plain.remediation).toBe('apt-get update && apt-get install -y pciutils');
    const gpu = await runCheck(toolsNodeprep, root, { ...withFeatures('gpu'), settings: { vmSize: { name: 'Standard_NC24ads_A100_v4', source: 'test' } } });
    expect(gpu.status, gpu.message).toBe('warn');
    expect(gpu.message).toMatch(/skipping its GPU setup \(persistence mode, nvidia-smi queries\) on this GPU pool; .*not \(VM size Standard_NC24ads_A100_v4 \(test\): no RDMA\)/);
    // A Network Direct size: check_for_mellanox_card exits only for vm_rdma_type 1.
    const nd = await runCheck(toolsNodeprep, root, { ...withFeatures('infiniband'), settings: { vmSize: { name: 'Standard_H16r', source: 'test' } } });
    expect(nd.status, nd.message).toBe('warn');
  });

  // check_for_mellanox_card: `if [ "$vm_rdma_type" -eq 1 ]; then log ERROR "Expected Mellanox IB card not detected"; exit 1`.
  it('a missing lspci fails on an SR-IOV RDMA node, told by its size or by /dev/infiniband/issm0', async () => {
    const root = without('lspci');
    const hb = await runCheck(toolsNodeprep, root, { ...withFeatures('infiniband'), settings: { vmSize: { name: 'Standard_HB120rs_v3', source: 'pool.yaml' } } });
    expect(hb.status).toBe('fail');
    expect(hb.message).toMatch(/missing lspci: .*\(an SR-IOV RDMA node, where check_for_mellanox_card exits without a Mellanox device in lspci: VM size Standard_HB120rs_v3/);
    mkdirSync(path.join(root, 'dev/infiniband'), { recursive: true });
    writeFileSync(path.join(root, 'dev/infiniband/issm0'), '');
    const byDevice = await runCheck(toolsNodeprep, root);
    expect(byDevice.status).toBe('fail');
    expect(byDevice.message).toContain('/dev/infiniband/issm0 exists');
  });

  it('a missing openssl warns unless credential encryption is configured, then fails', async () => {
    const root = without('openssl');
    const plain = await runCheck(toolsNodeprep, root);
    expect(plain.status).toBe('warn');
    expect(plain.remediation).toBe('apt-get update && apt-get install -y openssl');
    expect(plain.message).toMatch(/batch_shipyard\.encryption\.enabled/);
    const enc = await runCheck(toolsNodeprep, root, withFeatures('credential-encryption'));
    expect(enc.status).toBe('fail');
  });

  it('fails naming the missing tool with the family package, and Python 3 with the real reason', async () => {
    const r = await runCheck(toolsNodeprep, 'hosts/storage-el9-bad', { ...withFeatures('infiniband'), settings: { vmSize: { name: 'Standard_HB176rs_v4', source: 'test' } } });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/missing lspci/);
    expect(r.message).toMatch(/Python 3\.9\.18, not Python 2/);
    expect(r.remediation).toMatch(/^dnf install -y pciutils/);
  });

  it('Python 3 as `python` fails, saying print() returns None and .lower() raises AttributeError (offline: from the symlink)', async () => {
    const full = tempTree({ '/usr/bin/lspci': '#!/bin/sh\nexit 0\n' }, 'hosts/storage-el9-bad');
    const r = await runCheck(toolsNodeprep, full, { canExec: false, live: false });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/python3\.9, not Python 2: .*print\(\) returns None and `\.lower\(\)` raises AttributeError/);
    expect(r.message).not.toMatch(/syntax/);
    expect(r.remediation).toMatch(/EL 8: dnf install -y python2/);
  });

  it('no `python` at all fails, run or offline', async () => {
    const r = await runCheck(toolsNodeprep, without('python'));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^no `python` command: node prep reads the VM size/);
    const offline = await runCheck(toolsNodeprep, without('python'), { canExec: false, live: false });
    expect(offline.status).toBe('fail');
    expect(offline.message).toMatch(/^no `python` command/);
  });

  it('fails with everything missing, listing Ubuntu packages', async () => {
    const r = await runCheck(toolsNodeprep, 'hosts/storage-bare', withFeatures('gpu'));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/missing curl, lsblk, ip: .*no `python` command.*missing lspci: /);
    expect(r.remediation).toContain('apt-get install -y curl util-linux iproute2');
    expect(r.remediation).toContain('apt-get install -y pciutils');
  });

  it('errors when `python --version` hangs (and is killed)', async () => {
    const r = await runCheck(toolsNodeprep, 'hosts/storage-broken-hang', { commandTimeoutMs: 300 });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/could not tell.*did not finish in time/);
  });

  it('errors when `python --version` prints garbage', async () => {
    const r = await runCheck(toolsNodeprep, 'hosts/storage-broken-garbage');
    expect(r.status).toBe('error');
    expect(r.message).toContain('printed something unexpected');
  });

  it('fails when python crashes: node prep cannot run its one-liner', async () => {
    const r = await runCheck(toolsNodeprep, 'hosts/storage-broken-crash');
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/does not run: .*crashed \(python was killed by SIGSEGV\)/);
  });

  it('errors offline when python is a plain file whose version cannot be told', async () => {
    const r = await runCheck(toolsNodeprep, 'hosts/storage-broken-crash', { canExec: false, live: false });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/cannot be told without running it/);
  });
});
