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

// Bytes either side of a split that are read again: its line, at most this far.
const SHELL_WINDOW: u32 = 256;
const MAX_COVER: u32 = 2 * SHELL_WINDOW + 1;
const COVER = memory.data(<i32>(MAX_COVER * 4));
let coverCount: u32 = 0;

/** A quote at i between word bytes of input[from, to), with at most one more quote beside it (both quotes of "i''d"). */
function inWord(p: usize, i: u32, from: u32, to: u32): bool {
  let a = <i32>i - 1, b = i + 1;
  if (a >= <i32>from && isQuote(<u32>load<u8>(p + a))) a--;
  if (b < to && isQuote(<u32>load<u8>(p + b))) b++;
  return a >= <i32>from && b < to && isWord(<u32>load<u8>(p + a)) && isWord(<u32>load<u8>(p + b));
}

/**
 * The line around the split at `split` (at most SHELL_WINDOW bytes each side) without the quotes inside words, into
 * dst, with each byte's source offset in map (one more entry: the window's end); returns its length. When the split
 * word opens the line it is in command position: "; " goes in front, so "w'h'oami" alone reads as the command it runs
 * (a split word later in a sentence, "Type rock'n'roll", makes no command of "Type"). The removed quotes' offsets are
 * kept for shellCover (a finding must cover one).
 */
export function shellUnquote(p: usize, n: u32, split: u32, dst: usize, map: usize): u32 {
  let from = split, to = split;
  while (from > 0 && split - from < SHELL_WINDOW && load<u8>(p + from - 1) != 0x0a) from--;
  while (to < n && to - split < SHELL_WINDOW && load<u8>(p + to) != 0x0a) to++;
  let first = from;
  while (first < to && load<u8>(p + first) == 0x20) first++;
  let w = first;
  while (w < to && (isWord(<u32>load<u8>(p + w)) || isQuote(<u32>load<u8>(p + w)))) w++;
  let k: u32 = 0;
  if (split >= first && split < w) {
    store<u8>(dst, 0x3b); store<u8>(dst + 1, 0x20);
    store<u32>(map, first); store<u32>(map + 4, first);
    k = 2;
  }
  coverCount = 0;
  for (let i = from; i < to; i++) {
    const c = <u32>load<u8>(p + i);
    if (isQuote(c) && inWord(p, i, from, to)) {
      if (coverCount < MAX_COVER) { store<u32>(COVER + (<usize>coverCount << 2), i); coverCount++; }
      continue;
    }
    store<u8>(dst + k, <u8>c);
    store<u32>(map + (<usize>k << 2), i);
    k++;
  }
  store<u32>(map + (<usize>k << 2), to);
  return k;
}

/** How many quotes the last shellUnquote removed; their offsets are at shellCover(). */
export function shellCoverCount(): u32 { return coverCount; }
export function shellCover(): usize { return COVER; }

/**
 * A form-encoded value (no whitespace, a '=' and at least two '+' between other characters: "id=1+UNION+SELECT")
 * copied to dst with '+' read as a space; returns false (dst untouched beyond what was read) when the input is not one.
 */
export function formSpaces(p: usize, n: u32, dst: usize): bool {
  let plus: u32 = 0;
  let eq = false;
  for (let i: u32 = 0; i < n; i++) {
    const b = <u32>load<u8>(p + i);
    if (b == 0x20 || b == 0x0a || b == 0x09 || b == 0x0d) return false;
    if (b == 0x3d) eq = true;
    else if (b == 0x2b && i > 0 && i + 1 < n && load<u8>(p + i - 1) != 0x2b && load<u8>(p + i + 1) != 0x2b) plus++;
  }
  if (!eq || plus < 2) return false;
  for (let i: u32 = 0; i < n; i++) { const b = load<u8>(p + i); store<u8>(dst + i, b == 0x2b ? 0x20 : b); }
  return true;
}
