// Several outputs in one run: --output FORMAT=FILE repeats, each file complete (atomic), stdout
// still the --format output; the older --format X --output FILE keeps working.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { runCli } from '../helpers/cli';
import { schemaErrors } from '../helpers/schema';
import { planOutputs } from '../../src/cli/outputs';
import { FIXTURES } from '../helpers/host';

const READY = path.join(FIXTURES, 'hosts/ubuntu2204-ready');
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'bp-outputs-'));

describe('--output FORMAT=FILE', () => {
  it('writes every named format in one run, and stdout keeps the --format output', () => {
    const dir = tmp();
    const f = (n: string) => path.join(dir, n);
    const r = runCli(['--root', READY, '--output', `json=${f('r.json')}`, '--output', `junit=${f('r.xml')}`, '--output', `prometheus=${f('bp.prom')}`, '--output', `tap=${f('r.tap')}`, '--output', `human=${f('r.txt')}`]);
    expect(r.stdout).toMatch(/^batch-preflight /);
    expect(readdirSync(dir).sort()).toEqual(['bp.prom', 'r.json', 'r.tap', 'r.txt', 'r.xml']);
    const report = JSON.parse(readFileSync(f('r.json'), 'utf8'));
    expect(schemaErrors(report)).toBe('');
    expect(r.status).toBe(report.summary.ok ? 0 : 1);
    expect(new XMLParser().parse(readFileSync(f('r.xml'), 'utf8')).testsuites).toBeDefined();
    expect(readFileSync(f('bp.prom'), 'utf8')).toMatch(/^# HELP batch_preflight_/m);
    expect(readFileSync(f('r.tap'), 'utf8')).toMatch(/^TAP version 13\n1\.\.\d+/);
    // Files are never coloured, whatever the terminal.
    expect(readFileSync(f('r.txt'), 'utf8')).not.toContain('\x1b[');
    expect(readFileSync(f('r.txt'), 'utf8')).toBe(r.stdout);
  });

  it('keeps the older form: --format X --output FILE writes X there and nothing on stdout', () => {
    const dir = tmp();
    const r = runCli(['--root', READY, '--format', 'json', '--output', path.join(dir, 'out.json'), '--output', `tap=${path.join(dir, 'out.tap')}`]);
    expect(r.status).toBeLessThan(2);
    expect(r.stdout).toBe('');
    expect(schemaErrors(JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8')))).toBe('');
    expect(readFileSync(path.join(dir, 'out.tap'), 'utf8')).toMatch(/^TAP version 13/);
  });

  it.each([
    [['--output', 'xml=out.xml'], /^batch-preflight: --output xml=out\.xml: unknown format xml \(one of human, json, junit, tap, prometheus, markdown, github, azure-pipelines; write \.\/xml=out\.xml for a file of that name\)$/],
    [['--output', 'a.json', '--output', 'b.json'], /--output FILE given 2 times: name each format/],
    [['--output', 'json=same', '--output', 'junit=./same'], /--output \.\/same: the same file is named twice/],
    [['--output', 'json='], /no file after json=/],
    [['--output', 'json=/nonexistent/dir/r.json'], /--output \/nonexistent\/dir\/r\.json: directory \/nonexistent does not exist/],
  ])('refuses %j with one line and exit 2, writing nothing', (args, msg) => {
    const dir = tmp();
    const r = runCli(['--root', READY, ...args], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(msg);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('planOutputs', () => {
  it('splits FORMAT=FILE at the first =, so a file name may hold one', () => {
    expect(planOutputs(['json=a=b.json', './xml=c'], 'human')).toEqual({ files: [{ format: 'json', path: 'a=b.json' }, { format: 'human', path: './xml=c' }], stdout: false });
    expect(planOutputs([], 'tap')).toEqual({ files: [], stdout: true });
  });
});
