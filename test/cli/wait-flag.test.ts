// --wait through executeRun: a bad value is a usage error, an offline root ignores it with a note,
// and each retry of a readiness check sees a fresh view of the host (no facts cached by the run).
import { describe, expect, it } from 'vitest';
import { executeRun, type RunArgs } from '../../src/cli/run';
import type { Check } from '../../src/types';
import type { Host } from '../../src/host/host';
import { UsageError } from '../../src/errors';
import { FIXTURES } from '../helpers/host';

const ARGS: RunArgs = {
  root: '/', require: [], without: [], only: [], skip: [], format: 'json', timeout: 5, deadline: 10, concurrency: 2,
  strict: false, logLevel: 'silent', color: false, mode: 'image', detect: false, imds: false, allowRemoteImdsUrl: false, inventory: false,
};
const signal = new AbortController().signal;

describe('--wait', () => {
  it('refuses a negative or non-numeric value', async () => {
    await expect(executeRun({ ...ARGS, wait: -1 }, [], {}, signal)).rejects.toThrow(UsageError);
    await expect(executeRun({ ...ARGS, wait: Number.NaN }, [], {}, signal)).rejects.toThrow(/--wait must be a number of seconds from 0 up to 86400/);
  });

  it('is ignored, with a note, where nothing is starting up (an offline root)', async () => {
    const res = await executeRun({ ...ARGS, mode: 'auto', root: `${FIXTURES}/hosts/ubuntu2204-ready`, wait: 5 }, [], {}, signal);
    expect(res.report.notes).toContain('--wait ignored: in offline mode nothing is starting up to wait for');
  });

  it('gives every retry a fresh view of the host, so a cached fact cannot hide the change', async () => {
    const hosts: Host[] = [];
    const daemon: Check = {
      id: 'stub.daemon', title: 'stub', area: 'test', features: [], dependsOn: [], live: false, readiness: true, description: '', fix: '',
      run: async ({ host }) => {
        hosts.push(host);
        // A fact gathered once per host view: the first view says "down" for good.
        const up = await host.probe('stub-daemon-state', async () => hosts.length > 1);
        return { findings: [up ? { status: 'pass', message: 'up' } : { status: 'fail', message: 'down', remediation: 'start it' }] };
      },
    };
    const res = await executeRun({ ...ARGS, wait: 5 }, [daemon], {}, signal);
    expect(res.report.checks[0]).toMatchObject({ status: 'pass', attempts: 2 });
    expect(hosts[1]).not.toBe(hosts[0]);
  });
});
