/**
 * npm run bench [-- --json] [-- --time MS] [-- --only core,pool,memory,peers,floods] [-- --quick]: runs the benchmarks
 * and prints a table (or JSON) with the targets from the issues beside the measured figures. Run it on a quiet
 * machine; compare figures as ratios within one run.
 */
import { cpus } from 'node:os';
import { runCore, type Row } from './core.bench.js';
import { runFloods } from './floods.bench.js';
import { runPool, type PoolReport } from './pool.bench.js';
import { runMemory } from './memory.bench.js';
import { runPeers, type PeerRow } from './peers.bench.js';

const SECTIONS = ['core', 'pool', 'memory', 'peers', 'floods'] as const;
const args = process.argv.slice(2);
if (args.includes('--help')) {
  console.log(`usage: npm run bench -- [--json] [--time MS] [--only ${SECTIONS.join(',')}] [--quick]
  --json    the same figures as JSON
  --time    tinybench time per core task in ms (default 400)
  --only    run some sections only
  --quick   shorter runs (100 000 scans for memory, fewer pool scans): a smoke run, not for quoting`);
  process.exit(0);
}
const json = args.includes('--json');
const quick = args.includes('--quick');
const arg = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const timeMs = Number(arg('--time') ?? 400);
const only = new Set((arg('--only') ?? SECTIONS.join(',')).split(','));
const progress = (s: string) => { if (!json) process.stderr.write(`running ${s}...\n`); };

// Targets: scanning-core issue (one core, WASM) and pool issue.
const TARGET_MBPS: Record<string, number> = { english: 2000, multilingual: 1000, attack: 300 };
const TARGET_1K_NS = 5000;

const env = { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, date: new Date().toISOString(),
  gc: typeof (globalThis as { gc?: unknown }).gc === 'function' };
const report: Record<string, unknown> = { env, targets: { mbPerS: TARGET_MBPS, scan1kNs: TARGET_1K_NS } };
if (only.has('core')) { progress('core'); report.core = await runCore(timeMs); }
if (only.has('pool')) { progress('pool'); report.pool = await runPool(quick); }
if (only.has('memory')) { progress('memory'); report.memory = await runMemory(quick ? 100_000 : 1_000_000); }
if (only.has('peers')) { progress('peers'); report.peers = await runPeers(quick ? 300 : 1500); }
if (only.has('floods')) { progress('floods'); report.floods = runFloods(); }

if (json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(`kindly-guard bench  ${env.node}  ${env.cpu} x${env.cores}  (time ${timeMs} ms per task)`);
  if (report.core) printCore(report.core as Row[]);
  if (report.pool) printPool(report.pool as PoolReport);
  if (report.memory) printMemory(report.memory as Awaited<ReturnType<typeof runMemory>>);
  if (report.peers) printPeers(report.peers as PeerRow[]);
  if (report.floods) printFloods(report.floods as ReturnType<typeof runFloods>);
}

function printCore(rows: Row[]) {
  console.log('\ngroup    kind          size      MB/s    ns/scan   p99 ns   records  target');
  for (const r of rows) {
    let target = '';
    if (r.group === 'core' && r.size >= 64 * 1024) {
      const t = TARGET_MBPS[r.kind]!;
      target = `${t} MB/s ${r.mbPerS >= t ? 'met' : `MISSED (${(r.mbPerS / t).toFixed(2)}x)`}`;
    }
    if (r.size === 1024 && r.group === 'scanner' && r.kind === 'english') {
      target = `<= ${TARGET_1K_NS} ns ${r.nsPerScan <= TARGET_1K_NS ? 'met' : 'MISSED'}`;
    }
    console.log(`${r.group.padEnd(8)} ${r.kind.padEnd(12)} ${fmtSize(r.size).padStart(6)} ${String(r.mbPerS).padStart(9)} ${String(r.nsPerScan).padStart(10)} ${String(r.p99NsPerScan).padStart(8)} ${String(r.records).padStart(9)}  ${target}`);
  }
}

function printPool(p: PoolReport) {
  console.log('\npool, saturating load (all scans submitted at once); targets: >= 1.8x one thread at 64 KiB, >= 300k scans/s at 1 KiB');
  for (const r of p.throughput) {
    const one = p.throughput.find((o) => o.size === r.size && o.threads === 1)!;
    const ratio = r.scansPerS / one.scansPerS;
    let target = '';
    if (r.threads > 1 && r.size === 64 * 1024) target = ratio >= 1.8 ? 'met' : 'MISSED';
    if (r.threads > 1 && r.size === 1024) target = r.scansPerS >= 300_000 ? 'met' : `MISSED (${(r.scansPerS / 300_000).toFixed(2)}x)`;
    console.log(`  ${String(r.threads).padStart(2)} thread(s) ${fmtSize(r.size).padStart(4)}  ${String(r.scansPerS).padStart(8)} scans/s  ${r.threads > 1 ? `x${ratio.toFixed(2)} vs 1 thread  ${target}` : ''}`);
  }
  console.log('pool latency, open loop (arrivals in 1 ms ticks, latency from submit); target p99 <= 200 us at half the saturating rate');
  p.latency.forEach((r, i) => {
    const target = i === p.latency.length - 1 ? (r.p99us <= 200 ? 'met' : 'MISSED') : '';
    console.log(`  ${r.threads} threads ${fmtSize(r.size)}  offered ${String(r.offeredPerS).padStart(6)}/s achieved ${String(r.achievedPerS).padStart(6)}/s  p50 ${String(r.p50us).padStart(6)} us  p99 ${String(r.p99us).padStart(6)} us  ${target}`);
  });
  console.log(`  bare Piscina hand-off (a task that does nothing) at ${p.bare.offeredPerS}/s: p50 ${p.bare.p50us} us  p99 ${p.bare.p99us} us`);
  console.log('inline vs pool, us per scan (inline: this thread; pool: 1 worker, saturating): sets inlineBelowBytes');
  for (const r of p.inline) console.log(`  ${fmtSize(r.size).padStart(4)}  inline ${String(r.inlineUs).padStart(7)}  pool ${String(r.poolUs).padStart(7)}`);
}

function printMemory(rows: Awaited<ReturnType<typeof runMemory>>) {
  console.log(`\nmemory over many scans (target: flat)${env.gc ? '' : '  [no --expose-gc: heap figures include garbage]'}`);
  for (const r of rows) {
    const growth = r.rssAfterMiB - r.rssBeforeMiB;
    console.log(`  ${r.target.padEnd(22)} ${r.scans} scans in ${r.seconds}s  RSS ${r.rssBeforeMiB} -> ${r.rssAfterMiB} MiB  heap ${r.heapBeforeMiB} -> ${r.heapAfterMiB} MiB  ${growth <= Math.max(16, r.rssBeforeMiB * 0.05) ? 'flat' : 'GROWS'}`);
  }
}

function printPeers(rows: PeerRow[]) {
  if (!rows.length) { console.log('\npeers: skipped (../shared/corpus/public is not beside the checkout)'); return; }
  console.log('\npeers, same texts, same run (../shared/corpus/public attacks + benign sample); detection = medium or above');
  console.log('  category                         detector                          recall %   FP %    MB/s   speed vs ours');
  for (const r of rows) {
    const ours = rows.find((o) => o.category === r.category && o.detector === 'kindly-guard')!;
    console.log(`  ${r.category.padEnd(32)} ${r.detector.padEnd(33)} ${String(r.recall).padStart(7)} ${String(r.falsePositiveRate).padStart(6)} ${String(r.mbPerS).padStart(7)}   ${r === ours ? '' : `ours x${(ours.mbPerS / r.mbPerS).toFixed(2)}`}`);
  }
}

function printFloods(floods: ReturnType<typeof runFloods>) {
  console.log('\nfloods: 1 MiB of one repeated unit through scanner.scan');
  for (const f of floods) console.log(`  ${JSON.stringify(f.unit).padEnd(34)} ${String(f.msPerMiB).padStart(6)} ms   ${f.threats} threat(s)`);
}

function fmtSize(n: number): string {
  return n >= 1 << 20 ? `${n >> 20}M` : n >= 1024 ? `${n >> 10}K` : `${n}B`;
}
