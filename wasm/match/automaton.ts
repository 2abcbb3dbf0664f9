/**
 * Runs the generated DFA over the normalized stream: one table lookup per byte, IGN bytes loop in place.
 * Reports each pattern end as a record with the pattern's span in original offsets.
 */
import { emit, REC_PATTERN, lastIndex, recordEnd, extendRecord } from '../records';
import { IGN, isWordByte } from '../normalize';

// Header word indexes of the automaton blob built by engine/patterns/compile.ts.
const H_ACCEPT_START = 3;
const H_START = 4;
const H_CLASS_MAP = 6;
const H_TRANS = 7;
const H_ACCEPT_LIST = 9;
const H_PATTERN_META = 10;
const H_ROW_BYTES = 12;


let norm: usize = 0;
let src: usize = 0;
let normLen: u32 = 0;
let auto: usize = 0;

// @ts-ignore: decorator
@inline
function hdr(k: i32): u32 { return load<u32>(auto + (<usize>k << 2)); }

/**
 * The nearest byte at or before p that is not IGN (or -1): the matcher's view of "the previous character". Not
 * bounded: a stream may start deep inside a run of 10 000 invisible characters, and a bound would cost it the word
 * boundary before them. Each of the eight streams walks back at most once per scan, so the work stays linear.
 */
function prevReal(p: i32): i32 {
  while (p >= 0 && load<u8>(norm + p) == IGN) p--;
  return p;
}

/** Trailing anchor check on the nearest real byte at or beyond p (IGN bytes are skipped): 1 word boundary, 2 end of text. */
function trailOk(kind: u32, p: i32): bool {
  if (kind == 0) return true;
  let guard = 0;
  while (<u32>p < normLen && load<u8>(norm + p) == IGN && guard < 64) { p++; guard++; }
  if (<u32>p >= normLen) return true;
  return kind == 1 && !isWordByte(load<u8>(norm + p));
}

/**
 * Finds the span of a pattern whose last byte is at `last`, checks its trailing anchor, and records it. A leading
 * anchor was consumed by the automaton (before the pattern's own characters, which the span covers).
 */
function report(id: u32, last: i32, stream: u32): void {
  const meta = load<u32>(auto + hdr(H_PATTERN_META) + (<usize>id << 2));
  const plen = meta & 0xff;
  if (!trailOk((meta >> 10) & 3, last + 1)) return;
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
  // Each stream reports the matches that start in its own segment: its overrun and its first byte see others. A
  // match padded with more than 4096 ignored bytes ("ign" + 5000 combining marks + "ore") has a clipped start: only
  // the stream that began it can have seen it whole, so it reports it wherever the clipped start fell.
  const clipped = seen < plen && start > 0;
  if (!clipped && (<u32>start >= reportFrom || <u32>start < load<u32>(SEGMENT + (<usize>stream << 2)))) return;
  // A flood of one pattern (100 000 decoded NULs, "../../../...") becomes one record per run: a hit that starts where
  // the previous hit of the same variant ended (or after IGN bytes only) extends that record.
  const gid = id + idBase; // the catalogue's variant number (the native automaton's follow the main one's)
  const slot = LAST + ((<usize>gid << 3 | <usize>stream) << 3); // per stream: the streams interleave their hits
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
  emit(REC_PATTERN | gid, <u32>start, <u32>end, 0);
  const k = lastIndex();
  if (k >= 0) { store<u32>(slot, generation); store<u32>(slot, <u32>k, 4); }
}

/** A row's last word, after its classes: accept list offset (low 24 bits) and depth (high 8). */
// @ts-ignore: decorator
@inline
function rowInfo(state: u32): u32 { return load<u32>(auto + hdr(H_TRANS) + <usize>state + <usize>hdr(H_ROW_BYTES) - 4); }

function accept(state: u32, last: i32, stream: u32): void {
  // IGN loops in place: an accepting state would fire again on every ignored byte after the match.
  if (load<u8>(norm + last) == IGN) return;
  const list = auto + hdr(H_ACCEPT_LIST) + (<usize>(rowInfo(state) & 0xffffff) << 2);
  const head = load<u32>(list);
  // The list's shared trailing check, once: most hits on prose are words inside longer words ("show" in "shows").
  if (!trailOk(head >> 16, last + 1)) return;
  const count = head & 0xffff;
  for (let k: u32 = 0; k < count; k++) report(load<u32>(list + 4 + (<usize>k << 2)), last, stream);
}

let reportFrom: u32 = 0xffffffff;
let idBase: u32 = 0;

// Per variant: (scan generation, index of its last record); a new generation per scan makes stale slots harmless.
const MAX_VARIANTS: u32 = 16384; // engine/patterns/compile.ts refuses more
const LAST = memory.data(<i32>(MAX_VARIANTS * 8 * 8));
let generation: u32 = 0;

// @ts-ignore: decorator
@inline
function step(s: u32, i: u32, classMap: usize, trans: usize, acceptFrom: u32, stream: u32): u32 {
  const next = load<u32>(trans + <usize>s + <usize>load<u16>(classMap + (<usize>load<u8>(norm + i) << 1)));
  if (next >= acceptFrom) accept(next, <i32>i, stream);
  return next;
}

// A byte the normalizer never writes, fed before the text so that a leading ^, \b or \L is an automaton element.
const BYTE_BEGIN: u8 = 0x02;
// Per stream: the first offset it reports matches from.
const SEGMENT = memory.data(32);

// @ts-ignore: decorator
@inline
function feed(s: u32, b: u8, classMap: usize, trans: usize): u32 {
  return load<u32>(trans + <usize>s + <usize>load<u16>(classMap + (<usize>b << 1)));
}

/** The state a stream starting at `from` begins in: the start state after the character before `from` (or BEGIN). */
function entry(from: u32, classMap: usize, trans: usize, start: u32): u32 {
  const p = from == 0 ? -1 : prevReal(<i32>from - 1);
  return feed(start, p < 0 ? BYTE_BEGIN : load<u8>(norm + p), classMap, trans);
}

const STREAMS: u32 = 8;

/**
 * Runs the automaton over eight segments at once: one stream per segment, interleaved, so eight independent
 * load chains are in flight instead of one (the table lookup's latency, not the work, bounds a lone DFA).
 * Each stream begins in the state after its segment's previous character and then runs on past its segment end
 * until no partial match it tracks began in its segment (the state's depth says how far back its longest one
 * began); the next stream sees everything else.
 */
export function matchAll(input: usize, normPtr: usize, n: u32, autoPtr: usize, base: u32 = 0): void {
  idBase = base;
  src = input;
  norm = normPtr;
  normLen = n;
  auto = autoPtr;
  const classMap = auto + hdr(H_CLASS_MAP);
  const trans = auto + hdr(H_TRANS);
  const acceptFrom = hdr(H_ACCEPT_START) * hdr(H_ROW_BYTES);
  const start = hdr(H_START);
  reportFrom = 0xffffffff;
  generation++;
  if (generation == 0) { memory.fill(LAST, 0, <usize>(MAX_VARIANTS * STREAMS * 8)); generation = 1; }
  store<u32>(SEGMENT, 0);
  // Short inputs: one stream (the entries and overruns would cost what the interleaving saves).
  if (n < 256) {
    let s = entry(0, classMap, trans, start);
    for (let i: u32 = 0; i < n; i++) s = step(s, i, classMap, trans, acceptFrom, 0);
    return;
  }
  const seg = (n + STREAMS - 1) / STREAMS;
  for (let k: u32 = 1; k < STREAMS; k++) store<u32>(SEGMENT + (<usize>k << 2), seg * k);
  const b1 = seg, b2 = seg * 2, b3 = seg * 3, b4 = seg * 4, b5 = seg * 5, b6 = seg * 6, b7 = seg * 7;
  const len7 = n - b7;
  let s0 = entry(0, classMap, trans, start), s1 = entry(b1, classMap, trans, start);
  let s2 = entry(b2, classMap, trans, start), s3 = entry(b3, classMap, trans, start);
  let s4 = entry(b4, classMap, trans, start), s5 = entry(b5, classMap, trans, start);
  let s6 = entry(b6, classMap, trans, start), s7 = entry(b7, classMap, trans, start);
  for (let t: u32 = 0; t < len7; t++) {
    s0 = step(s0, t, classMap, trans, acceptFrom, 0);
    s1 = step(s1, b1 + t, classMap, trans, acceptFrom, 1);
    s2 = step(s2, b2 + t, classMap, trans, acceptFrom, 2);
    s3 = step(s3, b3 + t, classMap, trans, acceptFrom, 3);
    s4 = step(s4, b4 + t, classMap, trans, acceptFrom, 4);
    s5 = step(s5, b5 + t, classMap, trans, acceptFrom, 5);
    s6 = step(s6, b6 + t, classMap, trans, acceptFrom, 6);
    s7 = step(s7, b7 + t, classMap, trans, acceptFrom, 7);
  }
  for (let t = len7; t < seg; t++) {
    s0 = step(s0, t, classMap, trans, acceptFrom, 0);
    s1 = step(s1, b1 + t, classMap, trans, acceptFrom, 1);
    s2 = step(s2, b2 + t, classMap, trans, acceptFrom, 2);
    s3 = step(s3, b3 + t, classMap, trans, acceptFrom, 3);
    s4 = step(s4, b4 + t, classMap, trans, acceptFrom, 4);
    s5 = step(s5, b5 + t, classMap, trans, acceptFrom, 5);
    s6 = step(s6, b6 + t, classMap, trans, acceptFrom, 6);
  }
  overrun(s0, b1, classMap, trans, acceptFrom, 0);
  overrun(s1, b2, classMap, trans, acceptFrom, 1);
  overrun(s2, b3, classMap, trans, acceptFrom, 2);
  overrun(s3, b4, classMap, trans, acceptFrom, 3);
  overrun(s4, b5, classMap, trans, acceptFrom, 4);
  overrun(s5, b6, classMap, trans, acceptFrom, 5);
  overrun(s6, b7, classMap, trans, acceptFrom, 6);
  reportFrom = 0xffffffff;
}

/** Overrun of a stream past its segment: only matches starting before `reportFrom` are new (the next stream sees the rest). */
function overrun(s: u32, from: u32, classMap: usize, trans: usize, acceptFrom: u32, stream: u32): void {
  reportFrom = from;
  let chars: u32 = 0;
  // Bounded by the depth of the tracked partial matches (at most 255 characters); IGN bytes in between are walked
  // through, as one pass would (each byte is overrun by at most the seven streams before it: linear).
  for (let i = from; i < normLen; i++) {
    if ((rowInfo(s) >> 24) <= chars) return;
    if (load<u8>(norm + i) != IGN) chars++;
    s = step(s, i, classMap, trans, acceptFrom, stream);
  }
}
