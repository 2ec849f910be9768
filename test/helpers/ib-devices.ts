// InfiniBand device nodes for fixture trees: git cannot hold character devices, so tests make them.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { makeCharDevice, tempTree } from './host';

export const HBV3 = 'hosts/ib-hbv3-active';

/** Character devices at these paths under root (as on a live host). Needs root (CAP_MKNOD), as the test suite does. */
export function charDevices(root: string, names: string[]): string {
  // Same major/minor as /dev/null: only the node's kind matters.
  for (const n of names) makeCharDevice(path.join(root, 'dev/infiniband', n), 1, 3);
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
