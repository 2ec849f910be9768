// NVIDIA Xid events in the kernel log: the driver prints `NVRM: Xid (PCI:0000:18:00): 79, pid=...,
// GPU has fallen off the bus.` (older drivers leave out `PCI:`). Read from /dev/kmsg, where each
// record is `<priority>,<sequence>,<microseconds>,<flags>;<text>` with continuation lines starting
// with a space (Documentation/ABI/testing/dev-kmsg), or from dmesg-style text: the Xid pattern is
// looked for in each line either way.

export interface XidEvent {
  /** The GPU's PCI address as the driver prints it, e.g. 0000:18:00. */
  gpu: string;
  code: number;
  /** The driver's words after the code, e.g. "pid=1896, Row Remapper: New row marked for remapping, reset gpu to activate." */
  detail: string;
}

const XID = /NVRM: Xid \((?:PCI:)?([0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}(?:\.[0-7])?)\): (\d+),?\s*(.*)$/;

export function parseXidEvents(log: string): XidEvent[] {
  const events: XidEvent[] = [];
  for (const line of log.split('\n')) {
    const m = XID.exec(line);
    if (m) events.push({ gpu: m[1]!.toLowerCase(), code: Number(m[2]), detail: m[3]!.trim() });
  }
  return events;
}
