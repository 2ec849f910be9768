import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { nvidiaDriver } from '../../checks/nvidia-driver';
import { FIXTURES, runCheck as runCheckIn, tempTree } from '../helpers/host';

// These tests look at the node as its start task does; image mode (the helper's default) judges
// only what the image has installed, since the build VM need not have the pool's devices (tested below).
const runCheck: typeof runCheckIn = (check, root, opts = {}) => runCheckIn(check, root, { ...opts, settings: { mode: 'start-task', ...opts.settings } });

const gpu = { features: ['gpu' as const] };
const smiRows = readFileSync(path.join(FIXTURES, 'outputs/nvidia-smi/query-gpu-h100x8.csv'), 'utf8');
const smiStub = (body: string) => `#!/bin/sh\n${body}\n`;

/** A copy of a fixture where one file is a symlink to itself: it exists, but reading it fails (ELOOP). */
function withLoop(base: string, file: string): string {
  const root = tempTree({}, base);
  const full = path.join(root, file);
  rmSync(full, { force: true });
  symlinkSync(path.basename(full), full);
  return root;
}

describe('nvidia.driver on a running host', () => {
  it('passes with 8 GPUs answering, persistence on', async () => {
    const r = await runCheck(nvidiaDriver, 'hosts/gpu-h100x8-ok', gpu);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('8 GPU(s) answer with driver 550.54.15, persistence mode enabled');
    expect(r.evidence?.procVersion).toMatch(/Kernel Module {2}550\.54\.15/);
    // A plain Batch pool warns only when persistence mode is off somewhere.
    const batch = await runCheck(nvidiaDriver, 'hosts/gpu-h100x8-ok', { ...gpu, settings: { target: 'batch' } });
    expect(batch.status).toBe('pass');
  });

  it('fails when the module is not loaded, naming the GPUs on the bus', async () => {
    const r = await runCheck(nvidiaDriver, 'hosts/gpu-driver-not-loaded', gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('8 NVIDIA GPUs are on the PCI bus but the nvidia kernel module is not loaded');
    expect(r.remediation).toMatch(/modprobe nvidia/);
    // The GPUs are there: loading the module is the fix, not installing a driver.
    expect(r.remediation).not.toMatch(/Install the NVIDIA/);
  });

  it('fails when there is no NVIDIA GPU and no driver', async () => {
    const r = await runCheck(nvidiaDriver, 'hosts/gpu-none', gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('the nvidia kernel module is not loaded');
    expect(r.remediation).toMatch(/apt-get install -y nvidia-driver/);
  });

  it('fails when nvidia-smi lists fewer GPUs than the PCI bus has, naming the missing one', async () => {
    const r = await runCheck(nvidiaDriver, 'hosts/gpu-count-mismatch', gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('nvidia-smi lists 7 GPU(s) but the PCI bus has 8 NVIDIA GPU(s) (not listed: 0000:db:00.0)');
  });

  it('reports a hung nvidia-smi as "driver or GPU not responding", killing it', async () => {
    const started = Date.now();
    const r = await runCheck(nvidiaDriver, 'hosts/gpu-smi-hangs', { ...gpu, commandTimeoutMs: 400 });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^driver or GPU not responding: nvidia-smi did not finish within 400 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("fails on NVIDIA-SMI's couldn't-communicate message (exit 9) although the module is listed", async () => {
    const root = tempTree({ 'usr/bin/nvidia-smi': smiStub(`echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running."; exit 9`) }, 'hosts/gpu-h100x8-ok');
    const r = await runCheck(nvidiaDriver, root, gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toBe("nvidia-smi couldn't communicate with the NVIDIA driver");
  });

  it('is an error when nvidia-smi crashes', async () => {
    const root = tempTree({ 'usr/bin/nvidia-smi': smiStub('kill -SEGV $$') }, 'hosts/gpu-h100x8-ok');
    const r = await runCheck(nvidiaDriver, root, gpu);
    expect(r.status).toBe('error');
    expect(r.message).toBe('nvidia-smi did not finish normally: nvidia-smi was killed by SIGSEGV');
  });

  it('is an error, not a pass, when nvidia-smi prints garbage', async () => {
    const root = tempTree({ 'usr/bin/nvidia-smi': smiStub('echo "all good!"') }, 'hosts/gpu-h100x8-ok');
    const r = await runCheck(nvidiaDriver, root, gpu);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^nvidia-smi printed output that is not the GPU list asked for/);
  });

  it('is an error for an unknown failure of nvidia-smi', async () => {
    const root = tempTree({ 'usr/bin/nvidia-smi': smiStub('echo "Unable to determine the device handle for GPU0000:18:00.0: Unknown Error" >&2; exit 15') }, 'hosts/gpu-h100x8-ok');
    const r = await runCheck(nvidiaDriver, root, gpu);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^nvidia-smi failed \(exit 15\): Unable to determine the device handle/);
  });

  it('fails when the module is loaded but nvidia-smi is missing', async () => {
    const root = tempTree({}, 'hosts/gpu-h100x8-ok');
    const { rmSync } = await import('node:fs');
    rmSync(path.join(root, 'usr/bin/nvidia-smi'));
    const r = await runCheck(nvidiaDriver, root, gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('the nvidia module is loaded but nvidia-smi is not installed');
    // A missing program does not appear by waiting (the check is a readiness check: its default is retryable).
    expect(r.retryable).toBe(false);
  });

  it('passes when persistence mode is off or unknown on some GPU, saying node prep turns it on (nvidia-smi -pm 1)', async () => {
    const rows = smiRows.replace(/(^1, .*)Enabled$/m, '$1Disabled').replace(/(^2, .*)Enabled$/m, '$1[N/A]');
    const root = tempTree({ 'usr/bin/nvidia-smi': smiStub(`cat <<'EOF'\n${rows}EOF`) }, 'hosts/gpu-h100x8-ok');
    const r = await runCheck(nvidiaDriver, root, gpu);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('8 GPU(s) answer with driver 550.54.15; persistence mode is off on GPU 1, 2, which node prep turns on itself (nvidia-smi -pm 1)');
    // A plain Batch pool has no node prep to turn it on.
    const batch = await runCheck(nvidiaDriver, root, { ...gpu, settings: { target: 'batch' } });
    expect(batch.status).toBe('warn');
    expect(batch.remediation).toMatch(/nvidia-smi -pm 1/);
  });

  it('fails when the module is loaded but no NVIDIA GPU is on the bus', async () => {
    const root = tempTree({ 'proc/modules': 'nvidia 54480896 0 - Live 0x0000000000000000\n' }, 'hosts/gpu-none');
    const r = await runCheck(nvidiaDriver, root, gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/no NVIDIA display or 3D controller is on the PCI bus/);
    expect(r.category).toBe('node');
    expect(r.retryable).toBe(false);
  });

  it('fails when nvidia-smi finds no devices although the PCI bus has NVIDIA GPUs', async () => {
    const root = tempTree({ 'usr/bin/nvidia-smi': smiStub('echo "No devices were found"; exit 6') }, 'hosts/gpu-h100x8-ok');
    const r = await runCheck(nvidiaDriver, root, gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('nvidia-smi found no devices although the PCI bus has NVIDIA GPUs');
  });

  it('passes with driver "unknown" when nvidia-smi cannot report the driver version of any GPU', async () => {
    const rows = smiRows.replace(/550\.54\.15/g, '[N/A]');
    const root = tempTree({ 'usr/bin/nvidia-smi': smiStub(`cat <<'EOF'\n${rows}EOF`) }, 'hosts/gpu-h100x8-ok');
    const r = await runCheck(nvidiaDriver, root, gpu);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('8 GPU(s) answer with driver unknown, persistence mode enabled');
  });

  it('fails when the module is loaded but /proc/driver/nvidia/version does not exist', async () => {
    const root = tempTree({}, 'hosts/gpu-h100x8-ok');
    rmSync(path.join(root, 'proc/driver/nvidia/version'));
    const r = await runCheck(nvidiaDriver, root, gpu);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('the nvidia module is loaded but /proc/driver/nvidia/version does not exist');
  });

  it('is an error when /proc/driver/nvidia/version exists but cannot be read', async () => {
    const r = await runCheck(nvidiaDriver, withLoop('hosts/gpu-h100x8-ok', 'proc/driver/nvidia/version'), gpu);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read \/proc\/driver\/nvidia\/version: /);
  });

  it('is an error, not "no loadable-module support", when /proc/modules exists but cannot be read', async () => {
    const r = await runCheck(nvidiaDriver, withLoop('hosts/gpu-h100x8-ok', 'proc/modules'), gpu);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read \/proc\/modules: /);
  });

  it('is an error, not "module not loaded", when /proc/modules is not in the expected format', async () => {
    const root = tempTree({ 'proc/modules': 'nvidia loaded\n' }, 'hosts/gpu-h100x8-ok');
    const r = await runCheck(nvidiaDriver, root, gpu);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^\/proc\/modules is not in the expected format: /);
  });

  it('is an error, not a GPU count, when a PCI device on the bus cannot be read', async () => {
    // A device directory without its device and class files (e.g. removed while being read).
    const root = tempTree({ 'sys/bus/pci/devices/0000:c1:00.0/vendor': '0x10de\n' }, 'hosts/gpu-h100x8-ok');
    const r = await runCheck(nvidiaDriver, root, gpu);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read the PCI devices in \/sys\/bus\/pci\/devices: .*0000:c1:00\.0\/device/);
  });

  it('does not run nvidia-smi when commands cannot be run, and says so', async () => {
    const r = await runCheck(nvidiaDriver, 'hosts/gpu-h100x8-ok', { ...gpu, canExec: false });
    expect(r.status).toBe('pass');
    expect(r.message).toBe('the nvidia module is loaded and 8 NVIDIA GPU(s) are on the PCI bus; nvidia-smi not run: commands cannot be run here');
  });
});

describe('nvidia.driver on an image root (offline)', () => {
  const offline = { ...gpu, live: false, canExec: false };

  it('passes when nvidia-smi and a built module are installed, saying what it did not check', async () => {
    const r = await runCheck(nvidiaDriver, 'hosts/gpu-image-offline', offline);
    expect(r.status).toBe('pass');
    expect(r.message).toBe(
      'nvidia-smi (/usr/bin/nvidia-smi) and the nvidia kernel module (/lib/modules/5.15.0-1061-azure/updates/dkms/nvidia.ko.zst) are installed; ' +
        'not checked (offline root: not the running system): module loaded, driver answering, GPU count, persistence mode',
    );
  });

  it('finds Ubuntu prebuilt modules in kernel/nvidia-<branch>/', async () => {
    const root = tempTree({ 'usr/bin/nvidia-smi': '#!/bin/sh\n', 'lib/modules/6.5.0-1025-azure/kernel/nvidia-550srv/nvidia.ko': '' });
    const r = await runCheck(nvidiaDriver, root, offline);
    expect(r.status).toBe('pass');
    expect(r.evidence?.moduleFiles).toEqual(['/lib/modules/6.5.0-1025-azure/kernel/nvidia-550srv/nvidia.ko']);
  });

  it('fails naming what is missing: no module, no nvidia-smi', async () => {
    const r = await runCheck(nvidiaDriver, tempTree({ 'etc/os-release': 'ID=rocky\nID_LIKE="rhel centos fedora"\n' }), offline);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('NVIDIA driver incomplete in this image: nvidia-smi is not installed; no nvidia kernel module under /lib/modules/*/ and no DKMS tree in /var/lib/dkms/nvidia');
    expect(r.remediation).toMatch(/dnf module install/);
  });

  it('accepts a DKMS tree when the module is not built yet', async () => {
    const root = tempTree({ 'usr/bin/nvidia-smi': '#!/bin/sh\n', 'var/lib/dkms/nvidia/550.54.15/source/dkms.conf': '' });
    const r = await runCheck(nvidiaDriver, root, offline);
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/DKMS nvidia 550\.54\.15/);
  });

  it('takes only nvidia.ko (plain or compressed) for the module, not a backup or another module named like it', async () => {
    const root = tempTree({
      'usr/bin/nvidia-smi': '#!/bin/sh\n',
      'lib/modules/6.5.0-1025-azure/updates/dkms/nvidia.ko.bak': '',
      'lib/modules/6.5.0-1025-azure/updates/dkms/old-nvidia.ko': '',
    });
    const r = await runCheck(nvidiaDriver, root, offline);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/no nvidia kernel module under/);
  });

  it("does not take DKMS's original_module directory for a built driver version", async () => {
    const root = tempTree({ 'usr/bin/nvidia-smi': '#!/bin/sh\n', 'var/lib/dkms/nvidia/original_module/6.5.0-1025-azure/x86_64/nvidia.ko': '' });
    const r = await runCheck(nvidiaDriver, root, offline);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/no DKMS tree in \/var\/lib\/dkms\/nvidia/);
  });

  it('skips module directories that cannot be listed and finds the module in the others', async () => {
    const root = tempTree({
      'usr/bin/nvidia-smi': '#!/bin/sh\n',
      'lib/modules/6.5.0-1025-azure/kernel': { link: 'kernel' },
      'lib/modules/6.5.0-1025-azure/updates/dkms': { link: 'dkms' },
      'lib/modules/6.5.0-1025-azure/extra/nvidia.ko.xz': '',
    });
    const r = await runCheck(nvidiaDriver, root, offline);
    expect(r.status).toBe('pass');
    expect(r.evidence?.moduleFiles).toEqual(['/lib/modules/6.5.0-1025-azure/extra/nvidia.ko.xz']);
  });

  it('is an error, not a fail, when no module is found but a module directory cannot be listed (it may be there)', async () => {
    const root = tempTree({ 'usr/bin/nvidia-smi': '#!/bin/sh\n', 'lib/modules/6.5.0-1025-azure/updates/dkms': { link: 'dkms' } });
    const r = await runCheck(nvidiaDriver, root, offline);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not tell whether the image has the nvidia kernel module: none found, and \/lib\/modules\/6\.5\.0-1025-azure\/updates\/dkms \(.*\) could not be read$/);
  });

  it('still fails on a missing nvidia-smi when a module directory cannot be listed', async () => {
    const root = tempTree({ 'lib/modules/6.5.0-1025-azure/updates/dkms': { link: 'dkms' } });
    const r = await runCheck(nvidiaDriver, root, offline);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/nvidia-smi is not installed/);
  });

  it('is an error when /lib/modules exists but cannot be read', async () => {
    const root = tempTree({ 'usr/bin/nvidia-smi': '#!/bin/sh\n', 'lib/modules': { link: 'modules' } });
    const r = await runCheck(nvidiaDriver, root, offline);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read \/lib\/modules: /);
  });

  it('in container mode does not run nvidia-smi and says why', async () => {
    const r = await runCheck(nvidiaDriver, 'hosts/gpu-image-offline', { ...gpu, live: false, canExec: true });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/container mode: the host kernel and GPUs are not visible/);
  });

  it('fails, not errors, on a kernel without loadable modules (/proc/modules absent)', async () => {
    const root = tempTree({}, 'hosts/gpu-h100x8-ok');
    rmSync(path.join(root, 'proc/modules'));
    const r = await runCheck(nvidiaDriver, root, { features: ['gpu'] });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/no loadable-module support/);
    // Waiting does not add module support to a kernel (the check is a readiness check: its default is retryable).
    expect(r.retryable).toBe(false);
  });
});

describe('nvidia.driver in image mode (the build VM need not have the pool GPUs)', () => {
  const image = { ...gpu, settings: { mode: 'image' as const } };

  it('judges only what the image has installed: a VM with no NVIDIA GPU and no module loaded passes when the driver is installed', async () => {
    // The running host has no GPU on the bus and no nvidia module loaded; the image has nvidia-smi and a built module.
    const root = tempTree({ 'usr/bin/nvidia-smi': '#!/bin/sh\nexit 9\n', 'lib/modules/5.15.0-1061-azure/updates/dkms/nvidia.ko.zst': '', 'proc/modules': '' });
    const r = await runCheckIn(nvidiaDriver, root, image);
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/not checked \(image mode on a build VM without NVIDIA GPUs \(it need not have the pool's\); start-task mode checks them\): module loaded/);
    // The same host in start-task mode is a node without its GPUs: never a pass.
    expect((await runCheck(nvidiaDriver, root, gpu)).status).not.toBe('pass');
  });

  it('checks a build VM that has NVIDIA GPUs as a node: its driver must be loaded and answer', async () => {
    // hosts/gpu-driver-not-loaded has NVIDIA GPUs on the PCI bus and no nvidia module loaded.
    const r = await runCheck(nvidiaDriver, 'hosts/gpu-driver-not-loaded', image);
    expect(r.status).toBe('fail');
    expect(r.message).not.toMatch(/image mode/);
    expect((await runCheck(nvidiaDriver, 'hosts/gpu-h100x8-ok', image)).status).toBe('pass');
  });

  it('still fails an image without the driver', async () => {
    const r = await runCheckIn(nvidiaDriver, tempTree({ 'proc/modules': '' }), image);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^NVIDIA driver incomplete in this image: nvidia-smi is not installed/);
  });
});
