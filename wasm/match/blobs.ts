/**
 * Finds runs of 16+ base64/hex alphabet bytes (IGN bytes count as part of a run) in the normalized stream.
 * SIMD: a 16-byte block either continues a run whole, or only its leading and trailing runs can matter (a run
 * inside a block that is not all-alphabet is shorter than 16), so each block costs a few vector operations.
 */
import { emit, REC_BLOB } from '../records';

export const BLOB_MIN: u32 = 16;

// @ts-ignore: decorator
@inline
function alphabet(v: v128): i32 {
  const lower = v128.and(i8x16.ge_u(v, i8x16.splat(0x61)), i8x16.le_u(v, i8x16.splat(0x7a)));
  const digit = v128.and(i8x16.ge_u(v, i8x16.splat(0x30)), i8x16.le_u(v, i8x16.splat(0x39)));
  const sym = v128.or(
    v128.or(i8x16.eq(v, i8x16.splat(0x2b)), i8x16.eq(v, i8x16.splat(0x2f))),
    v128.or(v128.or(i8x16.eq(v, i8x16.splat(0x3d)), i8x16.eq(v, i8x16.splat(0x2d))),
      v128.or(i8x16.eq(v, i8x16.splat(0x5f)), i8x16.eq(v, i8x16.splat(-1)))), // -1 = IGN (0xff)
  );
  return i8x16.bitmask(v128.or(v128.or(lower, digit), sym));
}

// @ts-ignore: decorator
@inline
function isAlphabet(c: u32): bool {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2b || c == 0x2f || c == 0x3d || c == 0x2d || c == 0x5f || c == 0xff;
}

let base: usize = 0;

/** A run never starts on an IGN byte (that would be the middle of the previous character). */
function report(start: u32, end: u32, len: u32): void {
  while (start < end && load<u8>(base + start) == 0xff) start++;
  if (end - start >= BLOB_MIN) emit(REC_BLOB, start, end, len);
}

export function findBlobs(norm: usize, n: u32): void {
  base = norm;
  let run: u32 = 0;
  let runStart: u32 = 0;
  let i: u32 = 0;
  for (; i + 16 <= n; i += 16) {
    const m = <u32>alphabet(v128.load(norm + i));
    if (m == 0xffff) {
      if (run == 0) runStart = i;
      run += 16;
      continue;
    }
    const lead = ctz<u32>(~m);
    if (run + lead >= BLOB_MIN && run > 0) report(runStart, i + lead, run + lead);
    const trail = clz<u32>(~m << 16); // ones at the top: the block's last bytes
    run = trail;
    runStart = i + 16 - trail;
  }
  for (; i < n; i++) {
    if (isAlphabet(<u32>load<u8>(norm + i))) { if (run == 0) runStart = i; run++; }
    else { if (run >= BLOB_MIN) report(runStart, i, run); run = 0; }
  }
  if (run >= BLOB_MIN) report(runStart, n, run);
}
