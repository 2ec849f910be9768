// In start-task mode the verdict must be the first line of the task's stderr.txt (Batch shows it
// for a failed start task): logs meant for stderr are held back until it is written, then follow.
import { writeSync } from 'node:fs';

/** Held logs beyond this are dropped, and a line says how many bytes were. */
const HOLD_LIMIT = 1 << 20;

export class HeldStderr {
  private held: string[] = [];
  private size = 0;
  private dropped = 0;
  private released = false;
  private readonly onExit = () => this.release();

  constructor() {
    // Whatever ends the process (an internal error included) still gets the logs out.
    process.once('exit', this.onExit);
  }

  /** pino's destination interface. */
  write(chunk: string): boolean {
    if (this.released) writeSync(2, chunk);
    else if (this.size + chunk.length > HOLD_LIMIT) this.dropped += chunk.length;
    else {
      this.held.push(chunk);
      this.size += chunk.length;
    }
    return true;
  }

  /** Writes the held logs (after the caller's first line) and passes later ones straight through. */
  release(): void {
    if (this.released) return;
    this.released = true;
    process.removeListener('exit', this.onExit);
    if (this.held.length > 0) writeSync(2, this.held.join(''));
    if (this.dropped > 0) writeSync(2, `batch-preflight: ${this.dropped} bytes of logs were dropped while the verdict was pending\n`);
    this.held = [];
  }
}
