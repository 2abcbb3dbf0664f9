/**
 * One figure for comparing two builds: microseconds per scan of the core bench's 1 KiB English slices through the
 * scanner (400 000 scans after a warm-up). Run it in each checkout, alternating, in one session:
 *   node --import tsx bench/ab-1k.ts
 */
import { createScanner } from '../dist/index.js';
import { input } from './inputs.js';

const slices = Array.from({ length: 8 }, (_, k) => Buffer.from(input('english', 1024, k * 7919)).toString('utf8'));
const scanner = createScanner({ policy: { action: 'report' } });
const N = 400_000;
for (let i = 0; i < 20_000; i++) scanner.scan(slices[i & 7]!);
const t0 = performance.now();
for (let i = 0; i < N; i++) scanner.scan(slices[i & 7]!);
console.log(`scanner, 1 KiB English: ${((performance.now() - t0) * 1000 / N).toFixed(2)} us per scan`);
