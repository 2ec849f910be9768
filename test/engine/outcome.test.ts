import { describe, expect, it } from 'vitest';
import { outcomeOf, sanitize } from '../../src/engine/outcome';
import { combine, error, fail, finding, pass } from '../../src/check-helpers';

const check = { id: 'x.y', title: 'X', area: 'os' };

describe('outcomeOf', () => {
  it('takes the worst finding: a definite fail outranks an error, which outranks a warning', () => {
    const o = outcomeOf(check, { findings: [finding.warn('w', 'fix w'), finding.error('e'), finding.fail('f', 'fix f'), finding.pass('p')] }, 5);
    expect(o.status).toBe('fail');
    expect(o.findings!.map((f) => f.status)).toEqual(['fail', 'error', 'warn', 'pass']);
    expect(o.message).toBe('f; e; w');
    expect(o.remediation).toBe('fix f\nfix w');
    expect(o.durationMs).toBe(5);
  });

  it('a passing check shows its pass messages and carries no category', () => {
    const o = outcomeOf(check, combine([], { a: 1 }, 'all good'), 0);
    expect(o).toMatchObject({ status: 'pass', message: 'all good', evidence: { a: 1 } });
    expect(o.category).toBeUndefined();
    expect(o.retryable).toBeUndefined();
  });

  it('fills in category and retryability from the check, and a finding may override them', () => {
    expect(outcomeOf(check, fail('f', 'x'), 0)).toMatchObject({ category: 'image', retryable: false });
    expect(outcomeOf(check, error('e'), 0)).toMatchObject({ category: 'transient', retryable: false });
    const readiness = { ...check, category: 'node' as const, readiness: true };
    expect(outcomeOf(readiness, fail('f', 'x'), 0)).toMatchObject({ category: 'node', retryable: true });
    expect(outcomeOf(readiness, fail('gone', 'x', undefined, { retryable: false, category: 'config' }), 0)).toMatchObject({ category: 'config', retryable: false });
  });

  it('is retryable only when every blocking finding is', () => {
    const readiness = { ...check, readiness: true };
    const mixed = { findings: [finding.fail('port INIT', 'wait'), finding.fail('no device', 'redeploy', { retryable: false })] };
    expect(outcomeOf(readiness, mixed, 0).retryable).toBe(false);
  });
});

describe('sanitize', () => {
  it('turns anything outside the contract into one error and drops unknown fields', () => {
    for (const bad of [null, {}, { findings: [] }, { findings: [{ status: 'skip', message: 'x' }] }, { status: 'pass', message: 'old shape' }]) {
      const r = sanitize(bad);
      expect(r.findings).toHaveLength(1);
      expect(r.findings[0]!.status).toBe('error');
      expect(r.findings[0]!.message).toMatch(/^the check returned an invalid result/);
    }
    const r = sanitize({ findings: [{ status: 'warn', message: 'm', remediation: 'r', category: 'weird', retryable: 'yes', extra: 1 }], evidence: 3 });
    expect(r).toEqual({ findings: [{ status: 'warn', message: 'm', remediation: 'r' }] });
  });

  it('keeps pass results as they are', () => {
    expect(sanitize(pass('ok', { k: 'v' }))).toEqual(pass('ok', { k: 'v' }));
  });
});

describe('sanitize: findings outside the contract', () => {
  it('a finding without a message, or a null finding, makes the result an error, never a pass', () => {
    for (const bad of [{ findings: [{ status: 'pass' }] }, { findings: [{ status: 'pass', message: 42 }] }, { findings: [null] }, { findings: [{ status: 'pass', message: 'ok' }, null] }]) {
      const r = sanitize(bad);
      expect(r.findings.map((f) => f.status)).toEqual(['error']);
      expect(r.findings[0]!.message).toMatch(/^the check returned an invalid result/);
    }
  });

  it('one malformed finding among valid passes makes the whole result an error', () => {
    const r = sanitize({ findings: [{ status: 'pass', message: 'port open' }, { status: 'failed', message: 'port dropped' }] });
    expect(r.findings.map((f) => f.status)).toEqual(['error']);
  });

  it('a check that returned nothing is an error naming what came back, and a huge result is cut short', () => {
    const r = sanitize(undefined);
    expect(r.findings).toEqual([{ status: 'error', message: 'the check returned an invalid result: undefined' }]);
    const big = sanitize({ findings: [], junk: 'x'.repeat(5000) });
    expect(big.findings[0]!.status).toBe('error');
    expect(big.findings[0]!.message.length).toBeLessThanOrEqual('the check returned an invalid result: '.length + 200);
  });

  it('keeps a remediation only when it is a non-empty string', () => {
    const r = sanitize({ findings: [{ status: 'fail', message: 'a', remediation: 42 }, { status: 'fail', message: 'b', remediation: '' }, { status: 'fail', message: 'c' }] });
    expect(r).toStrictEqual({ findings: [{ status: 'fail', message: 'a' }, { status: 'fail', message: 'b' }, { status: 'fail', message: 'c' }] });
  });
});

describe('outcomeOf: fields present only when they mean something', () => {
  it('a pass finding gets no category or retryability, even from a readiness check', () => {
    const o = outcomeOf({ ...check, category: 'node' as const, readiness: true }, { findings: [finding.pass('ok')] }, 0);
    expect(o.findings).toStrictEqual([{ status: 'pass', message: 'ok' }]);
  });

  it('no remediation and no evidence keys when there are none', () => {
    const o = outcomeOf(check, { findings: [{ status: 'fail', message: 'f' }] }, 0);
    expect(o).not.toHaveProperty('remediation');
    expect(o).not.toHaveProperty('evidence');
  });

  it('retryability is decided by the worst findings only: a non-retryable warning does not stop a retryable fail', () => {
    const readiness = { ...check, readiness: true };
    const o = outcomeOf(readiness, { findings: [finding.fail('port INIT', 'wait'), finding.warn('slow link', 'check cable')] }, 0);
    expect(o.findings!.map((f) => [f.status, f.retryable])).toEqual([['fail', true], ['warn', false]]);
    expect(o.retryable).toBe(true);
  });
});
