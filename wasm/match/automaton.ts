/**
 * Runs the generated DFA over the normalized stream: one table lookup per byte, IGN bytes loop in place.
 * Reports each pattern end as a record with the pattern's span in original offsets.
 */
import { emit, REC_PATTERN, lastIndex, recordEnd, extendRecord } from '../records';
import { IGN, OTHER_LETTER } from '../normalize';

// Header word indexes of the automaton blob built by engine/patterns/compile.ts.
const H_CLASSES = 2;
const H_ACCEPT_START = 3;
const H_START = 4;
const H_CLASS_MAP = 6;
const H_TRANS = 7;
const H_ACCEPT_INDEX = 8;
const H_ACCEPT_LIST = 9;
const H_PATTERN_META = 10;
const H_MAX_LEN = 14;


let norm: usize = 0;
let src: usize = 0;
let normLen: u32 = 0;
let auto: usize = 0;

// @ts-ignore: decorator
@inline
function hdr(k: i32): u32 { return load<u32>(auto + (<usize>k << 2)); }

// @ts-ignore: decorator
@inline
function isWord(c: u8): bool {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x5f || c == OTHER_LETTER;
}

/** Anchor check on the nearest real byte at or beyond p, walking by step (IGN bytes are skipped). */
function anchorOk(kind: u32, p: i32, step: i32): bool {
  if (kind == 0) return true;
  let guard = 0;
  while (p >= 0 && <u32>p < normLen && load<u8>(norm + p) == IGN && guard < 64) { p += step; guard++; }
  if (p < 0 || <u32>p >= normLen) return true;
  if (kind == 2) return false; // text edge: only IGN bytes may lie between the match and the edge
  const c = load<u8>(norm + p);
  return kind == 1 ? !isWord(c) : c == 0x0a || c == 0x01; // a line starts after a newline, encoded or not
}

/** Finds the span of a pattern whose last byte is at `last`, checks its anchors, and records it. */
function report(id: u32, last: i32, stream: u32): void {
  const meta = load<u32>(auto + hdr(H_PATTERN_META) + (<usize>id << 2));
  const plen = meta & 0xff;
  let start = last;
  let seen: u32 = 1;
  let guard = 0;
  while (seen < plen && start > 0 && guard < 4096) {
    start--;
    guard++;
    if (load<u8>(norm + start) != IGN) seen++;
  }
  // Extend over the rest of the last character: UTF-8 continuation bytes or the tail of an escape (%2e, &#x27;),
  // never into a following character (its lead byte is >= 0xC0, or it is not IGN).
  let end = last + 1;
  while (<u32>end < normLen && load<u8>(norm + end) == IGN && load<u8>(src + end) < 0xc0 && end - last < 16) end++;
  if (!anchorOk((meta >> 8) & 3, start - 1, -1) || !anchorOk((meta >> 10) & 3, end, 1)) return;
  if (<u32>start >= reportFrom) return; // the next stream reports it
  // A flood of one pattern (100 000 decoded NULs, "../../../...") becomes one record per run: a hit that starts where
  // the previous hit of the same variant ended (or after IGN bytes only) extends that record.
  const slot = LAST + ((<usize>id << 2 | <usize>stream) << 3); // per stream: the four streams interleave their hits
  if (load<u32>(slot) == generation) {
    const k = load<u32>(slot, 4);
    const prevEnd = recordEnd(k);
    // Overlapping, touching, or separated only by spaces and IGN bytes: one run. Any other byte in between keeps
    // the hits apart (");" and "d;" in "a);id;" frame a command a rule must still see).
    if (<u32>start <= prevEnd) { if (prevEnd < <u32>end) extendRecord(k, <u32>end); return; }
    if (<u32>start - prevEnd <= 32) {
      let gap = true;
      for (let q = prevEnd; q < <u32>start; q++) { const c = load<u8>(norm + q); if (c != IGN && c != 0x20) { gap = false; break; } }
      if (gap) { extendRecord(k, <u32>end); return; }
    }
  }
  emit(REC_PATTERN | id, <u32>start, <u32>end, 0);
  const k = lastIndex();
  if (k >= 0) { store<u32>(slot, generation); store<u32>(slot, <u32>k, 4); }
}

function accept(state: u32, last: i32, stream: u32): void {
  const classes = hdr(H_CLASSES);
  const idx = state / classes - hdr(H_ACCEPT_START);
  const listOff = load<u32>(auto + hdr(H_ACCEPT_INDEX) + (<usize>idx << 2));
  const list = auto + hdr(H_ACCEPT_LIST) + (<usize>listOff << 2);
  const count = load<u32>(list);
  for (let k: u32 = 0; k < count; k++) report(load<u32>(list + 4 + (<usize>k << 2)), last, stream);
}

/** Overrun of a stream past its segment: only matches starting before `reportFrom` are new (the next stream sees the rest). */
let reportFrom: u32 = 0xffffffff;

// Per variant: (scan generation, index of its last record); a new generation per scan makes stale slots harmless.
const MAX_VARIANTS: u32 = 16384; // engine/patterns/compile.ts refuses more
const LAST = memory.data(<i32>(MAX_VARIANTS * 4 * 8));
let generation: u32 = 0;

// @ts-ignore: decorator
@inline
function step(s: u32, i: u32, classMap: usize, trans: usize, acceptFrom: u32, stream: u32): u32 {
  const k = <u32>load<u8>(classMap + <usize>load<u8>(norm + i));
  const next = load<u32>(trans + (<usize>(s + k) << 2));
  // Class 0 is IGN: it loops in place, so an accepting state would fire again on every ignored byte.
  if (next >= acceptFrom && k != 0) accept(next, <i32>i, stream);
  return next;
}

/**
 * Runs the automaton over four segments at once: one stream per segment, interleaved, so four independent
 * load chains are in flight instead of one (the table lookup's latency, not the work, bounds a lone DFA).
 * Each stream then runs on past its segment end for the longest pattern's length, reporting only matches that began
 * in its own segment; after that the next stream has seen everything those could need.
 */
export function matchAll(input: usize, normPtr: usize, n: u32, autoPtr: usize): void {
  src = input;
  norm = normPtr;
  normLen = n;
  auto = autoPtr;
  const classMap = auto + hdr(H_CLASS_MAP);
  const trans = auto + hdr(H_TRANS);
  const acceptFrom = hdr(H_ACCEPT_START) * hdr(H_CLASSES);
  const start = hdr(H_START);
  reportFrom = 0xffffffff;
  generation++;
  if (generation == 0) { memory.fill(LAST, 0, <usize>(MAX_VARIANTS * 4 * 8)); generation = 1; }
  // Below 256 bytes the overruns would cost what the interleaving saves (measured: even at 200 B, 8% faster at 512 B).
  if (n < 256) {
    let s = start;
    for (let i: u32 = 0; i < n; i++) s = step(s, i, classMap, trans, acceptFrom, 0);
    return;
  }
  const seg = (n + 3) >> 2;
  const b1 = seg, b2 = seg * 2, b3 = seg * 3;
  const len3 = n - b3;
  let s0 = start, s1 = start, s2 = start, s3 = start;
  for (let t: u32 = 0; t < len3; t++) {
    s0 = step(s0, t, classMap, trans, acceptFrom, 0);
    s1 = step(s1, b1 + t, classMap, trans, acceptFrom, 1);
    s2 = step(s2, b2 + t, classMap, trans, acceptFrom, 2);
    s3 = step(s3, b3 + t, classMap, trans, acceptFrom, 3);
  }
  for (let t = len3; t < seg; t++) {
    s0 = step(s0, t, classMap, trans, acceptFrom, 0);
    s1 = step(s1, b1 + t, classMap, trans, acceptFrom, 1);
    s2 = step(s2, b2 + t, classMap, trans, acceptFrom, 2);
  }
  overrun(s0, b1, classMap, trans, acceptFrom, 0);
  overrun(s1, b2, classMap, trans, acceptFrom, 1);
  overrun(s2, b3, classMap, trans, acceptFrom, 2);
  reportFrom = 0xffffffff;
}

function overrun(s: u32, from: u32, classMap: usize, trans: usize, acceptFrom: u32, stream: u32): void {
  reportFrom = from;
  const maxLen = hdr(H_MAX_LEN);
  let chars: u32 = 0;
  let guard: u32 = 0;
  // Bounded: the longest pattern in characters, and a cap on IGN bytes in between.
  for (let i = from; i < normLen && chars <= maxLen && guard < 4096; i++) {
    if (load<u8>(norm + i) != IGN) chars++; else guard++;
    s = step(s, i, classMap, trans, acceptFrom, stream);
  }
}
