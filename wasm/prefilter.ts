/**
 * SIMD prefilter: copies the run of "plain" ASCII at src into the normalized stream 16 bytes at a time and returns
 * its length. Plain: printable ASCII and single whitespace bytes; not % & \ (escapes), not "/*" (comments), not two
 * whitespace bytes in a row (runs collapse in the scalar path). Tab becomes a space and CR a newline, as there.
 */

// @ts-ignore: decorator
@inline
function isWs(v: v128): v128 {
  return v128.or(v128.or(i8x16.eq(v, i8x16.splat(0x20)), i8x16.eq(v, i8x16.splat(0x0a))),
    v128.or(i8x16.eq(v, i8x16.splat(0x09)), i8x16.eq(v, i8x16.splat(0x0d))));
}

/**
 * Reads one byte before src and one byte past each block: callers pad both sides.
 * Returns how many leading bytes were plain (the stores beyond that are overwritten by the scalar path).
 */
export function copyPlain(src: usize, dst: usize, max: usize): usize {
  let n: usize = 0;
  while (n + 16 <= max) {
    const v = v128.load(src + n);
    const prev = v128.load(src + n - 1);
    const next = v128.load(src + n + 1);
    const ws = isWs(v);
    const printable = v128.and(i8x16.ge_u(v, i8x16.splat(0x20)), i8x16.le_u(v, i8x16.splat(0x7e)));
    const special = v128.or(
      v128.or(i8x16.eq(v, i8x16.splat(0x25)), i8x16.eq(v, i8x16.splat(0x26))),
      v128.or(i8x16.eq(v, i8x16.splat(0x5c)), v128.and(i8x16.eq(v, i8x16.splat(0x2f)), i8x16.eq(next, i8x16.splat(0x2a)))),
    );
    const bad = v128.or(special, v128.and(ws, isWs(prev)));
    const mask = i8x16.bitmask(v128.andnot(v128.or(printable, ws), bad));
    // Lowercase A-Z, tab -> space, CR -> LF.
    const upper = v128.and(i8x16.ge_u(v, i8x16.splat(0x41)), i8x16.le_u(v, i8x16.splat(0x5a)));
    let out = v128.or(v, v128.and(upper, i8x16.splat(0x20)));
    out = v128.bitselect(i8x16.splat(0x20), out, i8x16.eq(v, i8x16.splat(0x09)));
    out = v128.bitselect(i8x16.splat(0x0a), out, i8x16.eq(v, i8x16.splat(0x0d)));
    v128.store(dst + n, out);
    if (mask != 0xffff) return n + <usize>ctz<u32>(~mask);
    n += 16;
  }
  return n;
}
