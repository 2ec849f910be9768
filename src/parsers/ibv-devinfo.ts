// Output of `ibv_devinfo`: a `hca_id:` block per device, with indented `port:` blocks holding
// `state: PORT_ACTIVE (4)` and `link_layer: InfiniBand` (or Ethernet for RoCE).
import { ParseError } from './parse-error';

export interface IbvPort {
  port: number;
  /** e.g. PORT_ACTIVE, PORT_DOWN, PORT_INIT. */
  state: string;
  stateCode: number | null;
  linkLayer: string | null;
}

export interface IbvDevice {
  hcaId: string;
  transport: string | null;
  ports: IbvPort[];
}

/** Devices listed by ibv_devinfo; throws ParseError for text that is not its output. */
export function parseIbvDevinfo(text: string): IbvDevice[] {
  const devices: IbvDevice[] = [];
  let port: IbvPort | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const m = /^([A-Za-z_][\w ]*?):\s*(.*)$/.exec(line);
    if (!m) {
      if (devices.length === 0) throw new ParseError('not ibv_devinfo output', i + 1);
      return; // continuation lines (e.g. GIDs) carry nothing we use
    }
    const key = m[1]!;
    const value = m[2]!.trim();
    if (key === 'hca_id') {
      if (!value) throw new ParseError('empty hca_id', i + 1);
      devices.push({ hcaId: value, transport: null, ports: [] });
      port = null;
      return;
    }
    const dev = devices[devices.length - 1];
    if (!dev) throw new ParseError('a field before any hca_id', i + 1);
    if (key === 'transport') dev.transport = value;
    else if (key === 'port') {
      if (!/^\d+$/.test(value)) throw new ParseError('port is not a number', i + 1);
      port = { port: Number(value), state: 'unknown', stateCode: null, linkLayer: null };
      dev.ports.push(port);
    } else if (key === 'state' && port) {
      const s = /^(\w+)(?:\s*\((\d+)\))?$/.exec(value);
      if (!s) throw new ParseError('port state not understood', i + 1);
      port.state = s[1]!;
      port.stateCode = s[2] === undefined ? null : Number(s[2]);
    } else if (key === 'link_layer' && port) port.linkLayer = value;
  });
  if (devices.length === 0 && text.trim()) throw new ParseError('no hca_id line in ibv_devinfo output');
  return devices;
}

/** What ibv_devinfo says when it cannot list devices (on stderr, exit non-zero). */
export function ibvDevinfoFailure(output: string): string | null {
  const m = /Failed to get IB devices list:[^\n]*|No IB devices found/i.exec(output);
  return m ? m[0].trim() : null;
}
