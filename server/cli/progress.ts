/** Progress on stderr for long runs, only when stderr is a terminal (never pollutes pipes or CI logs). */

export class Progress {
  private count = 0;
  private last = 0;
  private readonly started = Date.now();
  private readonly enabled = process.stderr.isTTY === true;

  constructor(private readonly unit: string) {}

  tick(): void {
    this.count++;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.started < 1000 || now - this.last < 250) return;
    this.last = now;
    const rate = Math.round(this.count / ((now - this.started) / 1000));
    process.stderr.write(`\r  ${this.count} ${this.unit} scanned (${rate}/s)`);
  }

  done(): void {
    if (this.enabled && this.last) process.stderr.write('\r\x1b[K');
  }
}
