// TCP sockets in LISTEN state, from /proc/net/tcp and /proc/net/tcp6 (no `ss` or `netstat` needed).
import type { Host } from '../host/host';
import { parseProcNetTcp, type TcpSocket } from '../parsers/proc-net-tcp';
import { messageOf } from '../errors';

export type ListeningProbe = { ok: true; sockets: TcpSocket[] } | { ok: false; reason: string };

export function listeningTcp(host: Host): Promise<ListeningProbe> {
  return host.probe('listening-tcp', async () => {
    try {
      const sockets: TcpSocket[] = [];
      for (const p of ['/proc/net/tcp', '/proc/net/tcp6']) {
        const text = await host.fs.readTextIfExists(p);
        if (text !== null) sockets.push(...parseProcNetTcp(text).filter((s) => s.listening));
      }
      return { ok: true, sockets };
    } catch (err) {
      return { ok: false, reason: messageOf(err) };
    }
  });
}
