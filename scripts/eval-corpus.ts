/**
 * npm run eval [-- --json] [-- --evasion-sample N]: recall per category and false-positive rate per benign file
 * over corpus/ and ../shared/corpus/public, then an evasion pass (each detected attack mutated and rescanned).
 * A detection is any finding of medium severity or above, as in the product contract.
 */
import { createScanner, isDetection, type Threat } from '../engine/index.js';
import { readCases, familyOf, targetGroup, REDTEAM_DIR, HELDOUT_DIR, LATER_HELDOUT_DIRS, type Case } from './corpus.js';
import { MUTATIONS, rng } from './mutate.js';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const sampleArg = args.indexOf('--evasion-sample');
const evasionSample = sampleArg >= 0 ? Number(args[sampleArg + 1]) : 150;
const showMisses = args.includes('--misses');

const NOT_MUTABLE = new Set(['encoded_payload', 'secret_exposure', 'session_id_exposure']);
const scanner = createScanner({ policy: { action: 'report' } });
const detected = (text: string): Threat[] => scanner.scan(text).threats.filter(isDetection);

const cases = readCases();
const attacks = new Map<string, { total: number; hit: number; typed: number; misses: Case[] }>();
const benign = new Map<string, { total: number; fp: number; examples: Array<{ id: string; types: string[] }> }>();
const caught: Case[] = [];
const t0 = performance.now();
let bytes = 0;
for (const c of cases) {
  bytes += Buffer.byteLength(c.text);
  const found = detected(c.text);
  if (c.label === 'malicious') {
    const fam = familyOf(c.category);
    const row = attacks.get(fam) ?? { total: 0, hit: 0, typed: 0, misses: [] };
    row.total++;
    if (found.length) { row.hit++; caught.push(c); } else row.misses.push(c);
    if (found.some((t) => t.type === fam || (fam === 'unicode_homoglyph' && t.type === 'unicode_mixed_script'))) row.typed++;
    attacks.set(fam, row);
  } else {
    const key = c.file.replace(/^.*\//, '').replace('.jsonl', '') + (c.file.startsWith('shared') ? '' : ' (own)');
    const row = benign.get(key) ?? { total: 0, fp: 0, examples: [] };
    row.total++;
    if (found.length) {
      row.fp++;
      if (row.examples.length < 5) row.examples.push({ id: c.id, types: found.map((t) => `${t.type}:${t.rule}`) });
    }
    benign.set(key, row);
  }
}
const scanMs = performance.now() - t0;

// Evasion: a fixed-seed sample of detected attacks per family, each mutation rescanned.
const r = rng(42);
const byFamily = new Map<string, Case[]>();
for (const c of caught) {
  const fam = familyOf(c.category);
  // Unicode attacks are already obfuscated text; encoded blobs, secrets and session ids are data whose bytes are the
  // finding: mutating them makes a different string, not an evasion of the same attack.
  if (fam.startsWith('unicode_') || NOT_MUTABLE.has(fam)) continue;
  (byFamily.get(fam) ?? byFamily.set(fam, []).get(fam)!).push(c);
}
const evasion = new Map<string, { total: number; hit: number }>();
const evasionMisses: Array<{ mutation: string; id: string }> = [];
for (const [, list] of byFamily) {
  const sample = list.length <= evasionSample ? list : list.filter(() => r() < evasionSample / list.length);
  for (const c of sample) {
    for (const [name, mutate] of Object.entries(MUTATIONS)) {
      const row = evasion.get(name) ?? { total: 0, hit: 0 };
      row.total++;
      if (detected(mutate(c.text, r)).length) row.hit++;
      else if (evasionMisses.length < 40) evasionMisses.push({ mutation: name, id: c.id });
      evasion.set(name, row);
    }
  }
}

/** Probe sets reported apart: detected attacks per family and flagged negatives, under `prefix(case)`. */
function tally(cases: Case[], prefix: (c: Case) => string, into = new Map<string, { total: number; hit: number }>()) {
  for (const c of cases) {
    const key = `${prefix(c)}${c.label === 'benign' ? 'benign (flagged)' : familyOf(c.category)}`;
    const row = into.get(key) ?? { total: 0, hit: 0 };
    row.total++;
    if (detected(c.text).length) row.hit++;
    into.set(key, row);
  }
  return into;
}

// The red-team probes (corpus/redteam) were used to write rules.
const redteam = tally(readCases([REDTEAM_DIR]), () => '');
// The held-out probes (corpus/heldout): half A (odd ids) was read to write rules, half B (even ids) never was; later
// blind sets (corpus/heldout-c, ...) never were, except the halves named in READ_HALVES (odd ids read, even ids not).
const odd = (c: Case) => Number(c.id.split('-').pop()) % 2 === 1;
const heldout = tally(readCases([HELDOUT_DIR]), (c) => (odd(c) ? 'A ' : 'B '));
const READ_HALVES = new Set(['d']);
for (const dir of LATER_HELDOUT_DIRS) {
  const name = dir.split('-').pop()!;
  tally(readCases([dir]), (c) => (READ_HALVES.has(name) ? `${name.toUpperCase()}${odd(c) ? 1 : 2} ` : `${name.toUpperCase()} `), heldout);
}

const pct = (a: number, b: number) => (b ? (100 * a / b).toFixed(2) : '-');
const groups = new Map<string, { total: number; hit: number }>();
for (const [fam, row] of attacks) {
  const g = targetGroup(fam);
  const acc = groups.get(g) ?? { total: 0, hit: 0 };
  acc.total += row.total;
  acc.hit += row.hit;
  groups.set(g, acc);
}
let benignTotal = 0, benignFp = 0;
for (const row of benign.values()) { benignTotal += row.total; benignFp += row.fp; }
let evTotal = 0, evHit = 0;
for (const row of evasion.values()) { evTotal += row.total; evHit += row.hit; }

const report = {
  cases: cases.length,
  scan: { ms: Math.round(scanMs), mb: +(bytes / 1e6).toFixed(1) },
  recall: Object.fromEntries([...attacks].sort().map(([k, v]) => [k, { total: v.total, recall: +pct(v.hit, v.total), typed: +pct(v.typed, v.total) }])),
  groups: Object.fromEntries([...groups].map(([k, v]) => [k, +pct(v.hit, v.total)])),
  falsePositives: Object.fromEntries([...benign].sort().map(([k, v]) => [k, { total: v.total, fpr: +pct(v.fp, v.total), examples: v.examples }])),
  fprOverall: +pct(benignFp, benignTotal),
  evasion: Object.fromEntries([...evasion].map(([k, v]) => [k, { total: v.total, detected: +pct(v.hit, v.total) }])),
  evasionOverall: +pct(evHit, evTotal),
  redteam: Object.fromEntries([...redteam].sort().map(([k, v]) => [k, { total: v.total, detected: +pct(v.hit, v.total) }])),
  heldout: Object.fromEntries([...heldout].sort().map(([k, v]) => [k, { total: v.total, detected: +pct(v.hit, v.total) }])),
};

if (asJson) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(`kindly-guard eval: ${cases.length} cases, ${report.scan.mb} MB scanned in ${report.scan.ms} ms (a detection = severity >= medium)\n`);
  console.log('recall by family                total   recall%  typed%');
  for (const [k, v] of Object.entries(report.recall)) console.log(`  ${k.padEnd(28)} ${String(v.total).padStart(6)}  ${String(v.recall).padStart(7)}  ${String(v.typed).padStart(6)}`);
  console.log('\ntarget groups: ' + Object.entries(report.groups).map(([k, v]) => `${k} ${v}%`).join(', '));
  console.log('\nfalse positives by benign file   total   fpr%   examples');
  for (const [k, v] of Object.entries(report.falsePositives)) {
    console.log(`  ${k.padEnd(30)} ${String(v.total).padStart(6)}  ${String(v.fpr).padStart(5)}   ${v.examples.slice(0, 2).map((e) => `${e.id} ${e.types.join('+')}`).join('; ')}`);
  }
  console.log(`  overall benign FPR: ${report.fprOverall}%`);
  console.log('\nevasion (detected attacks, mutated)   total  still detected%');
  for (const [k, v] of Object.entries(report.evasion)) console.log(`  ${k.padEnd(34)} ${String(v.total).padStart(6)}  ${v.detected}`);
  console.log(`  overall: ${report.evasionOverall}%`);
  console.log('\nred-team probes (corpus/redteam: used to write rules, not unseen)   total  detected%');
  for (const [k, v] of Object.entries(report.redteam)) console.log(`  ${k.padEnd(34)} ${String(v.total).padStart(6)}  ${v.detected}`);
  console.log('\nheld-out probes (A, D1 read to write rules; B, D2 not; C never read)   total  detected%');
  for (const [k, v] of Object.entries(report.heldout)) console.log(`  ${k.padEnd(34)} ${String(v.total).padStart(6)}  ${v.detected}`);
  if (showMisses) {
    for (const [k, v] of attacks) for (const c of v.misses.slice(0, 8)) console.log(`MISS ${k} ${c.id} ${JSON.stringify(c.text).slice(0, 160)}`);
    for (const m of evasionMisses) console.log(`EVASION-MISS ${m.mutation} ${m.id}`);
  }
}
