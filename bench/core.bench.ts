/**
 * WASM core alone (normalize + match, one thread) and the in-process Scanner (core + detectors), on benign English,
 * benign multilingual and attack-dense text at 64 B, 1 KiB, 64 KiB and 1 MiB. Each task scans a batch of copies so
 * that one sample covers at least 256 KiB; figures are per scan. `records` is the core's output count per scan: if
 * it changes without a pattern change, behaviour changed.
 */
import { Bench } from 'tinybench';
// The compiled engine (dist/, built by npm install), as users run it: a TypeScript loader adds its own overhead.
import { Core } from '../dist/engine/core.js';
import { loadCatalogue } from '../dist/engine/catalogue-cache.js';
import { createScanner } from '../dist/engine/scanner.js';
import { input, type Kind } from './inputs.js';

export interface Row {
  group: string;
  kind: Kind;
  size: number;
  mbPerS: number;
  nsPerScan: number;
  p99NsPerScan: number;
  records: number;
}

const KINDS: Kind[] = ['english', 'multilingual', 'attack'];
const SIZES = [64, 1024, 64 * 1024, 1024 * 1024];

export async function runCore(timeMs: number): Promise<Row[]> {
  const cat = loadCatalogue();
  const core = new Core(cat.automaton, 64 << 20, cat.native);
  const scanner = createScanner({ policy: { action: 'report' } });
  const bench = new Bench({ time: timeMs, warmupTime: Math.min(200, timeMs) });
  const meta = new Map<string, { kind: Kind; size: number; batch: number; bytes: number; records: number; group: string }>();
  for (const kind of KINDS) {
    for (const size of SIZES) {
      // Several different slices per size, so one lucky slice does not decide the figure.
      const slices = Array.from({ length: 8 }, (_, k) => input(kind, size, k * 7919));
      const batch = Math.max(1, Math.ceil((256 * 1024) / size / slices.length)) * slices.length;
      const bytes = slices.reduce((a, s) => a + s.length, 0) / slices.length;
      const records = slices.reduce((a, s) => a + core.scan(s).count, 0) / slices.length;
      const name = `core ${kind} ${size}`;
      meta.set(name, { kind, size, batch, bytes, records, group: 'core' });
      bench.add(name, () => { for (let i = 0; i < batch; i++) core.scan(slices[i & 7]!); });
      if (size <= 64 * 1024) {
        const texts = slices.map((s) => Buffer.from(s).toString('utf8'));
        const sname = `scanner ${kind} ${size}`;
        meta.set(sname, { kind, size, batch, bytes, records, group: 'scanner' });
        bench.add(sname, () => { for (let i = 0; i < batch; i++) scanner.scan(texts[i & 7]!); });
      }
    }
  }
  await bench.run();
  const rows: Row[] = [];
  for (const task of bench.tasks) {
    const m = meta.get(task.name)!;
    const r = task.result as unknown as { latency: { mean: number; p99: number } };
    const ns = (r.latency.mean * 1e6) / m.batch;
    rows.push({ group: m.group, kind: m.kind, size: m.size, mbPerS: +(m.bytes / ns * 1e3).toFixed(1), nsPerScan: Math.round(ns),
      p99NsPerScan: Math.round((r.latency.p99 * 1e6) / m.batch), records: +m.records.toFixed(1) });
  }
  return rows;
}
