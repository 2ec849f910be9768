import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { holds } from '../helpers/property';
import { nvidiaSmiFailure, parseNvidiaSmiGpus, sysfsBusId } from '../../src/parsers/nvidia-smi';
import { ParseError } from '../../src/parsers/parse-error';
import { FIXTURES } from '../helpers/host';

const recorded = (f: string) => readFileSync(path.join(FIXTURES, 'outputs/nvidia-smi', f), 'utf8');

describe('parseNvidiaSmiGpus', () => {
  it('reads every GPU of the query output', () => {
    const gpus = parseNvidiaSmiGpus(recorded('query-gpu-h100x8.csv'));
    expect(gpus).toHaveLength(8);
    expect(gpus[0]).toEqual({ index: 0, name: 'NVIDIA H100 80GB HBM3', busId: '00000000:18:00.0', driverVersion: '550.54.15', persistence: 'Enabled' });
    expect(gpus[7]!.busId).toBe('00000000:DB:00.0');
  });

  it('reads Disabled, [N/A] and [Not Supported]', () => {
    const gpus = parseNvidiaSmiGpus('0, Tesla T4, 00000001:00:00.0, [N/A], Disabled\n1, Tesla T4, 00000002:00:00.0, 535.161.08, [Not Supported]\n');
    expect(gpus.map((g) => [g.driverVersion, g.persistence])).toEqual([
      [null, 'Disabled'],
      ['535.161.08', 'unknown'],
    ]);
  });

  it('keeps commas that belong to the name', () => {
    expect(parseNvidiaSmiGpus('0, GRID A100, 40C, 00000000:00:1E.0, 535.1, Enabled')[0]!.name).toBe('GRID A100, 40C');
  });

  it('returns nothing for empty output', () => {
    expect(parseNvidiaSmiGpus('\n')).toEqual([]);
  });

  it.each([
    ["NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."],
    ['0, NVIDIA H100, 18:00, 550.54.15, Enabled'],
    ['x, NVIDIA H100, 00000000:18:00.0, 550.54.15, Enabled'],
    ['0, NVIDIA H100, 00000000:18:00.0, 550.54.15, Maybe'],
    ['0, NVIDIA H100, 00000000:18:00.0, latest, Enabled'],
    ['0, , 00000000:18:00.0, 550.54.15, Enabled'],
    ['\u0000\u0001garbage'],
  ])('rejects %j with a ParseError', (text) => {
    expect(() => parseNvidiaSmiGpus(text)).toThrow(ParseError);
  });

  it('throws nothing but ParseError on any input', () => {
    holds(
      fc.property(fc.oneof(fc.string(), fc.array(fc.constantFrom('0', ', ', 'H100', '00000000:18:00.0', '[N/A]', 'Enabled', '550.1', '\n', ',')).map((a) => a.join(''))), (text) => {
        try {
          parseNvidiaSmiGpus(text);
        } catch (err) {
          expect(err).toBeInstanceOf(ParseError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips generated rows', () => {
    const row = fc.record({
      index: fc.nat(63),
      name: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 -]{0,20}[A-Za-z0-9]$/),
      bus: fc.tuple(fc.nat(0xffff), fc.nat(0xff), fc.nat(0x1f), fc.nat(7)),
      persistence: fc.constantFrom('Enabled', 'Disabled'),
    });
    holds(
      fc.property(fc.array(row, { maxLength: 8 }), (rows) => {
        const hex = (n: number, w: number) => n.toString(16).toUpperCase().padStart(w, '0');
        const text = rows.map((r) => `${r.index}, ${r.name}, ${hex(r.bus[0], 8)}:${hex(r.bus[1], 2)}:${hex(r.bus[2], 2)}.${r.bus[3]}, 550.54.15, ${r.persistence}`).join('\n');
        const gpus = parseNvidiaSmiGpus(text);
        expect(gpus.map((g) => [g.index, g.name, g.persistence])).toEqual(rows.map((r) => [r.index, r.name, r.persistence]));
      }),
      { numRuns: 500 },
    );
  });
});

describe('sysfsBusId', () => {
  it('turns the 8-digit upper-case domain into sysfs form', () => {
    expect(sysfsBusId('00000000:DB:00.0')).toBe('0000:db:00.0');
    expect(sysfsBusId('0001:18:00.0')).toBe('0001:18:00.0');
  });
});

describe('nvidiaSmiFailure', () => {
  it('recognises the driver and no-device messages', () => {
    expect(nvidiaSmiFailure("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.")).toBe('driver-unreachable');
    expect(nvidiaSmiFailure('No devices were found')).toBe('no-devices');
    expect(nvidiaSmiFailure('Segmentation fault')).toBeNull();
  });
});
