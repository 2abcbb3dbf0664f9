/**
 * Repeated-token floods: a stretch of the normalized stream that repeats one short unit ("ö ö ö ...", ") ] } ) ] }",
 * "artisanlibartisanlib...") over and over, a way to push a model's instructions out of its attention. Sampled, so
 * prose pays a few vector operations per 64 bytes: each 64-byte stride is compared with itself shifted by each
 * candidate period (1 to 32 bytes back, where the stride's first three bytes recur: three SIMD compares), smallest
 * first. Consecutive strides that repeat with the same period make one record (extra = the period), two broken
 * strides tolerated; the engine widens it to the exact span and decides which units count (engine/detectors/floods.ts).
 */
import { emit, REC_FLOOD } from '../records';

const STRIDE: u32 = 64;
const MAX_PERIOD: u32 = 32;
/** Two strides: a flood is at least 128 bytes; the engine also asks for many copies of its unit. */
const MIN_STRIDES: u32 = 2;

// @ts-ignore: decorator
@inline
function sameStride(a: usize, b: usize): bool {
  const e0 = v128.and(i8x16.eq(v128.load(a), v128.load(b)), i8x16.eq(v128.load(a, 16), v128.load(b, 16)));
  const e1 = v128.and(i8x16.eq(v128.load(a, 32), v128.load(b, 32)), i8x16.eq(v128.load(a, 48), v128.load(b, 48)));
  return i8x16.all_true(v128.and(e0, e1));
}

/** Bit k set: the byte at q equals the one 32 - k positions before it. */
// @ts-ignore: decorator
@inline
function backMatches(q: usize): u32 {
  const c = i8x16.splat(load<u8>(q));
  return (<u32>i8x16.bitmask(i8x16.eq(v128.load(q - 16), c)) << 16) | <u32>i8x16.bitmask(i8x16.eq(v128.load(q - 32), c));
}

/** The smallest period (1..32) the stride at i repeats with, or 0. Reads 32 bytes before i and 64 from i. */
function periodAt(norm: usize, i: u32): u32 {
  const p0 = norm + i;
  // Candidates from the first byte that starts a character: ignored bytes (the tails of multi-byte characters)
  // match many positions back in any non-ASCII text and would each cost a verification.
  let q = p0;
  while (q < p0 + 8 && load<u8>(q) == 0xff) q++;
  // Bit k set: the three bytes from q equal those 32 - k positions before (bit 31 is one back: period 1). Three
  // bytes, not one: a space or a common letter recurs a few times in any 32 bytes of prose, each a wasted verification.
  const mask = backMatches(q) & backMatches(q + 1) & backMatches(q + 2);
  let m = mask;
  while (m != 0) {
    const k = 31 - clz<u32>(m);
    const p = MAX_PERIOD - k;
    if (sameStride(p0, p0 - p)) return p;
    m &= ~(<u32>1 << k);
  }
  return 0;
}

let runStart: u32 = 0;
let runEnd: u32 = 0;
let runPeriod: u32 = 0;
let strides: u32 = 0;

function close(): void {
  if (strides >= MIN_STRIDES) emit(REC_FLOOD, runStart - runPeriod, runEnd, runPeriod);
}

export function findFloods(norm: usize, n: u32): void {
  runPeriod = 0;
  strides = 0;
  let missed: u32 = 0;
  for (let i: u32 = MAX_PERIOD; i + STRIDE <= n; i += STRIDE) {
    const p = periodAt(norm, i);
    if (p >= 2 && p == runPeriod) { strides++; runEnd = i + STRIDE; missed = 0; continue; }
    // A stray "] )" among ") ] }" breaks the stride it is in and the next (compared with it shifted): a flood goes on
    // across two broken strides, not three.
    if (strides > 0 && missed < 2) { missed++; continue; }
    close();
    runPeriod = p;
    runStart = i;
    runEnd = i + STRIDE;
    strides = p >= 2 ? 1 : 0; // period 1 is a run of one byte: rules, padding, "aaaa"
    missed = 0;
  }
  close();
}
