/**
 * Letter-spacing evasion ("i g n o r e", "i.g.n.o.r.e"): two or more one-letter tokens separated by the same
 * separator (the same one of space, newline . , - _ * / | + ~, with the same run width) are joined by turning the separators into
 * IGN bytes, so the matcher sees "ignore". A wider gap ends the run, so "i g n o r e   p r e v i o u s" stays two
 * words. The joined span is recorded (it is obfuscation). One pass; blocks where no run can start are skipped
 * 32 bytes at a time.
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

/** Bits of the 16 bytes at p that are a-z: one add and one signed compare (a-z shifted to the bottom of i8). */
// @ts-ignore: decorator
@inline
function letterBits(p: usize): u32 {
  const shifted = i8x16.add(v128.load(p), i8x16.splat(<i8>(0x80 - 0x61)));
  return <u32>i8x16.bitmask(i8x16.lt_s(shifted, i8x16.splat(<i8>(-0x80 + 26))));
}

/** Bits of the 16 bytes at p that are IGN. */
// @ts-ignore: decorator
@inline
function ignBits(p: usize): u32 {
  return <u32>i8x16.bitmask(i8x16.eq(v128.load(p), i8x16.splat(<i8>IGN)));
}

/** Bits of the 16 bytes at p that are digits 0-7 (leetspeak writes 0 1 3 4 5 7 for letters). */
// @ts-ignore: decorator
@inline
function lowDigitBits(p: usize): u32 {
  const shifted = i8x16.add(v128.load(p), i8x16.splat(<i8>(0x80 - 0x30)));
  return <u32>i8x16.bitmask(i8x16.lt_s(shifted, i8x16.splat(<i8>(-0x80 + 8))));
}

// Digits between two letters seen by runStarts ("pr3v10us"): the engine then makes a leetspeak reading
// (wasm/decode/leet.ts). A byproduct of the letter masks this pass computes anyway.
let leetBits: u64 = 0;

/**
 * Bits of the 32 bytes at p where a run of one-letter tokens may start: a letter standing alone (no letter on either
 * side) whose next token two bytes on is one too, or with an IGN byte right after it or after its separator (the
 * scalar path measures gaps through IGN bytes). Anything else is a lone "a" or "I", which joins nothing. Reads 48
 * bytes from p (the region after the normalized stream is padded); bits past the end are cleared.
 */
// @ts-ignore: decorator
@inline
function runStarts(p: u32): u32 {
  const at = norm + p;
  let m = <u64>letterBits(at) | (<u64>letterBits(at + 16) << 16) | (<u64>letterBits(at + 32) << 32);
  let g = <u64>ignBits(at) | (<u64>ignBits(at + 16) << 16) | (<u64>ignBits(at + 32) << 32);
  // Past the end is no letter and no IGN (the bytes there are stale); before the start, nothing.
  if (p + 48 > n) { const valid = (<u64>1 << <u64>(n - p)) - 1; m &= valid; g &= valid; }
  const digits = <u64>lowDigitBits(at) | (<u64>lowDigitBits(at + 16) << 16) | (<u64>lowDigitBits(at + 32) << 32);
  leetBits |= digits & (m << 1) & (m >> 1);
  const before = p == 0 ? <u64>0 : <u64>isLetter(<u32>load<u8>(at - 1));
  const alone = m & ~((m << 1) | before) & ~(m >> 1);
  return <u32>(alone & ((alone >> 2) | (g >> 1) | (g >> 2)));
}

/**
 * Whether the real character before p is a word byte: ignored bytes are the tails of the character before them
 * ("â" is "a" then IGN), so "dâi" has no one-letter "i". Each run of ignored bytes is walked back over by the
 * letter right after it only: linear.
 */
function wordBefore(p: u32): bool {
  let j = <i32>p - 1;
  while (j >= 0 && load<u8>(norm + j) == IGN) j--;
  return j >= 0 && isWordByte(<u32>load<u8>(norm + j));
}

/** Reads up to 47 bytes past a block's start: the normalized region is followed by padding and then more memory. */
export function unspace(normPtr: usize, len: u32): void {
  norm = normPtr;
  n = len;
  count = 0;
  pending = 0;
  leetBits = 0;
  let p: u32 = 0;
  while (p < n) {
    if (count == 0 && p + 32 <= n) {
      // No run open: go straight to the block's first place a run may start (the mask over-approximates).
      const m = runStarts(p);
      if (m == 0) { p += 32; continue; }
      p += ctz<u32>(m);
    }
    const c = <u32>load<u8>(norm + p);
    if (c == IGN) { p++; continue; }
    if (!isLetter(c)) { if (count > 0) endRun(); p++; continue; }
    // A letter: is it a one-letter token?
    let q = p + 1;
    while (q < n && load<u8>(norm + q) == IGN) q++;
    if ((q < n && isWordByte(<u32>load<u8>(norm + q))) || wordBefore(p)) {
      if (count > 0) endRun();
      // A word the blocks may not have covered (after a long spaced run): its digits between letters count too.
      while (q < n && (isWordByte(<u32>load<u8>(norm + q)) || load<u8>(norm + q) == IGN)) {
        const c = <u32>load<u8>(norm + q);
        if (c >= 0x30 && c <= 0x37 && q > 0 && q + 1 < n && isLetter(<u32>load<u8>(norm + q - 1)) && isLetter(<u32>load<u8>(norm + q + 1))) leetBits = 1;
        q++;
      }
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
  // The tail the 32-byte blocks did not reach.
  if (leetBits == 0) for (let i = n > 32 ? n - 32 : 1; i + 1 < n; i++) {
    const c = <u32>load<u8>(norm + i);
    if (c >= 0x30 && c <= 0x37 && isLetter(<u32>load<u8>(norm + i - 1)) && isLetter(<u32>load<u8>(norm + i + 1))) { leetBits = 1; break; }
  }
}

/** Whether the last unspace saw a digit between two letters (a leetspeak word may be there). */
export function sawLeet(): bool { return leetBits != 0; }
