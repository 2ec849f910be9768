// containerd.cri on fixture trees: installed, enabled at boot, CRI not disabled in config.toml, and
// on a live host a real HTTP/2 server (as gRPC is) answering on the socket, or one that does not.
import { afterEach, describe, expect, it } from 'vitest';
import http2 from 'node:http2';
import net from 'node:net';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { containerdCri } from '../../checks/containerd-cri';
import { runCheck, tempTree } from '../helpers/host';

const base = {
  'usr/bin/containerd': '#!/bin/sh\necho "containerd containerd.io 1.7.27"\n',
  'usr/bin/ctr': '#!/bin/sh\n',
  'lib/systemd/system/containerd.service': '[Unit]\nDescription=containerd\n[Service]\nExecStart=/usr/bin/containerd\n[Install]\nWantedBy=multi-user.target\n',
  'etc/systemd/system/multi-user.target.wants/containerd.service': { link: '/lib/systemd/system/containerd.service' },
  'etc/os-release': 'ID=ubuntu\nVERSION_ID="22.04"\n',
};
const offline = { live: false, canExec: false, features: ['containerd' as const] };

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((c) => c()));

function listen(server: net.Server | http2.Http2Server, root: string): Promise<void> {
  mkdirSync(path.join(root, 'run/containerd'), { recursive: true });
  closers.push(() => server.close());
  return new Promise((r) => server.listen(path.join(root, 'run/containerd/containerd.sock'), r));
}

describe('containerd.cri', () => {
  it('passes offline: installed, enabled, CRI not disabled; the socket is not tried', async () => {
    const r = await runCheck(containerdCri, tempTree({ ...base, 'etc/containerd/config.toml': 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n' }), offline);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('containerd /usr/bin/containerd is installed and enabled at boot, its CRI plugin is not disabled; the socket was not tried: not a live host');
    expect(r.evidence).toMatchObject({ ctr: '/usr/bin/ctr', crictl: null });
  });

  it("fails on Docker's containerd.io default config, which disables CRI", async () => {
    const r = await runCheck(containerdCri, tempTree({ ...base, 'etc/containerd/config.toml': '#   Copyright 2018-2022 Docker Inc.\n\ndisabled_plugins = ["cri"]\n\n#root = "/var/lib/containerd"\n' }), offline);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('/etc/containerd/config.toml disables the CRI plugin (disabled_plugins = ["cri"])');
  });

  it('fails when containerd is missing, or not enabled at boot', async () => {
    const missing = await runCheck(containerdCri, tempTree({ 'etc/os-release': 'ID=ubuntu\n' }), offline);
    expect(missing.status).toBe('fail');
    expect(missing.message).toBe('containerd is not installed: criCompatible container pools need it');
    expect(missing.remediation).toBe('apt-get update && apt-get install -y containerd');
    const rhel = await runCheck(containerdCri, tempTree({ 'etc/os-release': 'ID=almalinux\nID_LIKE="rhel centos fedora"\n' }), offline);
    // Docker's repository names the package containerd.io on the RHEL family.
    expect(rhel.remediation).toBe('dnf install -y containerd.io');
    const { 'etc/systemd/system/multi-user.target.wants/containerd.service': _, ...notEnabled } = base;
    const r = await runCheck(containerdCri, tempTree(notEnabled), offline);
    expect(r.status).toBe('fail');
    expect(r.message).toBe('containerd.service is disabled, not enabled at boot, so nothing starts containerd before Batch uses it');
  });

  it('is an error when disabled_plugins cannot be read', async () => {
    const r = await runCheck(containerdCri, tempTree({ ...base, 'etc/containerd/config.toml': 'disabled_plugins = [cri]\n' }), offline);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read disabled_plugins in \/etc\/containerd\/config\.toml: line 1: /);
  });

  it('fails on the CRI plugin disabled by its full id, passes with only other plugins disabled', async () => {
    const full = await runCheck(containerdCri, tempTree({ ...base, 'etc/containerd/config.toml': 'disabled_plugins = ["io.containerd.grpc.v1.cri"]\n' }), offline);
    expect(full.status).toBe('fail');
    expect(full.message).toBe('/etc/containerd/config.toml disables the CRI plugin (disabled_plugins = ["io.containerd.grpc.v1.cri"])');
    const other = await runCheck(containerdCri, tempTree({ ...base, 'etc/containerd/config.toml': 'disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "aufs"]\n' }), offline);
    expect(other.status, other.message).toBe('pass');
    expect(other.evidence).toMatchObject({ disabledPlugins: ['io.containerd.snapshotter.v1.btrfs', 'aufs'] });
  });

  it('is an error, never a pass, when config.toml cannot be read (a symlink loop)', async () => {
    const r = await runCheck(containerdCri, tempTree({ ...base, 'etc/containerd/config.toml': { link: 'config.toml' } }), offline);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not read \/etc\/containerd\/config\.toml/);
  });

  it('live: does not try the socket when containerd is already known to be unfit (not enabled at boot)', async () => {
    const { 'etc/systemd/system/multi-user.target.wants/containerd.service': _, ...notEnabled } = base;
    const r = await runCheck(containerdCri, tempTree(notEnabled), { live: true, canExec: false, features: ['containerd'], commandTimeoutMs: 300 });
    expect(r.status).toBe('fail');
    expect(r.findings?.map((f) => f.message)).toEqual(['containerd.service is disabled, not enabled at boot, so nothing starts containerd before Batch uses it']);
    expect(r.evidence).not.toHaveProperty('socketAnswer');
  });

  it('live: is an error, not a fail, when the socket path cannot be looked at (a symlink loop)', async () => {
    const r = await runCheck(containerdCri, tempTree({ ...base, 'run/containerd/containerd.sock': { link: 'containerd.sock' } }), { live: true, canExec: false, features: ['containerd'], commandTimeoutMs: 300 });
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^could not tell whether containerd answers: /);
  });

  it('live: is an error, not a fail, when connecting to the socket is denied', async () => {
    const grpcAnswer = { ok: false as const, reason: 'denied' as const, detail: 'permission denied connecting to /run/containerd/containerd.sock' };
    const r = await runCheck(containerdCri, tempTree(base), { live: true, canExec: false, features: ['containerd'], grpcAnswer });
    expect(r.status).toBe('error');
    expect(r.message).toBe('could not tell whether containerd answers: permission denied connecting to /run/containerd/containerd.sock');
  });

  it('live: passes when a gRPC (HTTP/2) server answers on the socket', async () => {
    const root = tempTree(base);
    await listen(http2.createServer(), root);
    const r = await runCheck(containerdCri, root, { live: true, canExec: false, features: ['containerd'] });
    expect(r.status).toBe('pass');
    expect(r.message).toMatch(/containerd answers on \/run\/containerd\/containerd\.sock$/);
  });

  it('live: fails when the socket is absent, or accepts and stays silent', async () => {
    const none = await runCheck(containerdCri, tempTree(base), { live: true, canExec: false, features: ['containerd'], commandTimeoutMs: 300 });
    expect(none.status).toBe('fail');
    expect(none.message).toBe('containerd does not answer on /run/containerd/containerd.sock: /run/containerd/containerd.sock does not exist');
    const root = tempTree(base);
    await listen(net.createServer(() => {}), root);
    const silent = await runCheck(containerdCri, root, { live: true, canExec: false, features: ['containerd'], commandTimeoutMs: 300 });
    expect(silent.status).toBe('fail');
    expect(silent.message).toMatch(/accepted the connection but sent no HTTP\/2 settings within 300 ms$/);
    expect([silent.category, silent.retryable]).toEqual(['transient', true]);
  });
});
