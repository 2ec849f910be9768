// Sources: Azure/azhpc-images (components/install_nvidia_fabric_manager.sh: package names by branch
// and distribution; tests/test-definitions.sh: sku_has_nvswitch and verify_nvidia_fabricmanager_service;
// tests/run-tests.sh: cuInit returns CUDA_ERROR_SYSTEM_NOT_READY until Fabric Manager has set up the
// fabric), the NVIDIA Fabric Manager user guide (nvidia-fabricmanager.service, nv-fabricmanager).
import { rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nvidiaFabricmanager } from '../../checks/nvidia-fabricmanager';
import { runCheck, tempTree, type RunCheckOptions } from '../helpers/host';
import type { Mode, Target } from '../../src/types';

const H100 = { name: 'Standard_ND96isr_H100_v5', source: '--vm-size' };
const opts = (mode: Mode = 'start-task', extra: RunCheckOptions = {}, target: Target = 'shipyard'): RunCheckOptions => ({
  features: ['gpu'],
  live: mode !== 'offline',
  ...extra,
  settings: { mode, target, vmSize: H100, ...extra.settings },
});
const tree = (files: Parameters<typeof tempTree>[0] = {}) => tempTree(files, 'hosts/fabricmanager-ok');
const dpkgWith = (name: string, version: string) =>
  `Package: libc6\nStatus: install ok installed\nVersion: 2.35-0ubuntu3.8\n\nPackage: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n\n`;

describe('nvidia.fabricmanager', () => {
  it('passes on ND H100 v5 with the package at the driver version, the unit enabled and nv-fabricmanager running', async () => {
    const r = await runCheck(nvidiaFabricmanager, 'hosts/fabricmanager-ok', opts());
    expect(r.status).toBe('pass');
    expect(r.message).toBe(
      "Standard_ND96isr_H100_v5 (ND H100 v5) has NVSwitches: nvidia-fabricmanager-550 550.54.15-1 is installed at the driver's version 550.54.15, nvidia-fabricmanager.service is enabled, nv-fabricmanager runs (pid 2417)",
    );
  });

  it.each(['Standard_ND96asr_v4', 'Standard_ND96amsr_A100_v4', 'standard_nd96isr_h200_v5'])('fails on %s, an NVSwitch size, without the package', async (name) => {
    const r = await runCheck(nvidiaFabricmanager, tree({ 'var/lib/dpkg/status': dpkgWith('libc-bin', '2.35-0ubuntu3.8') }), opts('start-task', { settings: { vmSize: { name, source: 'pool.json' } } }));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/has NVSwitches, and no NVIDIA Fabric Manager package is installed: CUDA cannot use the GPUs \(error 802/);
    expect(r.remediation).toMatch(/^apt-get install -y nvidia-fabricmanager-550=550\.54\.15-\* /);
  });

  it.each(['Standard_NC24ads_A100_v4', 'Standard_ND96isr_MI300X_v5', 'Standard_ND40rs_v2'])('passes on %s, which has no NVSwitch, even with nothing installed', async (name) => {
    const r = await runCheck(nvidiaFabricmanager, tempTree({}), opts('start-task', { settings: { vmSize: { name, source: '--vm-size' } } }));
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/has no NVSwitch: Fabric Manager is not needed$/);
  });

  it('fails when nvidia-fabricmanager.service is installed but not enabled at boot', async () => {
    const root = tree();
    rmSync(path.join(root, 'etc/systemd/system/multi-user.target.wants/nvidia-fabricmanager.service'));
    const r = await runCheck(nvidiaFabricmanager, root, opts());
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/nvidia-fabricmanager\.service is disabled, not enabled: Fabric Manager does not start at boot/);
    expect(r.remediation).toBe('systemctl enable --now nvidia-fabricmanager.service');
  });

  it('fails when nvidia-fabricmanager.service is masked', async () => {
    const r = await runCheck(nvidiaFabricmanager, tree({ 'etc/systemd/system/nvidia-fabricmanager.service': { link: '/dev/null' } }), opts());
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/is masked/);
  });

  it('fails when the unit file is missing although the package is recorded', async () => {
    const root = tree();
    rmSync(path.join(root, 'lib/systemd/system/nvidia-fabricmanager.service'));
    rmSync(path.join(root, 'etc/systemd/system/multi-user.target.wants/nvidia-fabricmanager.service'));
    const r = await runCheck(nvidiaFabricmanager, root, opts());
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/there is no nvidia-fabricmanager\.service unit/);
  });

  it("fails when the package is not the loaded driver's version (Fabric Manager refuses to start)", async () => {
    const r = await runCheck(nvidiaFabricmanager, tree({ 'var/lib/dpkg/status': dpkgWith('nvidia-fabricmanager-550', '550.54.14-1') }), opts());
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^Fabric Manager nvidia-fabricmanager-550 550\.54\.14-1 is not the loaded driver's version 550\.54\.15/);
    expect(r.retryable).toBe(false);
  });

  it('takes the driver version from /proc/driver/nvidia/version when /sys/module/nvidia/version is absent (open kernel module line)', async () => {
    const root = tree({
      'proc/driver/nvidia/version': 'NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  550.54.14  Release Build  (dvs-builder@U16-I3-B03-4-3)  Tue Mar  5 22:23:56 UTC 2024\n',
    });
    rmSync(path.join(root, 'sys/module/nvidia/version'));
    const r = await runCheck(nvidiaFabricmanager, root, opts());
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/is not the loaded driver's version 550\.54\.14/);
  });

  it('fails, retryable, in start-task mode when nv-fabricmanager is not running (CUDA error 802 until it runs)', async () => {
    const root = tree();
    rmSync(path.join(root, 'proc/2417'), { recursive: true });
    const r = await runCheck(nvidiaFabricmanager, root, opts());
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/is enabled but nv-fabricmanager is not running: CUDA reports no usable device \(error 802/);
    expect(r.retryable).toBe(true);
  });

  it('does not take a process with a longer name of the same first letters for a different program', async () => {
    const root = tree({ 'proc/2417/comm': 'nv-fabric\n' });
    expect((await runCheck(nvidiaFabricmanager, root, opts())).status).toBe('fail');
  });

  it('does not ask for the daemon outside start-task mode (container: the image is checked)', async () => {
    const root = tree();
    rmSync(path.join(root, 'proc'), { recursive: true });
    rmSync(path.join(root, 'sys'), { recursive: true });
    const r = await runCheck(nvidiaFabricmanager, root, opts('container', { live: false }));
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/its version was not compared with the driver's \(no loaded driver to ask: not a live host\)$/);
  });

  it('passes an offline image root with the package installed and enabled, saying the version was not compared', async () => {
    const r = await runCheck(nvidiaFabricmanager, 'hosts/fabricmanager-ok', opts('offline', { canExec: false }));
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/not compared/);
  });

  it('is an error when the driver version file holds garbage', async () => {
    const r = await runCheck(nvidiaFabricmanager, tree({ 'sys/module/nvidia/version': 'not a version\n' }), opts());
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/could not tell whether Fabric Manager .* is at the loaded driver's version: \/sys\/module\/nvidia\/version is not in the expected format/);
  });

  it('is an error when the dpkg database cannot be read (a link loop): the version cannot be compared', async () => {
    const root = tree();
    rmSync(path.join(root, 'var/lib/dpkg/status'));
    symlinkSync('status', path.join(root, 'var/lib/dpkg/status'));
    const r = await runCheck(nvidiaFabricmanager, root, opts());
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not tell whether Fabric Manager is at the loaded driver's version 550\.54\.15: /);
  });

  it('uses the branch-less package name from driver branch 580 on', async () => {
    const root = tree({ 'sys/module/nvidia/version': '580.65.06\n', 'var/lib/dpkg/status': dpkgWith('libc-bin', '2.35') });
    const r = await runCheck(nvidiaFabricmanager, root, opts());
    expect(r.status).toBe('fail');
    expect(r.remediation).toMatch(/^apt-get install -y nvidia-fabricmanager=580\.65\.06-\* /);
    const ok = tree({ 'sys/module/nvidia/version': '580.65.06\n', 'var/lib/dpkg/status': dpkgWith('nvidia-fabricmanager', '580.65.06-1') });
    expect((await runCheck(nvidiaFabricmanager, ok, opts())).status).toBe('pass');
  });

  describe('on the RHEL family (rpm -q)', () => {
    const rpmTree = (rpm: string) => {
      const root = tree({ 'usr/bin/rpm': rpm, 'var/lib/rpm/rpmdb.sqlite': '', 'etc/os-release': 'ID="almalinux"\nVERSION_ID="9.4"\nID_LIKE="rhel centos fedora"\n' });
      rmSync(path.join(root, 'var/lib/dpkg'), { recursive: true });
      return root;
    };
    // rpm -q prints NAME VERSION-RELEASE for an installed name, "package X is not installed" for the others, and exits with their count.
    const rpmSays = (lines: string[], code: number) => `#!/bin/sh\nprintf '${lines.join('\\n')}\\n'\nexit ${code}\n`;

    it('passes with nvidia-fabric-manager at the driver version', async () => {
      const r = await runCheck(nvidiaFabricmanager, rpmTree(rpmSays(['package nvidia-fabricmanager is not installed', 'nvidia-fabric-manager 550.54.15-1'], 1)), opts());
      expect(r.status).toBe('pass');
      expect(r.message).toMatch(/nvidia-fabric-manager 550\.54\.15-1 is installed at the driver's version 550\.54\.15/);
    });

    it('fails when rpm says neither package is installed', async () => {
      const r = await runCheck(nvidiaFabricmanager, rpmTree(rpmSays(['package nvidia-fabricmanager is not installed', 'package nvidia-fabric-manager is not installed'], 2)), opts());
      expect(r.status).toBe('fail');
      expect(r.remediation).toMatch(/^dnf install -y nvidia-fabric-manager-550\.54\.15 /);
    });

    it('is an error when rpm prints garbage', async () => {
      const r = await runCheck(nvidiaFabricmanager, rpmTree(rpmSays(['error: rpmdb: BDB0113 Thread/process failed'], 1)), opts());
      expect(r.status).toBe('error');
      expect(r.message).toMatch(/rpm -q printed something unexpected/);
    });

    it('is an error when rpm hangs', async () => {
      const r = await runCheck(nvidiaFabricmanager, rpmTree('#!/bin/sh\nsleep 30\n'), opts('start-task', { commandTimeoutMs: 300 }));
      expect(r.status).toBe('error');
      expect(r.message).toMatch(/rpm -q did not finish/);
    });

    it('is an error when rpm crashes', async () => {
      const r = await runCheck(nvidiaFabricmanager, rpmTree('#!/bin/sh\nkill -SEGV $$\n'), opts());
      expect(r.status).toBe('error');
    });
  });

  it('under target batch speaks of neither Shipyard nor node prep', async () => {
    const root = tree({ 'var/lib/dpkg/status': dpkgWith('libc-bin', '2.35') });
    const r = await runCheck(nvidiaFabricmanager, root, opts('start-task', {}, 'batch'));
    expect(r.status).toBe('fail');
    expect(`${r.message} ${r.remediation}`).not.toMatch(/shipyard|node prep/i);
  });
});
