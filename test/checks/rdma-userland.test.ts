import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rdmaUserland } from '../../checks/rdma-userland';
import { FIXTURES, runCheck as runCheckIn, tempTree } from '../helpers/host';

// These tests look at the node as its start task does; image mode (the helper's default) judges
// only what the image has installed, since the build VM need not have the pool's devices (tested below).
const runCheck: typeof runCheckIn = (check, root, opts = {}) => runCheckIn(check, root, { ...opts, settings: { mode: 'start-task', ...opts.settings } });

const ib = { features: ['infiniband' as const] };
const hbv3 = readFileSync(path.join(FIXTURES, 'outputs/ibv_devinfo/hbv3-ib-and-eth.txt'), 'utf8');
const stub = (body: string) => `#!/bin/sh\n${body}\n`;

describe('rdma.userland', () => {
  it('passes when ibv_devinfo lists an active port and root has unlimited memlock', async () => {
    const r = await runCheck(rdmaUserland, 'hosts/ib-hbv3-active', ib);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('ibv_devinfo lists mlx5_0 port 1 (InfiniBand) active');
    expect(r.evidence?.memlock).toMatchObject({ soft: 'unlimited (/etc/security/limits.d/90-rdma-memlock.conf:4, root)' });
  });

  it('fails with what ibv_devinfo said without hardware, and notes the wildcard-only memlock', async () => {
    const r = await runCheck(rdmaUserland, 'hosts/ib-none', ib);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^ibv_devinfo found no RDMA device: "Failed to get IB devices list: Function not implemented"; root's memlock limit/);
    expect(r.message).toContain('the `*` line at /etc/security/limits.conf:1, /etc/security/limits.conf:2 does not apply to root here');
  });

  it('fails on "No IB devices found"', async () => {
    const root = tempTree({ 'usr/bin/ibv_devinfo': stub('echo "No IB devices found"; exit 255') }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('ibv_devinfo found no RDMA device: "No IB devices found"');
    expect(r.retryable).toBe(false);
  });

  it('fails, not retryable, when ibv_devinfo exits 0 but lists no device', async () => {
    const root = tempTree({ 'usr/bin/ibv_devinfo': stub('exit 0') }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('ibv_devinfo lists no device');
    expect(r.retryable).toBe(false);
  });

  it('fails, not retryable, when ibv_devinfo is there but cannot be started (its interpreter is missing)', async () => {
    const root = tempTree({ 'usr/bin/ibv_devinfo': '#!/nonexistent/interpreter\n' }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('ibv_devinfo is not installed');
    expect(r.remediation).toBe('apt-get update && apt-get install -y rdma-core ibverbs-utils');
    expect(r.retryable).toBe(false);
  });

  it('fails when ibv_devinfo is not installed, with the install command for the family', async () => {
    const r = await runCheck(rdmaUserland, tempTree({ 'etc/os-release': 'ID=almalinux\nID_LIKE="rhel centos fedora"\n', 'etc/security/limits.d/rdma.conf': 'root - memlock unlimited\n' }), ib);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('ibv_devinfo is not installed (no verbs user-space tools)');
    expect(r.remediation).toBe('dnf install -y rdma-core libibverbs-utils');
    expect(r.retryable).toBe(false);
  });

  it('warns when all is well but memlock for root is limited', async () => {
    const root = tempTree({ 'etc/security/limits.d/99-small.conf': 'root hard memlock 65536\n' }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.status).toBe('warn');
    expect(r.findings!.map((f) => f.status)).toEqual(['warn', 'pass']);
    expect(r.findings![0]!.message).toMatch(/^root's memlock limit .* hard 65536 \(\/etc\/security\/limits.d\/99-small.conf:1, root\)/);
    expect(r.remediation).toMatch(/root soft memlock unlimited/);
  });

  it.each([
    ['RHEL', 'ID=rhel\n'],
    ['SLES', 'ID="sles"\nID_LIKE="suse"\n'],
  ])('counts a `*` line for root on %s (upstream pam_limits applies it)', async (_distro, osRelease) => {
    const root = tempTree({ 'etc/os-release': osRelease, 'etc/security/limits.d/90-rdma-memlock.conf': '* - memlock unlimited\n' }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.status).toBe('pass');
  });

  it('warns when root has an unlimited soft memlock limit but no hard one (the hard limit stays the default)', async () => {
    const root = tempTree({ 'etc/security/limits.d/90-rdma-memlock.conf': 'root soft memlock unlimited\n' }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.status).toBe('warn');
    expect(r.message).toBe(
      "root's memlock limit in /etc/security/limits.conf(.d) is not unlimited (soft unlimited (/etc/security/limits.d/90-rdma-memlock.conf:1, root), hard not set)",
    );
  });

  it('takes root\'s memlock from limits.d/*.conf in C order, the last one winning, as pam_limits reads them', async () => {
    const root = tempTree(
      {
        'etc/security/limits.d/10-site.conf': 'root hard memlock 1024\n',
        'etc/security/limits.d/99-site.conf': 'root hard memlock 4096\n',
        'etc/security/limits.d/95-site.conf': 'root hard memlock 2048\n',
      },
      'hosts/ib-hbv3-active',
    );
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.status).toBe('warn');
    expect(r.evidence?.memlock).toMatchObject({ hard: '4096 (/etc/security/limits.d/99-site.conf:1, root)' });
  });

  it('reads only the limits.d files pam_limits globs (`*.conf`, no hidden file)', async () => {
    const unlimited = 'root soft memlock unlimited\nroot hard memlock unlimited\n';
    const root = tempTree({ 'etc/security/limits.d/.90-rdma.conf': unlimited, 'etc/security/limits.d/90-rdma.conf.dpkg-old': unlimited }, 'hosts/ib-hbv3-active');
    rmSync(path.join(root, 'etc/security/limits.d/90-rdma-memlock.conf'));
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.status).toBe('warn');
    expect(r.evidence?.memlock).toMatchObject({ soft: 'not set', hard: 'not set' });
  });

  it('is an error when the limits files cannot be read', async () => {
    const root = tempTree({}, 'hosts/ib-hbv3-active');
    rmSync(path.join(root, 'etc/security/limits.d'), { recursive: true });
    writeFileSync(path.join(root, 'etc/security/limits.d'), 'not a directory\n');
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read \/etc\/security\/limits.d/);
  });

  it.each([
    ['every port is INIT (no subnet manager yet): transient', ['PORT_INIT (2)', 'PORT_INIT (2)'], 'transient'],
    ['a port is DOWN: this node', ['PORT_INIT (2)', 'PORT_DOWN (1)'], 'node'],
  ])('a dual-port device with no ACTIVE port warns, retryable; %s', async (_what, states, category) => {
    const dual = hbv3
      .replace('phys_port_cnt:\t\t\t1', 'phys_port_cnt:\t\t\t2')
      .replace('\t\t\tlink_layer:\t\tInfiniBand\n', `\t\t\tlink_layer:\t\tInfiniBand\n\t\tport:\t2\n\t\t\tstate:\t\t\t${states[1]}\n\t\t\tlink_layer:\t\tInfiniBand\n`)
      .replace('PORT_ACTIVE (4)', states[0]!)
      .replace(/\nhca_id:\tmlx5_1[\s\S]*$/, '\n');
    const root = tempTree({ 'usr/bin/ibv_devinfo': stub(`cat <<'EOF'\n${dual}EOF`) }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.evidence?.devices).toEqual([{ hcaId: 'mlx5_0', ports: [`1: ${states[0]!.split(' ')[0]} InfiniBand`, `2: ${states[1]!.split(' ')[0]} InfiniBand`] }]);
    expect(r.status).toBe('warn');
    expect(r).toMatchObject({ category, retryable: true });
  });

  it('warns, retryable, when devices are listed but no port is active yet (ibv_devinfo exits 0, node prep goes on)', async () => {
    const down = hbv3.replace('PORT_ACTIVE (4)', 'PORT_INIT (2)');
    const root = tempTree({ 'usr/bin/ibv_devinfo': stub(`cat <<'EOF'\n${down}EOF`) }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.status).toBe('warn');
    expect(r.message).toBe('ibv_devinfo lists mlx5_0, mlx5_1 but no InfiniBand port is PORT_ACTIVE yet; node prep does not check this, but MPI over InfiniBand needs an ACTIVE port');
    // The Ethernet VF's port (mlx5_1, DOWN here) does not decide: the InfiniBand one waits for its subnet manager.
    expect(r).toMatchObject({ category: 'transient', retryable: true });
  });

  it('warns, and does not pass, when only the accelerated-networking Ethernet port is ACTIVE and the InfiniBand port is DOWN', async () => {
    const swapped = hbv3.replace('PORT_ACTIVE (4)', 'PORT_DOWN (1)').replace('PORT_DOWN (1)\n\t\t\tmax_mtu:\t\t4096 (5)\n\t\t\tactive_mtu:\t\t1024', 'PORT_ACTIVE (4)\n\t\t\tmax_mtu:\t\t4096 (5)\n\t\t\tactive_mtu:\t\t1024');
    expect(swapped).toMatch(/PORT_ACTIVE \(4\)[\s\S]*link_layer:\t\tEthernet/);
    const root = tempTree({ 'usr/bin/ibv_devinfo': stub(`cat <<'EOF'\n${swapped}EOF`) }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^ibv_devinfo lists mlx5_0, mlx5_1 but no InfiniBand port is PORT_ACTIVE yet/);
    expect(r).toMatchObject({ category: 'node', retryable: true });
  });

  it('warns, not retryable, when ibv_devinfo lists Ethernet ports only (no InfiniBand VF)', async () => {
    const ethOnly = hbv3.replace(/hca_id:\tmlx5_0[\s\S]*?\n\nhca_id:\tmlx5_1/, 'hca_id:\tmlx5_1');
    const root = tempTree({ 'usr/bin/ibv_devinfo': stub(`cat <<'EOF'\n${ethOnly}EOF`) }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.status).toBe('warn');
    expect(r.message).toBe('ibv_devinfo lists mlx5_1 with Ethernet ports only, no InfiniBand port; node prep does not check this, but MPI over InfiniBand needs one');
    expect(r).toMatchObject({ category: 'node', retryable: false });
  });

  it('on SR-IOV nodes requires ofed_info and ibstatus, which node prep runs (issm0 present)', async () => {
    const root = tempTree({}, 'hosts/ib-hbv3-active');
    rmSync(path.join(root, 'usr/bin/ofed_info'));
    rmSync(path.join(root, 'usr/bin/ibstatus'));
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.status).toBe('fail');
    expect(r.findings!.filter((f) => f.status === 'fail').map((f) => f.message)).toEqual([
      'ofed_info is not installed: node prep runs it on SR-IOV nodes (/dev/infiniband/issm0 exists (VM size unknown)) and exits when it fails',
      'ibstatus is not installed: node prep runs it on SR-IOV nodes (/dev/infiniband/issm0 exists (VM size unknown)) and exits when it fails',
    ]);
    expect(r.remediation).toMatch(/DOCA/);
    expect(r.remediation).toContain('apt-get update && apt-get install -y infiniband-diags');
    expect(r.retryable).toBe(false);
  });

  it('on SR-IOV nodes, fails, not retryable, when ibstatus is there but cannot be started (its interpreter is missing)', async () => {
    const root = tempTree({ 'usr/bin/ibstatus': '#!/nonexistent/interpreter\n' }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^ibstatus is not installed: node prep runs it on SR-IOV nodes/);
    expect(r.retryable).toBe(false);
  });

  it('on an SR-IOV size, even offline (no /dev in an image root), ofed_info must be installed', async () => {
    const root = tempTree({}, 'hosts/ib-hbv3-active');
    rmSync(path.join(root, 'usr/bin/ofed_info'));
    rmSync(path.join(root, 'dev'), { recursive: true });
    const settings = { vmSize: { name: 'standard_hb176rs_v4', source: 'test' } };
    const r = await runCheck(rdmaUserland, root, { ...ib, live: false, canExec: false, settings });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/^ofed_info is not installed: node prep runs it on SR-IOV nodes \(VM size standard_hb176rs_v4 \(test\): SR-IOV\)/);
    // A Network Direct size without issm0: node prep runs none of them.
    const nd = await runCheck(rdmaUserland, root, { ...ib, live: false, canExec: false, settings: { vmSize: { name: 'standard_h16r', source: 'test' } } });
    expect(nd.status).toBe('pass');
  });

  it.each([
    ['exits non-zero', 'echo "ibstatus: no devices" >&2; exit 1', 'fail', /^`ibstatus` exited with code 1: ibstatus: no devices: node prep runs it/],
    ['hangs', "trap '' TERM; sleep 30", 'error', /^`ibstatus` did not finish in time/],
    ['prints garbage', 'echo "%%%"', 'error', /^`ibstatus` printed something unexpected/],
  ])('on SR-IOV nodes, ibstatus that %s', async (_what, body, status, message) => {
    const root = tempTree({ 'usr/bin/ibstatus': stub(body) }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaUserland, root, { ...ib, commandTimeoutMs: 400 });
    expect(r.status).toBe(status);
    expect(r.findings!.find((f) => f.status === status)!.message).toMatch(message);
  });

  it('on SR-IOV nodes, a failing ibstatus is not retryable (it is the image, not the moment)', async () => {
    const root = tempTree({ 'usr/bin/ibstatus': stub('echo "ibstatus: no devices" >&2; exit 1') }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaUserland, root, ib);
    expect(r.status).toBe('fail');
    expect(r.retryable).toBe(false);
  });

  it.each([
    ['hangs', "trap '' TERM; sleep 30", /^ibv_devinfo did not answer: ibv_devinfo did not finish within 400 ms/],
    ['crashes', 'kill -SEGV $$', /^ibv_devinfo did not answer: ibv_devinfo was killed by SIGSEGV/],
    ['prints garbage', 'echo "%%% nonsense"', /^ibv_devinfo printed output that could not be read/],
    ['fails oddly', 'echo "libibverbs: Warning: couldn\'t load driver" >&2; exit 1', /^ibv_devinfo failed \(exit 1\): libibverbs: Warning/],
  ])('is an error when ibv_devinfo %s', async (_what, body, message) => {
    const root = tempTree({ 'usr/bin/ibv_devinfo': stub(body) }, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaUserland, root, { ...ib, commandTimeoutMs: 400 });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(message);
  });

  it('in container mode runs neither ibv_devinfo nor the SR-IOV tools (the host devices are not visible)', async () => {
    const root = tempTree(
      { 'usr/bin/ibv_devinfo': stub('echo "No IB devices found" >&2; exit 255'), 'usr/bin/ibstatus': stub('echo "ibstatus: no devices" >&2; exit 1') },
      'hosts/ib-hbv3-active',
    );
    const settings = { vmSize: { name: 'standard_hb176rs_v4', source: 'test' } };
    const r = await runCheck(rdmaUserland, root, { ...ib, live: false, canExec: true, settings });
    expect(r.status).toBe('pass');
    expect(r.message).toBe('ibv_devinfo is installed at /usr/bin/ibv_devinfo; not run (container mode: the host devices are not visible)');
  });

  it('offline: checks presence only and says ibv_devinfo was not run', async () => {
    const r = await runCheck(rdmaUserland, 'hosts/ib-hbv3-active', { ...ib, live: false, canExec: false });
    expect(r.status).toBe('pass');
    expect(r.message).toBe('ibv_devinfo is installed at /usr/bin/ibv_devinfo; not run (offline root: not the running system)');
  });

  it('in image mode does not run ibv_devinfo (the build VM need not have the pool devices) and says so', async () => {
    const r = await runCheckIn(rdmaUserland, 'hosts/ib-none', { ...ib, settings: { mode: 'image' } });
    expect(r.status).toBe('warn');
    expect(r.message).toMatch(/^root's memlock limit/);
    expect((r.findings ?? []).map((f) => f.message)).toContainEqual(expect.stringMatching(/^ibv_devinfo is installed at \S+; not run \(image mode: the build VM need not have the pool's RDMA devices; start-task mode runs it\)$/));
    // The same host in start-task mode: no device, a failure.
    expect((await runCheck(rdmaUserland, 'hosts/ib-none', ib)).status).toBe('fail');
  });
});
