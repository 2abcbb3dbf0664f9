/**
 * The worker pool at 1 and N threads: saturating throughput for 1 KiB and 64 KiB messages (all submitted at once),
 * the N/1 ratio, latency at half the saturating rate (open-loop arrivals, latency counted from each scan's scheduled
 * time so a stalled loop cannot hide queueing), and the inline-vs-pool comparison that sets `inlineBelowBytes`.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { createScanPool, type ScanPool } from '../dist/engine/pool/pool.js';
import { createScanner } from '../dist/engine/scanner.js';
import { input } from './inputs.js';

export interface PoolRow { threads: number; size: number; scansPerS: number }
export interface LatencyRow { threads: number; size: number; offeredPerS: number; achievedPerS: number; p50us: number; p99us: number }
export interface InlineRow { size: number; inlineUs: number; poolUs: number }

function texts(size: number): string[] {
  return Array.from({ length: 8 }, (_, k) => Buffer.from(input('english', size, k * 7919)).toString('utf8'));
}

async function warm(pool: ScanPool, t: string[]) {
  await Promise.all(Array.from({ length: pool.threads * 64 }, (_, i) => pool.scan(t[i & 7]!)));
}

async function saturate(threads: number, size: number, count: number): Promise<PoolRow> {
  const pool = createScanPool({ threads, maxQueue: count });
  const t = texts(size);
  await warm(pool, t);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: count }, (_, i) => pool.scan(t[i & 7]!)));
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  return { threads, size, scansPerS: Math.round(count / seconds) };
}

/**
 * Open-loop load at `rate` scans/s for `seconds`: every 1 ms tick submits the scans that fell due, whether or not
 * earlier ones returned (a network poll delivers requests in such bursts). Latency runs from submit to answer.
 */
async function openLoop(threads: number, size: number, rate: number, seconds: number): Promise<LatencyRow> {
  const pool = createScanPool({ threads, maxQueue: 1 << 20 });
  const t = texts(size);
  await warm(pool, t);
  const start = performance.now();
  const scans = await arrivals(rate, seconds, (i) => pool.scan(t[i & 7]!));
  const elapsed = (performance.now() - start) / 1000;
  await pool.close();
  return { threads, size, offeredPerS: rate, achievedPerS: Math.round(scans.length / elapsed), p50us: quantile(scans, 0.5), p99us: quantile(scans, 0.99) };
}

/** A Piscina task per message that does nothing: what a thread hand-off alone costs on this machine. */
async function bareHandOff(threads: number, rate: number, seconds: number): Promise<LatencyRow> {
  const bare = new Piscina({ filename: fileURLToPath(new URL('./echo-worker.mjs', import.meta.url)), minThreads: threads, maxThreads: threads });
  await Promise.all(Array.from({ length: 64 }, () => bare.run('warm')));
  const start = performance.now();
  const echo = await arrivals(rate, seconds, () => bare.run('x'));
  const elapsed = (performance.now() - start) / 1000;
  await bare.destroy();
  return { threads, size: 0, offeredPerS: rate, achievedPerS: Math.round(echo.length / elapsed), p50us: quantile(echo, 0.5), p99us: quantile(echo, 0.99) };
}

async function arrivals(rate: number, seconds: number, submit: (i: number) => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  const total = Math.round(rate * seconds);
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
      for (; sent < due; sent++) {
        const t0 = performance.now();
        inFlight.push(submit(sent).then(() => { latencies.push(performance.now() - t0); }));
      }
      if (sent < total) setTimeout(tick, 1); else done();
    };
    tick();
  });
  await Promise.all(inFlight);
  return latencies.sort((a, b) => a - b);
}

function quantile(sorted: number[], p: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! * 1000);
}

/** Microseconds per scan inline on this thread vs through a 1-thread pool under saturating load, per size. */
async function inlineVsPool(): Promise<InlineRow[]> {
  const scanner = createScanner();
  const rows: InlineRow[] = [];
  for (const size of [64, 256, 1024, 4096]) {
    const t = texts(size);
    const n = 20_000;
    for (let i = 0; i < 1000; i++) scanner.scan(t[i & 7]!);
    let t0 = performance.now();
    for (let i = 0; i < n; i++) scanner.scan(t[i & 7]!);
    const inlineUs = ((performance.now() - t0) * 1000) / n;
    const pool = createScanPool({ threads: 1, maxQueue: n, inlineBelowBytes: 0 });
    await warm(pool, t);
    t0 = performance.now();
    await Promise.all(Array.from({ length: n }, (_, i) => pool.scan(t[i & 7]!)));
    const poolUs = ((performance.now() - t0) * 1000) / n;
    await pool.close();
    rows.push({ size, inlineUs: +inlineUs.toFixed(2), poolUs: +poolUs.toFixed(2) });
  }
  return rows;
}

export interface PoolReport { throughput: PoolRow[]; latency: LatencyRow[]; bare: LatencyRow; inline: InlineRow[] }

export async function runPool(quick = false): Promise<PoolReport> {
  const n = Math.max(2, availableParallelism());
  const throughput: PoolRow[] = [];
  for (const [size, count] of [[1024, quick ? 50_000 : 200_000], [64 * 1024, quick ? 1000 : 3000]] as const) {
    for (const threads of [1, n]) throughput.push(await saturate(threads, size, count));
  }
  const full = throughput.find((r) => r.threads === n && r.size === 1024)!.scansPerS;
  const seconds = quick ? 1 : 3;
  const latency = [await openLoop(n, 1024, 1000, seconds), await openLoop(n, 1024, Math.round(full / 2), seconds)];
  return { throughput, latency, bare: await bareHandOff(n, 1000, seconds), inline: await inlineVsPool() };
}
