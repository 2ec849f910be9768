// The kernel log since boot, read once per run from /dev/kmsg (root only; each read gives one record,
// and a non-blocking read past the last fails with EAGAIN, so the read ends instead of waiting for more).
import type { Host } from '../host/host';
import { messageOf } from '../errors';

export const KMSG = '/dev/kmsg';
/** Above the largest log_buf_len in use (the kernel's ring buffer is 128 KiB to a few MiB). */
const MAX_BYTES = 32 * 1024 * 1024;

export type KernelLogProbe =
  | { ok: true; text: string; truncated: boolean; lost: boolean }
  | { ok: false; reason: string };

export function kernelLog(host: Host): Promise<KernelLogProbe> {
  return host.probe('kernel-log', async () => {
    try {
      return { ok: true, ...(await host.fs.readRecords(KMSG, MAX_BYTES)) };
    } catch (err) {
      return { ok: false, reason: messageOf(err) };
    }
  });
}
