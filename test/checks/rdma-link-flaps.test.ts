// rdma.link-flaps against the HBv3 host (mlx5_0 port 1 InfiniBand, mlx5_1 port 1 Ethernet) with a
// link_downed counter added (/sys/class/infiniband/<dev>/ports/<n>/counters/link_downed, the path
// influxdata/telegraf plugins/inputs/infiniband reads). Azure fails a node on IB link flaps
// (Azure/azurehpc-health-checks customTests/azure_ib_link_flapping.nhc).
import { describe, expect, it } from 'vitest';
import { staticSkip } from '../../src/engine/select';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { rdmaLinkFlaps } from '../../checks/rdma-link-flaps';
import { runCheck, tempTree } from '../helpers/host';

const ib = { features: ['infiniband' as const] };
const COUNTER = 'sys/class/infiniband/mlx5_0/ports/1/counters/link_downed';
const hbv3 = (count: string) => tempTree({ [COUNTER]: count }, 'hosts/ib-hbv3-active');

describe('rdma.link-flaps', () => {
  it('passes when the InfiniBand port never went down; the Ethernet port is not counted', async () => {
    const r = await runCheck(rdmaLinkFlaps, hbv3('0\n'), ib);
    expect(r.status).toBe('pass');
    expect(r.message).toBe('1 InfiniBand port(s), none has gone down (link_downed 0)');
    expect(r.evidence?.linkDowned).toEqual(['mlx5_0 port 1: 0']);
  });

  it('warns (node) when the link went down', async () => {
    const r = await runCheck(rdmaLinkFlaps, hbv3('3\n'), ib);
    expect(r.status).toBe('warn');
    expect(r.category).toBe('node');
    expect(r.message).toBe('mlx5_0 port 1: the link went down 3 time(s) (counters/link_downed)');
    expect(r.remediation).toMatch(/az batch node delete --pool-id <pool> --node-list <node>/);
  });

  it('is an error, never a pass, when the counter is missing, cannot be read or holds garbage', async () => {
    const missing = tempTree({}, 'hosts/ib-hbv3-active');
    const r = await runCheck(rdmaLinkFlaps, missing, ib);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^mlx5_0 port 1: link_downed could not be read: .*does not exist/);
    const garbage = await runCheck(rdmaLinkFlaps, hbv3('lots\n'), ib);
    expect(garbage.status).toBe('error');
    expect(garbage.message).toMatch(/does not hold a count$/);
    const loop = tempTree({}, 'hosts/ib-hbv3-active');
    mkdirSync(path.join(loop, path.dirname(COUNTER)), { recursive: true });
    symlinkSync('link_downed', path.join(loop, COUNTER));
    expect((await runCheck(rdmaLinkFlaps, loop, ib)).status).toBe('error');
  });

  it('is an error when there is no InfiniBand port (absent), only Ethernet', async () => {
    const root = tempTree({}, 'hosts/ib-hbv3-active');
    rmSync(path.join(root, 'sys/class/infiniband/mlx5_0'), { recursive: true });
    const r = await runCheck(rdmaLinkFlaps, root, ib);
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^no InfiniBand port under \/sys\/class\/infiniband/);
  });

  it('is a node check on the node itself: skipped in image mode (a build VM need not have the pool\'s hardware), offline and in containers', () => {
    expect(rdmaLinkFlaps).toMatchObject({ area: 'rdma', category: 'node', features: ['infiniband'], live: true, dependsOn: ['rdma.devices'] });
    const features = new Set(rdmaLinkFlaps.features);
    expect(staticSkip(rdmaLinkFlaps, { features, mode: 'image' })?.kind).toBe('image-mode');
    expect(staticSkip(rdmaLinkFlaps, { features, mode: 'offline' })?.kind).toBe('needs-host');
    expect(staticSkip(rdmaLinkFlaps, { features, mode: 'start-task' })).toBeNull();
  });
});
