/**
 * Letter-spacing evasion ("i g n o r e", "i.g.n.o.r.e"): two or more one-letter tokens separated by the same
 * separator (the same one of space, newline . , - _ * / | + ~, with the same run width) are joined by turning the separators into
 * IGN bytes, so the matcher sees "ignore". A wider gap ends the run, so "i g n o r e   p r e v i o u s" stays two
 * words. The joined span is recorded (it is obfuscation). One pass; blocks without an isolated letter are skipped
 * 16 bytes at a time.
 */
import { emit, REC_SPACED } from './records';
import { IGN, isWordByte } from './normalize';

const MIN_RUN: u32 = 2;

let norm: usize = 0;
let n: u32 = 0;
// Separators of the current run not yet joined (the last one waits for the next letter).
const PENDING = memory.data(32); // 4 x (start u32, end u32)
let pending: u32 = 0;
let count: u32 = 0;
let width: u32 = 0;
let sepChar: u32 = 0;
let runStart: u32 = 0;
let runEnd: u32 = 0;

// @ts-ignore: decorator
@inline
function isLetter(c: u32): bool { return c >= 0x61 && c <= 0x7a; }
// @ts-ignore: decorator
@inline
function isSep(c: u32): bool {
  return c == 0x20 || c == 0x0a || c == 0x2e || c == 0x2d || c == 0x5f || c == 0x2a || c == 0x2f || c == 0x7c || c == 0x2b || c == 0x7e || c == 0x2c;
}

function endRun(): void {
  if (count >= MIN_RUN) emit(REC_SPACED, runStart, runEnd, count);
  count = 0;
  pending = 0;
}

function join(): void {
  for (let k: u32 = 0; k < pending; k++) {
    const s = load<u32>(PENDING + (<usize>k << 3));
    const e = load<u32>(PENDING + (<usize>k << 3), 4);
    for (let q = s; q < e; q++) store<u8>(norm + q, IGN);
  }
  pending = 0;
}

// @ts-ignore: decorator
@inline
function isolatedMask(p: usize): i32 {
  const v = v128.load(p);
  const a = i8x16.splat(0x61), z = i8x16.splat(0x7a);
  const letter = v128.and(i8x16.ge_u(v, a), i8x16.le_u(v, z));
  const prev = v128.load(p - 1), next = v128.load(p + 1);
  const wordPrev = v128.and(i8x16.ge_u(prev, a), i8x16.le_u(prev, z));
  const wordNext = v128.and(i8x16.ge_u(next, a), i8x16.le_u(next, z));
  return i8x16.bitmask(v128.andnot(v128.andnot(letter, wordPrev), wordNext));
}

/** Reads one byte before norm and 17 past a block: the caller's regions are padded. */
export function unspace(normPtr: usize, len: u32): void {
  norm = normPtr;
  n = len;
  count = 0;
  pending = 0;
  let p: u32 = 0;
  while (p < n) {
    if (count == 0 && p > 0 && p + 17 <= n) {
      // No run open: go straight to the block's first letter that might stand alone (the mask over-approximates).
      const m = isolatedMask(norm + p);
      if (m == 0) { p += 16; continue; }
      p += ctz<u32>(m);
    }
    const c = <u32>load<u8>(norm + p);
    if (c == IGN) { p++; continue; }
    if (!isLetter(c)) { if (count > 0) endRun(); p++; continue; }
    // A letter: is it a one-letter token?
    let q = p + 1;
    while (q < n && load<u8>(norm + q) == IGN) q++;
    if ((q < n && isWordByte(<u32>load<u8>(norm + q))) || (p > 0 && isWordByte(<u32>load<u8>(norm + p - 1)))) {
      if (count > 0) endRun();
      while (q < n && (isWordByte(<u32>load<u8>(norm + q)) || load<u8>(norm + q) == IGN)) q++;
      p = q;
      continue;
    }
    if (count == 0) runStart = p;
    count++;
    runEnd = q;
    if (count >= MIN_RUN) join();
    if (q >= n || !isSep(<u32>load<u8>(norm + q))) { endRun(); p = q; continue; }
    let r = q + 1;
    while (r < n && load<u8>(norm + r) == IGN) r++;
    const w = r - q;
    const sc = <u32>load<u8>(norm + q);
    if (count == 1) { width = w; sepChar = sc; }
    else if (w != width || sc != sepChar) { endRun(); p = r; continue; } // another gap: a word boundary
    if (pending < 4) {
      store<u32>(PENDING + (<usize>pending << 3), q);
      store<u32>(PENDING + (<usize>pending << 3), r, 4);
      pending++;
    }
    p = r;
  }
  if (count > 0) endRun();
}
