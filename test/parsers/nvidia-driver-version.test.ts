// The first line of /proc/driver/nvidia/version is "NVRM version: <module type>  <version>  <build>"
// (undocumented; the lines below are the proprietary and the open kernel module's, as real hosts print
// them); /sys/module/nvidia/version holds the version alone. Package versions: NVIDIA's CUDA
// repository (550.54.15-1), Ubuntu's archive (550.54.15-0ubuntu0.22.04.1), EL (550.54.15-1.el9).
import { describe, expect, it } from 'vitest';
import { parseModuleVersion, parseNvrmVersion, upstreamDriverVersion } from '../../src/parsers/nvidia-driver-version';
import { ParseError } from '../../src/parsers/parse-error';
import { nvswitchSeries } from '../../src/data/nvswitch-sizes';

describe('parseNvrmVersion', () => {
  it.each([
    ['NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 22:23:56 UTC 2024\nGCC version:  gcc version 12.3.0\n', '550.54.15'],
    ['NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  535.183.01  Release Build  (dvs-builder@U16-I3-B03-4-3)  Sun May 12 19:39:15 UTC 2024\n', '535.183.01'],
    ['NVRM version: NVIDIA UNIX Open Kernel Module for aarch64  570.86.15  Release Build  (dvs-builder@x)  Thu Jan 30 2025\n', '570.86.15'],
  ])('reads the version of %j', (text, version) => {
    expect(parseNvrmVersion(text)).toBe(version);
  });

  it.each(['', 'garbage\n', 'NVRM version: NVIDIA UNIX x86_64 Kernel Module 550.54.15 one space only\n', 'NVRM version: x  not-a-version  y\n'])('throws ParseError on %j', (text) => {
    expect(() => parseNvrmVersion(text)).toThrow(ParseError);
  });
});

describe('parseModuleVersion', () => {
  it('reads the bare version', () => expect(parseModuleVersion('550.54.15\n')).toBe('550.54.15'));
  it('throws on garbage', () => expect(() => parseModuleVersion('\u0000\u0001')).toThrow(ParseError));
});

describe('upstreamDriverVersion', () => {
  it.each([
    ['550.54.15-1', '550.54.15'],
    ['550.54.15-0ubuntu0.22.04.1', '550.54.15'],
    ['1:550.54.15-1', '550.54.15'],
    ['550.54.15-1.el9', '550.54.15'],
    ['580.65.06', '580.65.06'],
    ['550.54.150-1', '550.54.150'],
    ['latest', null],
  ])('%s -> %s', (v, want) => expect(upstreamDriverVersion(v)).toBe(want));

  it('does not take 550.54.1 for a prefix of 550.54.15', () => expect(upstreamDriverVersion('550.54.15-1')).not.toBe('550.54.1'));
});

// Azure/azhpc-images tests/test-definitions.sh sku_has_nvswitch: "standard_nd96.*v4|standard_nd96is.*_h[12]00_v5".
describe('nvswitchSeries', () => {
  it.each([
    ['Standard_ND96asr_v4', 'ND A100 v4'],
    ['Standard_ND96amsr_A100_v4', 'NDm A100 v4'],
    ['Standard_ND96isr_H100_v5', 'ND H100 v5'],
    ['STANDARD_ND96ISR_H200_V5', 'ND H200 v5'],
  ])('%s is %s', (size, series) => expect(nvswitchSeries(size)?.series).toBe(series));

  it.each(['Standard_NC96ads_A100_v4', 'Standard_ND96isr_MI300X_v5', 'Standard_ND40rs_v2', 'Standard_NC80adis_H100_v5', 'Standard_ND96isr_H100_v5_extra', 'xStandard_ND96asr_v4'])(
    '%s has no NVSwitch',
    (size) => expect(nvswitchSeries(size)).toBeUndefined(),
  );
});
