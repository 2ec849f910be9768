// InfiniBand device nodes for fixture trees: git cannot hold character devices, so tests make them.
import { mkdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { tempTree } from './host';

export const HBV3 = 'hosts/ib-hbv3-active';

/** Character devices at these paths under root (as on a live host). Needs root (CAP_MKNOD), as the test suite does. */
export function charDevices(root: string, names: string[]): string {
  for (const n of names) {
    const p = path.join(root, 'dev/infiniband', n);
    rmSync(p, { force: true });
    mkdirSync(path.dirname(p), { recursive: true });
    // Same major/minor as /dev/null: only the node's kind matters.
    const r = spawnSync('mknod', [p, 'c', '1', '3'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mknod ${p} failed (the tests need root): ${r.stderr}`);
  }
  return root;
}

/** The HBv3 fixture with only `nodes` in /dev/infiniband, as character devices (no rdma_cm), after `change`. */
export function hbv3(change: (root: string) => void = () => {}, nodes = ['issm0', 'uverbs0', 'uverbs1', 'umad0']): string {
  const root = tempTree({}, HBV3);
  rmSync(path.join(root, 'dev/infiniband'), { recursive: true });
  charDevices(root, nodes);
  change(root);
  return root;
}
