import { describe, expect, it } from 'vitest';
import { mkdtempSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chooseMode, containerMarker, containerRuntimeInCgroup } from '../../src/engine/mode';
import { tempTree } from '../helpers/host';

const HOST_CGROUP = '0::/init.scope\n';
const bare = () => tempTree({ 'proc/1/cgroup': HOST_CGROUP });
const batchEnv = { AZ_BATCH_NODE_ID: 'tvmps_0123', AZ_BATCH_TASK_WORKING_DIR: '/mnt/batch/tasks/startup/wd', AZ_BATCH_POOL_ID: 'p1' };

describe('auto mode detection', () => {
  it.each([
    ['a plain VM', {}, {}, 'image', /no Batch start task environment/],
    ['a Batch start task', batchEnv, {}, 'start-task', /AZ_BATCH_NODE_ID \(tvmps_0123\) and AZ_BATCH_TASK_WORKING_DIR are set/],
    ['a start task inside a container still is a start task', batchEnv, { '.dockerenv': '' }, 'start-task', /AZ_BATCH_NODE_ID/],
    ['only AZ_BATCH_NODE_ID (a task, not the start task env)', { AZ_BATCH_NODE_ID: 'n' }, {}, 'image', /no Batch/],
    ['Docker', {}, { '.dockerenv': '' }, 'container', /\/\.dockerenv exists/],
    ['Podman', {}, { 'run/.containerenv': '' }, 'container', /\/run\/\.containerenv exists/],
    ['systemd-nspawn', { container: 'systemd-nspawn' }, {}, 'container', /container environment variable is set \(systemd-nspawn\)/],
    ['cgroup v1 docker', {}, { 'proc/1/cgroup': '12:devices:/docker/4f1e2d\n11:cpu:/docker/4f1e2d\n' }, 'container', /PID 1's cgroup names docker/],
    ['cgroup v2 docker scope', {}, { 'proc/1/cgroup': '0::/system.slice/docker-4f1e2d.scope\n' }, 'container', /names docker/],
    ['Kubernetes', {}, { 'proc/1/cgroup': '0::/kubepods/besteffort/pod1234/abcd\n' }, 'container', /names kubepods/],
    ['LXC', {}, { 'proc/1/cgroup': '0::/lxc/web01\n' }, 'container', /names lxc/],
  ] as const)('%s', (_name, env, files, mode, reason) => {
    const hostRoot = tempTree({ 'proc/1/cgroup': HOST_CGROUP, ...files });
    const c = chooseMode({ requested: 'auto', root: '/', env: { ...env }, hostRoot });
    expect(c.mode).toBe(mode);
    expect(c.reason).toMatch(reason);
  });

  it('an image root is offline', () => {
    const img = mkdtempSync(path.join(os.tmpdir(), 'bp-img-'));
    expect(chooseMode({ requested: 'auto', root: img, env: batchEnv, hostRoot: bare() })).toEqual({ mode: 'offline', reason: `--root ${img} is an image root, not the running system` });
  });

  it('a root that is / through a symlink is not offline', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bp-link-'));
    symlinkSync('/', path.join(dir, 'slash'));
    expect(chooseMode({ requested: 'auto', root: path.join(dir, 'slash'), env: {}, hostRoot: bare() }).mode).toBe('image');
  });

  it('a --root that does not exist is offline, never taken for the running system', () => {
    const missing = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-gone-')), 'no-such-root');
    expect(chooseMode({ requested: 'auto', root: missing, env: {}, hostRoot: bare() }).mode).toBe('offline');
    expect(chooseMode({ requested: 'image', root: missing, env: {}, hostRoot: bare() }).mode).toBe('offline');
  });
});

describe('requested modes', () => {
  it.each(['start-task', 'image', 'container', 'offline'] as const)('--mode %s on / is taken as asked', (m) => {
    expect(chooseMode({ requested: m, root: '/', env: {}, hostRoot: bare() })).toEqual({ mode: m, reason: `--mode ${m}` });
  });

  it('--mode offline with --root of an image is taken as asked', () => {
    const img = mkdtempSync(path.join(os.tmpdir(), 'bp-img-'));
    expect(chooseMode({ requested: 'offline', root: img, env: {}, hostRoot: bare() })).toEqual({ mode: 'offline', reason: '--mode offline' });
  });

  it('--mode image with --root of an image is offline, and says why', () => {
    const img = mkdtempSync(path.join(os.tmpdir(), 'bp-img-'));
    expect(chooseMode({ requested: 'image', root: img, env: {}, hostRoot: bare() })).toEqual({ mode: 'offline', reason: `--mode image ignored: --root ${img} is not the running system` });
  });
});

describe('container markers', () => {
  it.each([
    ['0::/\n', null],
    ['0::/init.scope\n', null],
    ['1:name=systemd:/system.slice/lxcfs.service\n', null],
    ['0::/user.slice/user-1000.slice/session-3.scope\n', null],
    ['0::/system.slice/containerd.service\n', 'containerd'],
    ['0::/machine.slice/libpod-0123.scope\n', 'libpod'],
    ['garbage without colons', null],
    ['0::/kubepods\n', 'kubepods'],
  ])('%j -> %s', (text, want) => {
    expect(containerRuntimeInCgroup(text)).toBe(want);
  });

  it('no markers at all', () => {
    expect(containerMarker({}, bare())).toBeNull();
    expect(containerMarker({}, mkdtempSync(path.join(os.tmpdir(), 'bp-none-')))).toBeNull();
  });
});
