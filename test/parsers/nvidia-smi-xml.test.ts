// The `nvidia-smi -q -x` parser against logs with the structure of real ones (fixtures/outputs/nvidia-smi/README.md
// says where each layout comes from): the v12 layout of drivers 535 and later, and the older v9 layout.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseNvidiaSmiXml } from '../../src/parsers/nvidia-smi-xml';
import { ParseError } from '../../src/parsers/parse-error';
import { FIXTURES } from '../helpers/host';

const h100 = readFileSync(path.join(FIXTURES, 'hosts/gpu-h100x8-ok/usr/share/nvidia-smi-stub/q-x.xml'), 'utf8');
const v100 = readFileSync(path.join(FIXTURES, 'outputs/nvidia-smi/q-x-v100-dbe.xml'), 'utf8');

/** The H100 log with the first GPU's element `tag` holding `value`. */
const firstGpu = (tag: string, value: string) => h100.replace(new RegExp(`<${tag}>[^<]*</${tag}>`), `<${tag}>${value}</${tag}>`);

describe('parseNvidiaSmiXml', () => {
  it('reads every GPU of a healthy 8 x H100 log (v12 layout, clocks_event_reasons)', () => {
    const log = parseNvidiaSmiXml(h100);
    expect(log.driverVersion).toBe('550.54.15');
    expect(log.gpus).toHaveLength(8);
    expect(log.gpus[0]).toEqual({
      busId: '00000000:18:00.0',
      name: 'NVIDIA H100 80GB HBM3',
      persistence: 'Enabled',
      volatileUncorrectable: 0,
      // N/A on Ampere and later: the row remapper replaced page retirement.
      retirementPending: null,
      remapPending: false,
      remapFailure: false,
      activeClockReasons: ['gpu_idle'],
    });
    expect(log.gpus[7]!.busId).toBe('00000000:DB:00.0');
  });

  it('reads the pre-Ampere layout: double_bit totals, clocks_throttle_reasons, pending_retirement, no remapped_rows', () => {
    const [g] = parseNvidiaSmiXml(v100).gpus;
    expect(g).toMatchObject({ name: 'Tesla V100-SXM2-32GB', persistence: 'Disabled', volatileUncorrectable: 2, retirementPending: true, remapPending: null, remapFailure: null, activeClockReasons: ['gpu_idle'] });
  });

  it('sums DRAM and SRAM uncorrectable counters, in the 555 split layout too', () => {
    expect(parseNvidiaSmiXml(firstGpu('dram_uncorrectable', '3')).gpus[0]!.volatileUncorrectable).toBe(3);
    const split = h100.replace('<sram_uncorrectable>0</sram_uncorrectable>', '<sram_uncorrectable_parity>1</sram_uncorrectable_parity><sram_uncorrectable_secded>4</sram_uncorrectable_secded>');
    expect(parseNvidiaSmiXml(split).gpus[0]!.volatileUncorrectable).toBe(5);
    // The aggregate counters (since the GPU was made) are not the volatile ones.
    const aggregate = h100.replace(/(<aggregate>\s*<sram_correctable>0<\/sram_correctable>\s*)<sram_uncorrectable>0/, '$1<sram_uncorrectable>9');
    expect(parseNvidiaSmiXml(aggregate).gpus[0]!.volatileUncorrectable).toBe(0);
  });

  it('says null, not 0, when ECC is off or the counters are N/A', () => {
    const off = h100.replace(/<volatile>[\s\S]*?<\/volatile>/, '<volatile><sram_correctable>N/A</sram_correctable><sram_uncorrectable>N/A</sram_uncorrectable><dram_correctable>N/A</dram_correctable><dram_uncorrectable>N/A</dram_uncorrectable></volatile>');
    expect(parseNvidiaSmiXml(off).gpus[0]!.volatileUncorrectable).toBeNull();
  });

  it('reads remap pending and failure, and active hardware slowdowns', () => {
    const log = parseNvidiaSmiXml(firstGpu('remapped_row_pending', 'Yes').replace('<remapped_row_failure>No', '<remapped_row_failure>Yes').replace('<clocks_event_reason_hw_thermal_slowdown>Not Active', '<clocks_event_reason_hw_thermal_slowdown>Active'));
    expect(log.gpus[0]).toMatchObject({ remapPending: true, remapFailure: true, activeClockReasons: ['gpu_idle', 'hw_thermal_slowdown'] });
  });

  it('rejects input that is not a complete log', () => {
    const cases: [string, RegExp][] = [
      ['all good!', /not well-formed XML|document element/],
      ['<nvidia_smi_log><gpu id="0"></nvidia_smi_log>', /not well-formed XML/],
      ['<other/>', /not <nvidia_smi_log>/],
      // Cut short after the first GPU: attached_gpus says 8.
      [h100.slice(0, h100.indexOf('</gpu>') + 6) + '\n</nvidia_smi_log>\n', /attached_gpus says 8 but 1/],
      [firstGpu('dram_uncorrectable', 'lots'), /gpu\[0\]\/ecc_errors\/volatile\/dram_uncorrectable is not a count/],
      [firstGpu('remapped_row_pending', 'Maybe'), /remapped_row_pending is not Yes or No/],
      [firstGpu('clocks_event_reason_hw_slowdown', 'Sometimes'), /is not Active or Not Active/],
      [firstGpu('persistence_mode', 'On'), /persistence_mode is not Enabled or Disabled/],
      [firstGpu('product_name', ''), /gpu\[0\] has no product_name/],
    ];
    for (const [text, message] of cases) expect(() => parseNvidiaSmiXml(text), text.slice(0, 60)).toThrow(message);
    expect(() => parseNvidiaSmiXml('<other/>')).toThrow(ParseError);
  });

  it('reads a log without GPUs as none, and expands no entity', () => {
    expect(parseNvidiaSmiXml('<?xml version="1.0" ?>\n<nvidia_smi_log><attached_gpus>0</attached_gpus></nvidia_smi_log>').gpus).toEqual([]);
    const entity = '<?xml version="1.0"?><!DOCTYPE nvidia_smi_log [<!ENTITY x "Yes">]><nvidia_smi_log><attached_gpus>1</attached_gpus><gpu id="0000:01:00.0"><product_name>T4</product_name><remapped_rows><remapped_row_pending>&x;</remapped_row_pending></remapped_rows></gpu></nvidia_smi_log>';
    expect(() => parseNvidiaSmiXml(entity)).toThrow(/remapped_row_pending is not Yes or No/);
  });
});
