// The sysfs attributes the hardware checks read: InfiniBand port rate and physical state, PCIe
// link speed and width, in the forms the kernel writes them; anything else is a ParseError.
import { describe, expect, it } from 'vitest';
import { parseIbPortRate } from '../../src/parsers/ib-port-rate';
import { parseIbPhysState } from '../../src/parsers/ib-port-state';
import { parseLinkSpeed, parseLinkWidth } from '../../src/parsers/pcie-link';
import { parseDisabledPlugins } from '../../src/parsers/containerd-config';
import { ParseError } from '../../src/parsers/parse-error';

describe('InfiniBand port attributes', () => {
  it.each([
    ['400 Gb/sec (4X NDR)\n', 400, '4X NDR'],
    ['200 Gb/sec (4X HDR)', 200, '4X HDR'],
    ['100 Gb/sec (2X HDR)', 100, '2X HDR'],
    ['2.5 Gb/sec (1X SDR)', 2.5, '1X SDR'],
    ['56 Gb/sec (4X FDR)', 56, '4X FDR'],
    ['10 Gb/sec', 10, null],
  ])('rate %j', (text, gbps, lanes) => expect(parseIbPortRate(text)).toEqual({ gbps, lanes }));

  it.each(['', 'fast', '400 Gbps', '400 Gb/sec (4X NDR', 'Gb/sec'])('rate %j is not a rate', (text) => expect(() => parseIbPortRate(text)).toThrow(ParseError));

  it.each([
    ['5: LinkUp\n', 5, 'LinkUp'],
    ['2: Polling', 2, 'Polling'],
    ['3: Disabled', 3, 'Disabled'],
    ['7: Phy Test', 7, 'Phy Test'],
  ])('phys_state %j', (text, code, name) => expect(parseIbPhysState(text)).toEqual({ code, name }));

  it.each(['LinkUp', '5:', '5: 6', ''])('phys_state %j is not one', (text) => expect(() => parseIbPhysState(text)).toThrow(ParseError));
});

describe('PCIe link attributes', () => {
  it.each([
    ['32.0 GT/s PCIe\n', 32],
    ['16.0 GT/s PCIe', 16],
    ['2.5 GT/s PCIe', 2.5],
    ['8 GT/s', 8],
    ['Unknown', null],
    ['Unknown speed', null],
  ])('speed %j', (text, gts) => expect(parseLinkSpeed(text)).toBe(gts));

  it.each(['', 'fast', '16 GB/s', '16.0GT/s'])('speed %j is not one', (text) => expect(() => parseLinkSpeed(text)).toThrow(ParseError));

  it.each([
    ['16\n', 16],
    ['8', 8],
    ['0', null],
  ])('width %j', (text, lanes) => expect(parseLinkWidth(text)).toBe(lanes));

  it.each(['', 'x16', '-1', '160'])('width %j is not one', (text) => expect(() => parseLinkWidth(text)).toThrow(ParseError));
});

describe('containerd disabled_plugins', () => {
  it.each([
    ['', []],
    ['version = 2\n', []],
    ['disabled_plugins = ["cri"]\n', ['cri']],
    ["disabled_plugins = ['io.containerd.grpc.v1.cri', \"aufs\"] # comment\n", ['io.containerd.grpc.v1.cri', 'aufs']],
    ['disabled_plugins = [\n  "cri",\n  "btrfs", # old\n]\n', ['cri', 'btrfs']],
    ['disabled_plugins = []\n', []],
    ['[plugins]\ndisabled_plugins = ["cri"]\n', []],
  ])('%j', (text, want) => expect(parseDisabledPlugins(text)).toEqual(want));

  it.each(['disabled_plugins = [cri]', 'disabled_plugins = "cri"', 'disabled_plugins = [["cri"]]'])('%j is an error', (text) => expect(() => parseDisabledPlugins(text)).toThrow(ParseError));
});
