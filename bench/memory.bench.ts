/**
 * Memory over one million scans, in-process and through the pool: RSS and heap after a warm-up and again at the
 * end. The process RSS includes the worker threads. With --expose-gc (npm run bench passes it) a collection runs
 * before each reading, so the heap figure is live data, not garbage waiting for the collector.
 */
import { createScanPool } from '../dist/engine/pool/pool.js';
import { createScanner } from '../dist/engine/scanner.js';
import { input } from './inputs.js';

export interface MemoryRow { target: string; scans: number; rssBeforeMiB: number; rssAfterMiB: number; heapBeforeMiB: number; heapAfterMiB: number; seconds: number }

const gc = (globalThis as { gc?: () => void }).gc;

function reading() {
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss / 2 ** 20, heap: m.heapUsed / 2 ** 20 };
}

function samples(): string[] {
  // Benign and attack texts of mixed sizes, so that findings, decodes and results are exercised, not just the fast path.
  const out: string[] = [];
  for (let k = 0; k < 16; k++) {
    const kind = k % 4 === 3 ? 'attack' : k % 4 === 2 ? 'multilingual' : 'english';
    out.push(Buffer.from(input(kind, [64, 256, 1024, 4096][k % 4]!, k * 4099)).toString('utf8'));
  }
  return out;
}

async function measure(target: string, scans: number, run: (texts: string[], n: number) => Promise<void>): Promise<MemoryRow> {
  const texts = samples();
  await run(texts, Math.min(50_000, scans / 10)); // warm-up: arenas, JIT, pools reach their working size
  const before = reading();
  const t0 = performance.now();
  await run(texts, scans);
  const seconds = (performance.now() - t0) / 1000;
  const after = reading();
  const mib = (x: number) => +x.toFixed(1);
  return { target, scans, rssBeforeMiB: mib(before.rss), rssAfterMiB: mib(after.rss), heapBeforeMiB: mib(before.heap), heapAfterMiB: mib(after.heap), seconds: +seconds.toFixed(1) };
}

export async function runMemory(scans = 1_000_000): Promise<MemoryRow[]> {
  const scanner = createScanner({ policy: { action: 'report' } });
  const rows = [await measure('in-process scanner', scans, async (texts, n) => {
    for (let i = 0; i < n; i++) scanner.scan(texts[i & 15]!);
  })];
  const pool = createScanPool({ maxQueue: 1 << 16, config: { policy: { action: 'report' } } });
  rows.push(await measure(`pool (${pool.threads} threads)`, scans, async (texts, n) => {
    // Windows of 4096 scans in flight: a steady load, not a million promises at once.
    for (let i = 0; i < n; i += 4096) {
      await Promise.all(Array.from({ length: Math.min(4096, n - i) }, (_, j) => pool.scan(texts[(i + j) & 15]!)));
    }
  }));
  await pool.close();
  return rows;
}
