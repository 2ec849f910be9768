// The facts `baseline capture` records (src/baseline/facts.ts), over fixture trees read live and
// offline. Formats: hosts/baseline-gpu-node/README.txt; the rpm database: hosts/docker-rpm.
import { describe, expect, it } from 'vitest';
import { gatherFacts } from '../../src/baseline/facts';
import { FIXTURES, fixtureHost, tempTree } from '../helpers/host';

const NODE = `${FIXTURES}/hosts/baseline-gpu-node`;

describe('baseline facts', () => {
  it('reads the running system: kernel from /proc/sys/kernel/osrelease, the loaded driver, CUDA, Fabric Manager, ofed_info -s, packages', async () => {
    const f = await gatherFacts(fixtureHost(NODE, { live: true, canExec: true }));
    expect(f.kernel).toEqual({ state: 'known', value: '5.15.0-1064-azure', source: '/proc/sys/kernel/osrelease' });
    expect(f['nvidia.driver']).toEqual({ state: 'known', value: '550.54.15', source: '/sys/module/nvidia/version' });
    expect(f.cuda).toEqual({ state: 'known', value: '12.4.1', source: '/usr/local/cuda/version.json' });
    expect(f['nvidia.fabricmanager']).toEqual({ state: 'known', value: 'nvidia-fabricmanager-550 550.54.15-1', source: '/var/lib/dpkg/status' });
    expect(f.mofed).toEqual({ state: 'known', value: 'MLNX_OFED_LINUX-23.10-1.1.9.0', source: 'ofed_info -s' });
    expect(f['package:moby-engine']).toEqual({ state: 'known', value: '25.0.3-ubuntu22.04u1', source: '/var/lib/dpkg/status' });
    // Removed with its configuration kept (Status "deinstall ok config-files"): not installed.
    expect(f['package:containerd']).toEqual({ state: 'absent', source: '/var/lib/dpkg/status' });
    expect(Object.keys(f)).toEqual([...Object.keys(f)].sort());
    expect(Object.keys(f)).toHaveLength(18);
  });

  it('reads an offline root from files only: the newest /lib/modules kernel, the nvidia-driver package, no MOFED (ofed_info is not run)', async () => {
    const f = await gatherFacts(fixtureHost(NODE, { live: false, canExec: false }));
    expect(f.kernel).toEqual({ state: 'known', value: '5.15.0-1064-azure', source: 'the newest folder in /lib/modules' });
    expect(f['nvidia.driver']).toEqual({ state: 'known', value: '550.54.15', source: 'nvidia-driver-550 in /var/lib/dpkg/status' });
    expect(f.mofed).toEqual({ state: 'unknown', reason: 'ofed_info is not run against an offline root (rdma-core is recorded as a package)' });
  });

  it('orders kernels by version, not by text: 5.15.0-1100 is newer than 5.15.0-999', async () => {
    const root = tempTree({ 'lib/modules/5.15.0-999-azure/modules.dep': '', 'lib/modules/5.15.0-1100-azure/modules.dep': '' });
    expect((await gatherFacts(fixtureHost(root, { live: false, canExec: false }))).kernel).toMatchObject({ state: 'known', value: '5.15.0-1100-azure' });
  });

  it('records what is missing as absent: no driver loaded, no CUDA, no ofed_info, no kernels', async () => {
    const f = await gatherFacts(fixtureHost(tempTree({ 'var/lib/dpkg/status': 'Package: libc6\nStatus: install ok installed\nVersion: 2.35\n' }), { live: true, canExec: true }));
    expect(f['nvidia.driver']!.state).toBe('absent');
    expect(f.cuda).toEqual({ state: 'absent', source: '/usr/local/cuda/version.json does not exist' });
    expect(f.mofed).toEqual({ state: 'absent', source: 'no ofed_info command' });
    expect(f['nvidia.fabricmanager']).toEqual({ state: 'absent', source: 'no Fabric Manager package (/var/lib/dpkg/status)' });
    const offline = await gatherFacts(fixtureHost(tempTree({}), { live: false, canExec: false }));
    expect(offline.kernel).toEqual({ state: 'absent', source: '/lib/modules is empty or missing' });
  });

  it('asks rpm -q on a running rpm-based system: installed versions, the others absent; garbage from rpm leaves them unknown', async () => {
    // rpm -q prints `package NAME is not installed` for each missing name (as src/probes/nvidia-fabricmanager.ts reads it).
    const rpm = (out: string) =>
      tempTree({ 'var/lib/rpm/rpmdb.sqlite': '', 'usr/bin/rpm': `#!/bin/sh\n${out}\nfor n in "$@"; do case "$n" in -*|%*) ;; moby-engine) ;; *) echo "package $n is not installed";; esac; done\nexit 1\n` });
    const f = await gatherFacts(fixtureHost(rpm('echo "moby-engine 25.0.3-1.azl3"'), { live: true, canExec: true }));
    expect(f['package:moby-engine']).toEqual({ state: 'known', value: '25.0.3-1.azl3', source: 'rpm -q' });
    expect(f['package:rdma-core']).toEqual({ state: 'absent', source: 'rpm -q' });
    const garbage = await gatherFacts(fixtureHost(rpm('echo "error: rpmdb open failed"'), { live: true, canExec: true }));
    expect(garbage['package:moby-engine']).toEqual({ state: 'unknown', reason: 'rpm -q printed something unexpected' });
  });

  it('never guesses: an rpm database offline (rpm cannot run) and a package database that is not valid leave the packages unknown with the reason', async () => {
    const rpm = await gatherFacts(fixtureHost(`${FIXTURES}/hosts/docker-rpm`, { live: false, canExec: false }));
    expect(rpm['package:docker-ce']).toEqual({ state: 'unknown', reason: 'an rpm database cannot be read without running rpm, and commands are not run against an offline root' });
    expect(rpm['nvidia.driver']).toEqual({ state: 'unknown', reason: "offline root without /var/lib/dpkg/status: the driver's version is read from dpkg's status file only" });
    const garbage = await gatherFacts(fixtureHost(tempTree({ 'var/lib/dpkg/status': 'garbage\n', 'usr/local/cuda/version.json': '[]' }), { live: false, canExec: false }));
    expect(garbage['package:rdma-core']).toEqual({ state: 'unknown', reason: '/var/lib/dpkg/status: line 1: not a "Field: value" line' });
    expect(garbage.cuda).toEqual({ state: 'unknown', reason: '/usr/local/cuda/version.json has no cuda.version string' });
  });
});
