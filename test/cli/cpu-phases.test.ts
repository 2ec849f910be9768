// `npm run bench` reads the CPU a run spent in each phase from the debug log: one line per run,
// with start-up (Node and the bundle), requirements, checks and report, which add up to the
// process's own CPU time.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { FIXTURES } from '../helpers/host';

describe('CPU by phase in the debug log', () => {
  it('logs one line with the four phases, each a CPU time in ms', () => {
    const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'bp-cpu-')), 'run.log');
    const r = runCli(['--root', path.join(FIXTURES, 'hosts/ubuntu2204-ready'), '--format', 'json', '--log-level', 'debug', '--log-file', log]);
    expect(r.status).toBe(1);
    const lines = readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('"cpu by phase"'));
    expect(lines).toHaveLength(1);
    const { cpuMs, level } = JSON.parse(lines[0]!) as { cpuMs: Record<string, number>; level: number };
    expect(level).toBe(20); // pino's debug: not shown at the default level
    expect(Object.keys(cpuMs)).toEqual(['startup', 'requirements', 'checks', 'report']);
    for (const v of Object.values(cpuMs)) expect(v).toBeGreaterThanOrEqual(0);
    // Starting Node and loading the bundle alone takes more than 10 ms of CPU on any machine.
    expect(cpuMs.startup).toBeGreaterThan(10);
    expect(cpuMs.checks).toBeGreaterThan(0);
  });
});
