/** SIMD prefilter: length of the run of "plain" ASCII at p that normalization may copy as-is (lowercased). */

// Plain: printable ASCII or a single space, except bytes that start an escape or a comment (% & \ /).
// @ts-ignore: decorator
@inline
function plainMask(v: v128, prev: v128): i32 {
  const printable = v128.and(i8x16.ge_u(v, i8x16.splat(0x20)), i8x16.le_u(v, i8x16.splat(0x7e)));
  const special = v128.or(
    v128.or(i8x16.eq(v, i8x16.splat(0x25)), i8x16.eq(v, i8x16.splat(0x26))),
    v128.or(i8x16.eq(v, i8x16.splat(0x5c)), i8x16.eq(v, i8x16.splat(0x2f))),
  );
  const space = i8x16.splat(0x20);
  const doubleSpace = v128.and(i8x16.eq(v, space), i8x16.eq(prev, space));
  return i8x16.bitmask(v128.andnot(printable, v128.or(special, doubleSpace)));
}

/**
 * Copies plain ASCII from src to dst (lowercased) 16 bytes at a time and returns how many bytes were plain.
 * Reads up to 16 bytes past the returned length and one byte before src: callers pad both sides.
 */
export function copyPlain(src: usize, dst: usize, max: usize): usize {
  let n: usize = 0;
  const upperA = i8x16.splat(0x41);
  const upperZ = i8x16.splat(0x5a);
  const caseBit = i8x16.splat(0x20);
  while (n + 16 <= max) {
    const v = v128.load(src + n);
    const prev = v128.load(src + n - 1);
    const upper = v128.and(i8x16.ge_u(v, upperA), i8x16.le_u(v, upperZ));
    v128.store(dst + n, v128.or(v, v128.and(upper, caseBit)));
    const mask = plainMask(v, prev);
    if (mask != 0xffff) return n + <usize>ctz<u32>(~mask);
    n += 16;
  }
  return n;
}
