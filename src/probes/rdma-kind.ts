// Which RDMA set-up Batch Shipyard's node prep expects, decided as it decides: first from the VM
// size, then overridden by the device nodes present (/dev/infiniband/issm0 means SR-IOV, else
// uverbs0 means Network Direct). SR-IOV nodes must pass node prep's IB steps (issm0, uverbs0,
// a Mellanox PCI device, mlx5_0's P_Keys, ofed_info, ibstatus, ibv_devinfo); Network Direct nodes
// need uverbs0.
import type { Host } from '../host/host';
import type { CheckSettings } from '../types';

export type RdmaKind = 'sr-iov' | 'network-direct' | 'none';

export const ISSM0 = '/dev/infiniband/issm0';
export const UVERBS0 = '/dev/infiniband/uverbs0';

/** Node prep's size patterns (lower-cased names), in its order. */
const SIZE_RULES: readonly { kind: Exclude<RdmaKind, 'none'>; pattern: RegExp }[] = [
  { kind: 'sr-iov', pattern: /^standard_((hb|hc)[0-9]+m?rs?(_v[1-9])?)$/ },
  { kind: 'sr-iov', pattern: /^standard_(nc[0-9]+rs_v3)$/ },
  { kind: 'network-direct', pattern: /^standard_((a8|a9)|((h|nc|nd)[0-9]+m?rs?(_v[1-3])?))$/ },
];

export interface RdmaKindProbe {
  kind: RdmaKind;
  /** What decided, in words. */
  why: string;
  /** The kind the VM size alone gives (null: the size is not known). */
  bySize: RdmaKind | null;
}

export function rdmaKindOfSize(vmSize: string): RdmaKind {
  return SIZE_RULES.find((r) => r.pattern.test(vmSize.toLowerCase()))?.kind ?? 'none';
}

const NAME: Record<RdmaKind, string> = { 'sr-iov': 'SR-IOV', 'network-direct': 'Network Direct', none: 'no RDMA' };
export const rdmaKindName = (k: RdmaKind): string => NAME[k];

/** Throws when /dev/infiniband cannot be read (a check says error then). */
export function rdmaKind(host: Host, vmSize: CheckSettings['vmSize']): Promise<RdmaKindProbe> {
  return host.probe('rdma-kind', async () => {
    const bySize = vmSize ? rdmaKindOfSize(vmSize.name) : null;
    const sizeWhy = vmSize ? `VM size ${vmSize.name} (${vmSize.source}): ${NAME[bySize!]}` : 'VM size unknown';
    // Node prep tests with `[ -e ]`: any kind of file counts for the override.
    if ((await host.fs.statIfExists(ISSM0)) !== null) return { kind: 'sr-iov', bySize, why: `${ISSM0} exists (${sizeWhy})` };
    if ((await host.fs.statIfExists(UVERBS0)) !== null) return { kind: 'network-direct', bySize, why: `${UVERBS0} exists without issm0 (${sizeWhy})` };
    return { kind: bySize ?? 'none', bySize, why: sizeWhy };
  });
}
