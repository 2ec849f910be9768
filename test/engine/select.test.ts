// Which checks the engine runs for a target and a VM size, and the reason it gives for the others.
import { describe, expect, it } from 'vitest';
import { staticSkip, unknownIds, type Selection } from '../../src/engine/select';
import type { Check } from '../../src/types';

const check = (over: Partial<Check>): Check => ({
  id: 'x',
  title: 'x',
  area: 'x',
  features: [],
  dependsOn: [],
  live: false,
  description: '',
  fix: '',
  run: async () => ({ findings: [{ status: 'pass', message: '' }] }),
  ...over,
});
const sel = (over: Partial<Selection>): Selection => ({ features: new Set(), mode: 'start-task', ...over });

describe('targets', () => {
  it('a check without targets applies to every target', () => {
    expect(staticSkip(check({}), sel({ target: 'batch' }))?.reason ?? null).toBeNull();
    expect(staticSkip(check({}), sel({ target: 'shipyard' }))?.reason ?? null).toBeNull();
  });

  it("a Shipyard check is skipped for plain Batch pools, with the reason", () => {
    const c = check({ targets: ['shipyard'] });
    expect(staticSkip(c, sel({ target: 'shipyard' }))?.reason ?? null).toBeNull();
    expect(staticSkip(c, sel({ target: 'batch' }))?.reason ?? null).toBe("applies only to Batch Shipyard pools (--target shipyard); this run's target is batch");
  });
});

describe('needsVmSize', () => {
  const c = check({ needsVmSize: true, live: true });

  it('runs on a node in start-task mode when the size is known', () => {
    expect(staticSkip(c, sel({ vmSizeSource: 'instance metadata compute.vmSize' }))?.reason ?? null).toBeNull();
  });

  it('is skipped when the size is not known, naming the ways to give it', () => {
    expect(staticSkip(c, sel({}))?.reason ?? null).toBe('the VM size is not known: give --vm-size, --batch-pool or --pool, or --imds in start-task mode');
  });

  it('is skipped in image mode: the build VM need not be of the pool size', () => {
    expect(staticSkip(c, sel({ mode: 'image', vmSizeSource: '--vm-size' }))?.reason ?? null).toBe(
      "image mode: this machine builds the image and need not be of the pool's size (from --vm-size); the comparison runs in start-task mode",
    );
  });

  it('offline, the live reason', () => {
    expect(staticSkip(c, sel({ mode: 'offline', vmSizeSource: '--vm-size' }))?.reason ?? null).toBe('offline root: this check needs the running host');
  });
});

describe("a check that looks at the pool's devices (rdma.devices, hardware.pcie-link)", () => {
  const c = check({ live: true, needsPoolHardware: true });

  it('is skipped in image mode, with or without a VM size: the build VM need not have the devices', () => {
    for (const vmSizeSource of [undefined, '--vm-size']) {
      expect(staticSkip(c, sel({ mode: 'image', vmSizeSource }))).toEqual({
        kind: 'image-mode',
        reason: "image mode: this machine builds the image and need not have the pool's GPUs or InfiniBand devices; they are checked in start-task mode",
      });
    }
  });

  it('runs in start-task mode', () => {
    expect(staticSkip(c, sel({}))).toBeNull();
  });
});

// Cases that mutation testing (npm run mutate) showed no test told apart.
describe('what applies where', () => {
  it('in a container or offline, only live checks are skipped; the static ones still run', () => {
    for (const mode of ['container', 'offline'] as const) {
      expect(staticSkip(check({ live: false }), sel({ mode }))?.reason ?? null).toBeNull();
      expect(staticSkip(check({ live: true }), sel({ mode }))?.reason ?? null).toMatch(mode === 'container' ? /^container mode/ : /^offline root/);
    }
    for (const mode of ['image', 'start-task'] as const) expect(staticSkip(check({ live: true }), sel({ mode }))?.reason ?? null).toBeNull();
  });

  it('a check for several features applies when any one of them is required', () => {
    const c = check({ features: ['nfs', 'glusterfs'] });
    expect(staticSkip(c, sel({ features: new Set(['glusterfs']) }))?.reason ?? null).toBeNull();
    expect(staticSkip(c, sel({}))?.reason ?? null).toBe('applies only when nfs or glusterfs are required, and this host does not require them');
    expect(staticSkip(check({ features: ['nfs'] }), sel({}))?.reason ?? null).toBe('applies only when nfs is required, and this host does not require it');
  });

  it('an empty --only selects everything; --skip wins over --only', () => {
    expect(staticSkip(check({ id: 'a.b' }), sel({ only: [] }))?.reason ?? null).toBeNull();
    expect(staticSkip(check({ id: 'a.b' }), sel({ only: ['a.b'], skip: ['a.b'] }))?.reason ?? null).toBe('skipped by --skip');
  });
});

describe('unknown ids in --only/--skip', () => {
  const known = [check({ id: 'os.kernel' }), check({ id: 'net.dns' })];
  it('names the ids that are not checks, and only those', () => {
    expect(unknownIds(['net.dns', 'net.dsn', 'os.kernel', 'os.kernal'], known)).toEqual(['net.dsn', 'os.kernal']);
  });
  it('nothing given, nothing unknown', () => {
    expect(unknownIds(undefined, known)).toEqual([]);
    expect(unknownIds([], known)).toEqual([]);
  });
});

describe('skip kinds', () => {
  it('each static skip carries the kind the renderings count and filter by', () => {
    const kinds = [
      staticSkip(check({ id: 'a' }), sel({ only: ['b'] }))?.kind,
      staticSkip(check({ id: 'a' }), sel({ skip: ['a'] }))?.kind,
      staticSkip(check({ features: ['gpu'] }), sel({}))?.kind,
      staticSkip(check({ modes: ['start-task'] }), sel({ mode: 'image' }))?.kind,
      staticSkip(check({ targets: ['shipyard'] }), sel({ target: 'batch' }))?.kind,
      staticSkip(check({ needsVmSize: true }), sel({}))?.kind,
      staticSkip(check({ needsVmSize: true }), sel({ mode: 'image', vmSizeSource: '--vm-size' }))?.kind,
      staticSkip(check({ live: true }), sel({ mode: 'offline' }))?.kind,
      staticSkip(check({ live: true }), sel({ mode: 'container' }))?.kind,
    ];
    expect(kinds).toEqual(['not-selected', 'skip-flag', 'not-required', 'mode', 'target', 'vm-size-unknown', 'image-mode', 'needs-host', 'needs-host']);
  });
});
