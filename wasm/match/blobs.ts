/**
 * Finds runs of 16+ base64/hex alphabet bytes (IGN bytes count as part of a run) in the normalized stream.
 * SIMD: a 16-byte block either continues a run whole, or only its leading and trailing runs can matter (a run
 * inside a block that is not all-alphabet is shorter than 16), so each block costs a few vector operations.
 */
import { emit, REC_BLOB } from '../records';

export const BLOB_MIN: u32 = 16;

// Alphabet membership by two 16-entry lookups (high and low nibble; a byte is in when their bit sets meet), instead
// of a dozen range compares per block. Bits: 1 "+-/" (0x2_), 2 digits and "=" (0x3_), 4 "_" and IGN (0x5f, 0xff),
// 8 a-o (0x61-0x6f), 16 p-z (0x70-0x7a). Verified against the plain definition for all 256 bytes in test/blobs.test.ts.
const HI_BITS = memory.data<u8>([0, 0, 1, 2, 0, 4, 8, 16, 0, 0, 0, 0, 0, 0, 0, 4]);
const LO_BITS = memory.data<u8>([2 | 16, 2 | 8 | 16, 2 | 8 | 16, 2 | 8 | 16, 2 | 8 | 16, 2 | 8 | 16, 2 | 8 | 16, 2 | 8 | 16,
  2 | 8 | 16, 2 | 8 | 16, 8 | 16, 1 | 8, 8, 1 | 2 | 8, 8, 1 | 4 | 8]);

// @ts-ignore: decorator
@inline
function alphabet(v: v128): i32 {
  const hi = i8x16.swizzle(v128.load(HI_BITS), i8x16.shr_u(v, 4));
  const lo = i8x16.swizzle(v128.load(LO_BITS), v128.and(v, i8x16.splat(0x0f)));
  return i8x16.bitmask(v128.not(i8x16.eq(v128.and(hi, lo), i8x16.splat(0))));
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
