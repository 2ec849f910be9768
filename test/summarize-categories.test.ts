// summarize groups the failing nodes by who must act: an image defect on every node is not a
// hardware fault on two, and each group lists its nodes and says what to do.
import { describe, expect, it } from 'vitest';
import { digestReport } from '../src/summarize/digest';
import { ACTIONS } from '../src/summarize/categories';
import { aggregate } from '../src/summarize/aggregate';
import { renderHumanSummary } from '../src/summarize/human';
import { renderMarkdownSummary } from '../src/summarize/markdown';
import { fakeReport, type FakeCheck } from './helpers/reports';

const ok = (id: string): FakeCheck => ({ id, status: 'pass' });

// Ten GPU nodes from one image that lacks Docker's socket unit; two have lost a GPU; one had sshd
// still starting; one report from an agent that did not say who must act.
const fleet = Array.from({ length: 10 }, (_, i) => {
  const node = `tvm-${i + 1}`;
  const checks: FakeCheck[] = [ok('os.distro'), { id: 'docker.engine', status: 'fail', message: 'no docker.service unit', category: 'image' }];
  if (i === 3 || i === 8) checks.push({ id: 'nvidia.driver', status: 'fail', message: 'nvidia-smi lists 7 GPU(s) but the PCI bus has 8', category: 'node' });
  if (i === 5) checks.push({ id: 'sshd', status: 'error', message: 'timed out', category: 'transient' });
  if (i === 9) checks.push({ id: 'site.custom', status: 'fail', message: 'custom says no' });
  return digestReport(`${node}.json`, fakeReport({ nodeId: node, hostname: '', checks }));
});

describe('summarize by category', () => {
  const s = aggregate(fleet);

  it('groups failing nodes by who must act, largest group first, with the checks and nodes', () => {
    expect(s.categories.map((g) => [g.category, g.nodes.length])).toEqual([['image', 10], ['node', 2], ['transient', 1], ['unknown', 1]]);
    expect(s.categories[1]).toEqual({
      category: 'node',
      nodes: ['tvm-4', 'tvm-9'],
      checks: [{ id: 'nvidia.driver', nodes: 2 }],
      action: 'reboot, reimage or redeploy these nodes (or remove them from the pool)',
    });
    expect(s.categories[0]!.nodes).toEqual(Array.from({ length: 10 }, (_, i) => `tvm-${i + 1}`));
  });

  it('human: an image defect on 100% of nodes reads differently from a fault of two VMs', () => {
    const text = renderHumanSummary(s);
    expect(text).toContain(
      [
        'By who must act:',
        '  image: image defect on 100% of nodes (10 of 10): fix the image and rebuild it, then recreate or reimage the nodes',
        '    checks: docker.engine (10)',
        '    nodes: tvm-1, tvm-2, tvm-3, tvm-4, tvm-5, tvm-6, tvm-7, tvm-8, tvm-9, tvm-10',
        '  node: fault of these VMs on 2 of 10 nodes (20%): reboot, reimage or redeploy these nodes (or remove them from the pool)',
        '    checks: nvidia.driver (2)',
        '    nodes: tvm-4, tvm-9',
        '  transient: transient on 1 of 10 nodes (10%): retry: reboot the nodes or rerun their start task; raise --wait if something was still starting',
        '    checks: sshd (1)',
        '    nodes: tvm-6',
        '  unknown: not categorised on 1 of 10 nodes (10%)',
      ].join('\n'),
    );
  });

  it('markdown: a row per category', () => {
    const md = renderMarkdownSummary(s);
    expect(md).toContain('### By who must act');
    expect(md).toContain('| node | fault of these VMs on 2 of 10 nodes (20%) | reboot, reimage or redeploy these nodes (or remove them from the pool) | `nvidia.driver` (2) | tvm-4, tvm-9 |');
  });

  it('a healthy fleet has no groups', () => {
    const healthy = aggregate([digestReport('a.json', fakeReport({ nodeId: 'tvm-1', hostname: '', checks: [ok('sshd')] }))]);
    expect(healthy.categories).toEqual([]);
    expect(renderHumanSummary(healthy)).not.toContain('By who must act');
  });

  it('shares below 10% keep a decimal', () => {
    const big = aggregate(Array.from({ length: 300 }, (_, i) => digestReport(`n${i}.json`, fakeReport({ nodeId: `n${i}`, hostname: '', checks: i < 2 ? [{ id: 'nvidia.driver', status: 'fail', category: 'node' }] : [ok('sshd')] }))));
    expect(renderHumanSummary(big)).toContain('node: fault of these VMs on 2 of 300 nodes (0.7%)');
  });
});

describe('fleet advice that fits the fleet', () => {
  // Eight of ten nodes report the same "node" fault: that is the image, the size or the pool
  // (a driver the image lacks for this size, say), not eight sick VMs.
  const widespread = Array.from({ length: 10 }, (_, i) => {
    const node = `tvm-${i + 1}`;
    const checks: FakeCheck[] = [ok('os.distro')];
    if (i < 8) checks.push({ id: 'hardware.gpus', status: 'fail', message: 'no GPU on the PCI bus', category: 'node' });
    if (i === 9) checks.push({ id: 'hardware.infiniband', status: 'fail', message: 'port down', category: 'node' });
    return digestReport(`${node}.json`, fakeReport({ nodeId: node, hostname: '', checks }));
  });

  it('a node-level check failing on most nodes points at what they share, not at reimaging them', () => {
    const [node] = aggregate(widespread).categories;
    expect(node!.category).toBe('node');
    expect(node!.action).toBe(
      'hardware.gpus (8 of 10) failed on most nodes: a fault that many VMs share comes from what they have in common, not from the VMs: ' +
        'look at the image, the VM size and the pool before reimaging; reboot, reimage or redeploy only the nodes that fail alone',
    );
    expect(renderHumanSummary(aggregate(widespread))).toContain('hardware.gpus (8 of 10) failed on most nodes');
  });

  it('a fault of a few VMs keeps the per-node advice; one node alone is not "most"', () => {
    expect(aggregate(widespread.slice(7)).categories[0]!.action).toBe(ACTIONS.node.action);
    expect(aggregate(widespread.slice(0, 1)).categories[0]!.action).toBe(ACTIONS.node.action);
  });
});
