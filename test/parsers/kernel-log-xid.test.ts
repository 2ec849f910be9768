// Xid lines as NVIDIA drivers print them; the texts are those of public kernel logs: a row remap
// (stas00/ml-engineering compute/accelerator/nvidia/debug.md), a class error and a micro-controller
// halt (gist kohsuke/84ce815d0a8ad85ecaf6), an older driver without `PCI:` (pastebin xJaypMZt).
import { describe, expect, it } from 'vitest';
import { parseXidEvents } from '../../src/parsers/kernel-log-xid';

describe('parseXidEvents', () => {
  it('reads /dev/kmsg records and dmesg lines alike', () => {
    const log = [
      '6,1541,9341972,-;nvidia 0000:18:00.0: enabling device (0000 -> 0002)',
      ' SUBSYSTEM=pci',
      '4,2210,86400123,-;NVRM: Xid (PCI:0000:10:1c): 63, pid=1896, Row Remapper: New row marked for remapping, reset gpu to activate.',
      'Dec 23 23:30:56 rescue kernel: [ 179.438803] NVRM: Xid (PCI:0000:01:00): 69, Class Error: ChId 0005, Class 0000a097, Offset 00000d9c, Data ffffffff, ErrorCode 0000000c',
      '[  269.517039] NVRM: Xid (0000:01:00): 3, C 00000005 SC 00000007 M 00001ffc Data ffffffff',
      '4,2300,90000000,-;NVRM: Xid (PCI:0000:DB:00.0): 79, pid=\'<unknown>\', name=<unknown>, GPU has fallen off the bus.',
    ].join('\n');
    expect(parseXidEvents(log)).toEqual([
      { gpu: '0000:10:1c', code: 63, detail: 'pid=1896, Row Remapper: New row marked for remapping, reset gpu to activate.' },
      { gpu: '0000:01:00', code: 69, detail: 'Class Error: ChId 0005, Class 0000a097, Offset 00000d9c, Data ffffffff, ErrorCode 0000000c' },
      { gpu: '0000:01:00', code: 3, detail: 'C 00000005 SC 00000007 M 00001ffc Data ffffffff' },
      { gpu: '0000:db:00.0', code: 79, detail: "pid='<unknown>', name=<unknown>, GPU has fallen off the bus." },
    ]);
  });

  it('finds nothing in a log without Xid lines, or in lines that only mention one', () => {
    expect(parseXidEvents('')).toEqual([]);
    expect(parseXidEvents('6,1,0,-;NVRM: loading NVIDIA UNIX x86_64 Kernel Module  550.54.15\nuser wrote: grep Xid (none): 79,\nNVRM: Xid (PCI:zz:01:00): 79,')).toEqual([]);
  });
});
