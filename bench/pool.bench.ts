/**
 * The worker pool at 1 and N threads: scans/s for 1 KiB and 64 KiB messages, all submitted at once (a saturating
 * load, so per-scan latency here is queueing, not service time), and the N-thread / 1-thread throughput ratio.
 */
import { availableParallelism } from 'node:os';
import { createScanPool } from '../dist/engine/pool/pool.js';
import { input } from './inputs.js';

export interface PoolRow { threads: number; size: number; scansPerS: number }

async function measure(threads: number, size: number, count: number): Promise<PoolRow> {
  const pool = createScanPool({ threads, maxQueue: count });
  const texts = Array.from({ length: 8 }, (_, k) => Buffer.from(input('english', size, k * 7919)).toString('utf8'));
  await Promise.all(Array.from({ length: threads * 4 }, (_, i) => pool.scan(texts[i & 7]!))); // warm every worker
  const t0 = performance.now();
  await Promise.all(Array.from({ length: count }, (_, i) => pool.scan(texts[i & 7]!)));
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  return { threads, size, scansPerS: Math.round(count / seconds) };
}

export async function runPool(): Promise<PoolRow[]> {
  const n = Math.max(2, availableParallelism());
  const rows: PoolRow[] = [];
  for (const [size, count] of [[1024, 20_000], [64 * 1024, 600]] as const) {
    for (const threads of [1, n]) rows.push(await measure(threads, size, count));
  }
  return rows;
}
