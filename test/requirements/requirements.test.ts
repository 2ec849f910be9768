import { describe, expect, it } from 'vitest';
import { parseFeatureList, RequirementSet } from '../../src/requirements/requirements';
import { UsageError } from '../../src/errors';

describe('feature flags', () => {
  it('splits commas and repeats', () => {
    expect(parseFeatureList(['gpu,infiniband', ' mpi ', ''], '--require')).toEqual(['gpu', 'infiniband', 'mpi']);
  });

  it.each(['cuda', 'GPU', 'nfs4'])('refuses an unknown feature %s', (f) => {
    expect(() => parseFeatureList([f], '--require')).toThrow(UsageError);
    expect(() => parseFeatureList([f], '--require')).toThrow(/--require: unknown feature/);
  });
});

describe('RequirementSet', () => {
  it('keeps the first source of each feature and lists in the catalogue order', () => {
    const s = new RequirementSet();
    s.add('gpu', '--require');
    s.add('gpu', 'hardware: x');
    s.add('docker', 'default');
    expect(s.list()).toEqual([
      { feature: 'docker', source: 'default' },
      { feature: 'gpu', source: '--require' },
    ]);
  });

  it('--without wins, and the report says what it overrode', () => {
    const s = new RequirementSet();
    s.remove('ssh', '--without');
    s.add('ssh', 'default');
    s.remove('gpu', '--without');
    s.add('gpu', 'pool.yaml pool_specification.vm_size (Standard_NC6: x)');
    s.add('gpu', 'hardware: y');
    s.remove('mpi', '--without');
    expect(s.has('ssh')).toBe(false);
    expect(s.list()).toEqual([]);
    expect(s.excluded()).toEqual([
      { feature: 'ssh', source: '--without (overrides default)' },
      { feature: 'gpu', source: '--without (overrides pool.yaml pool_specification.vm_size (Standard_NC6: x))' },
      { feature: 'mpi', source: '--without' },
    ]);
  });

  it('--without after an add still removes it', () => {
    const s = new RequirementSet();
    s.add('docker', 'default');
    s.remove('docker', '--without');
    expect(s.features()).toEqual(new Set());
    expect(s.excluded()).toEqual([{ feature: 'docker', source: '--without (overrides default)' }]);
  });
});
