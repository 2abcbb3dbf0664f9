/**
 * Words split by shell quoting ("w'h'oami", "pa\"ss\"wd", "w\\ho\\am\\i", "i''d"): a quote or backslash after a word
 * byte, then another quote (of any kind) within three word bytes, or an empty pair, then a word byte. The shell
 * drops such quotes, so the engine reads the input once more without them. A SIMD screen skips blocks with none.
 */

// @ts-ignore: decorator
@inline
function isQuote(c: u32): bool { return c == 0x27 || c == 0x22 || c == 0x5c; }

// @ts-ignore: decorator
@inline
function isWord(c: u32): bool {
  const l = c | 0x20;
  return (l >= 0x61 && l <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2f;
}

function splitAt(p: usize, i: u32, n: u32): bool {
  if (i == 0 || i + 2 >= n || !isWord(<u32>load<u8>(p + i - 1))) return false;
  const q = <u32>load<u8>(p + i);
  if (<u32>load<u8>(p + i + 1) == q) return isWord(<u32>load<u8>(p + i + 2)); // i''d
  let j = i + 1;
  while (j < n && j - i <= 3 && isWord(<u32>load<u8>(p + j))) j++;
  return j > i + 1 && j - i <= 4 && j + 1 < n && isQuote(<u32>load<u8>(p + j)) && isWord(<u32>load<u8>(p + j + 1));
}

// @ts-ignore: decorator
@inline
function quoteMask(p: usize): u32 {
  const v = v128.load(p);
  return i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, i8x16.splat(0x27)), i8x16.eq(v, i8x16.splat(0x22))), i8x16.eq(v, i8x16.splat(0x5c))));
}

/**
 * Where the first word split by shell quotes in input[0, n) has its first quote, or -1. Only a quote with another
 * within four bytes after it can start one, so prose (apostrophes far apart) never leaves the SIMD loop.
 */
export function shellSplit(p: usize, n: u32): i32 {
  let i: u32 = 0;
  let mask: u32 = n >= 16 ? quoteMask(p) : 0;
  while (i + 32 <= n) {
    const next = quoteMask(p + i + 16);
    const both = mask | (next << 16);
    let pairs = mask & ((both >> 1) | (both >> 2) | (both >> 3) | (both >> 4));
    while (pairs != 0) {
      if (splitAt(p, i + ctz<u32>(pairs), n)) return <i32>(i + ctz<u32>(pairs));
      pairs &= pairs - 1;
    }
    mask = next;
    i += 16;
  }
  // The last block or two, byte by byte.
  for (; i < n; i++) if (isQuote(<u32>load<u8>(p + i)) && splitAt(p, i, n)) return <i32>i;
  return -1;
}
