import type { Check } from '../src/types';
import { error, pass, warn } from '../src/check-helpers';
import { isNvidiaGpu, pciDevices, type PciDevice } from '../src/probes/pci';
import { parseLinkSpeed, parseLinkWidth } from '../src/parsers/pcie-link';
import { ParseError } from '../src/parsers/parse-error';

interface Link {
  address: string;
  width: number;
  maxWidth: number;
  /** null when the kernel writes Unknown. */
  speed: number | null;
  maxSpeed: number | null;
}

/** The GPU's link, or null when sysfs gives no width to compare. */
function linkOf(d: PciDevice): Link | null {
  const l = d.link;
  if (!l || l.currentWidth === null || l.maxWidth === null) return null;
  const width = parseLinkWidth(l.currentWidth);
  const maxWidth = parseLinkWidth(l.maxWidth);
  if (width === null || maxWidth === null) return null;
  return { address: d.address, width, maxWidth, speed: l.currentSpeed === null ? null : parseLinkSpeed(l.currentSpeed), maxSpeed: l.maxSpeed === null ? null : parseLinkSpeed(l.maxSpeed) };
}

const speedText = (gts: number | null) => (gts === null ? 'unknown speed' : `${gts} GT/s`);
const show = (l: Link) => `${l.address} x${l.width} of x${l.maxWidth}, ${speedText(l.speed)} of ${speedText(l.maxSpeed)}`;

export const hardwarePcieLink: Check = {
  id: 'hardware.pcie-link',
  title: 'GPU PCIe links run at their full width',
  area: 'hardware',
  category: 'node',
  features: ['gpu'],
  dependsOn: [],
  live: true,
  needsPoolHardware: true,
  description:
    'Reads each NVIDIA GPU\'s PCIe link from sysfs (current_link_width and max_link_width, current_link_speed and max_link_speed under ' +
    '/sys/bus/pci/devices/<address>) and warns when a link trained narrower than the GPU can run (e.g. x8 of x16): host-device transfers ' +
    'then run at a fraction of their bandwidth, a sign of a bad riser, slot or VM placement. A lower current speed alone is reported, not ' +
    'warned about: NVIDIA GPUs lower their link speed when idle to save power and raise it under load. A GPU whose link the kernel does not ' +
    'report cannot be judged: an error, never a pass.',
  consequence:
    'warn: host-to-GPU copies on that GPU run at a fraction of their bandwidth; the node still takes tasks (fails only with --strict)',
  fix: 'Reboot the node; if the link stays narrow, reimage or delete the node so that Azure places a new VM, and report the host to Azure support. Check under load with nvidia-smi -q -d PCIE.',
  async run({ host }) {
    const pci = await pciDevices(host);
    if (!pci.ok) return error(`could not read the PCI devices: ${pci.reason}`);
    const gpus = pci.devices.filter(isNvidiaGpu);
    if (gpus.length === 0) return pass('no NVIDIA GPU on the PCI bus, so no link to judge (hardware.gpus and nvidia.driver judge the GPUs themselves)');
    let links: (Link | null)[];
    try {
      links = gpus.map(linkOf);
    } catch (err) {
      if (err instanceof ParseError) return error(`could not read a GPU's PCIe link: ${err.message}`);
      throw err;
    }
    const known = links.filter((l): l is Link => l !== null);
    const unknown = gpus.filter((_, i) => links[i] === null).map((g) => g.address);
    const evidence: Record<string, unknown> = { links: known.map(show) };
    if (unknown.length) evidence.noLinkState = unknown;
    const narrow = known.filter((l) => l.width < l.maxWidth);
    const slower = known.filter((l) => l.speed !== null && l.maxSpeed !== null && l.speed < l.maxSpeed);
    const slowNote = slower.length ? `; ${slower.length} at a lower speed than their maximum (${slower.map((l) => `${l.address} ${speedText(l.speed)} of ${speedText(l.maxSpeed)}`).join(', ')}), which idle NVIDIA GPUs do to save power` : '';
    if (narrow.length) {
      return warn(
        `${narrow.length} GPU PCIe link${narrow.length > 1 ? 's' : ''} narrower than the GPU can run: ${narrow.map(show).join('; ')}${slowNote}${unknown.length ? `; no link state for ${unknown.join(', ')}` : ''}`,
        'Reboot the node; if the link stays narrow, reimage or delete the node so that Azure places a new VM, and report the host to Azure support',
        evidence,
      );
    }
    if (unknown.length) return error(`the kernel reports no PCIe link width for GPU${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}, so ${unknown.length > 1 ? 'their links' : 'its link'} cannot be judged`, evidence);
    return pass(`${known.length} GPU PCIe link${known.length > 1 ? 's' : ''} at full width (${[...new Set(known.map((l) => `x${l.width}`))].join(', ')})${slowNote}`, evidence);
  },
};
