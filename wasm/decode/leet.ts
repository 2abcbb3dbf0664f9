/**
 * Leetspeak: digits written for letters ("1gn0r3 4ll pr3v10us 1nstruct10ns"). The letter-spacing pass notes digits
 * between letters (wasm/unspace.ts sawLeet); then deLeet makes a reading with them turned back into letters.
 */

// @ts-ignore: decorator
@inline
function isAlpha(c: u32): bool { return ((c | 0x20) - 0x61) <= 25; }

// @ts-ignore: decorator
@inline
function isDigit(c: u32): bool { return c - 0x30 <= 9; }

/** The letter a leet character stands for, or 0. */
function leetLetter(c: u32): u8 {
  switch (c) {
    case 0x30: return 0x6f; // 0 o
    case 0x31: return 0x69; // 1 i
    case 0x33: return 0x65; // 3 e
    case 0x34: return 0x61; // 4 a
    case 0x35: return 0x73; // 5 s
    case 0x37: return 0x74; // 7 t
    case 0x40: return 0x61; // @ a
    case 0x24: return 0x73; // $ s
    default: return 0;
  }
}

/**
 * Copies src[0, n) to dst with the leet characters of mixed words turned into letters: words of letters, digits, '@'
 * and '$' with at least one of each kind, except hex numbers ("d1bb14c") and ordinals ("3rd"). Byte for byte, so
 * offsets stay. Returns how many words had a digit between two letters ("pr3v10us": a leetspeak word, not "4ll" or
 * "10am" alone).
 */
export function deLeet(src: usize, n: u32, dst: usize): u32 {
  memory.copy(dst, src, n);
  spanCount = 0;
  let strong: u32 = 0;
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(src + i);
    if (!isAlpha(c) && !isDigit(c) && c != 0x40 && c != 0x24) { i++; continue; }
    let j = i, nLetters: u32 = 0, nLeet: u32 = 0, hexOnly = true, inner = false;
    while (j < n) {
      const b = <u32>load<u8>(src + j);
      if (isAlpha(b)) { nLetters++; if ((b | 0x20) > 0x66) hexOnly = false; }
      else if (isDigit(b) || b == 0x40 || b == 0x24) {
        if (leetLetter(b) != 0) nLeet++;
        if (isDigit(b) && leetLetter(b) != 0 && j > i && j + 1 < n && isAlpha(<u32>load<u8>(src + j - 1)) && isAlpha(<u32>load<u8>(src + j + 1))) inner = true;
      } else break;
      j++;
    }
    const len = j - i;
    const ordinal = nLetters == 2 && len >= 3 && isDigit(<u32>load<u8>(src + j - 3)) && isOrdinal(src + j - 2);
    if (nLetters > 0 && nLeet > 0 && !hexOnly && !ordinal) {
      for (let k = i; k < j; k++) { const l = leetLetter(<u32>load<u8>(src + k)); if (l != 0) store<u8>(dst + k, l); }
      if (inner) {
        strong++;
        if (spanCount < MAX_SPANS) { store<u32>(SPANS + (<usize>spanCount << 3), i); store<u32>(SPANS + (<usize>spanCount << 3), j, 4); spanCount++; }
      }
    }
    i = j;
  }
  return strong;
}

// Where the leetspeak words of the last deLeet are (start, end pairs; the first MAX_SPANS): the engine reads around them.
const MAX_SPANS: u32 = 256;
const SPANS = memory.data(<i32>(MAX_SPANS * 8));
let spanCount: u32 = 0;

/** The start/end pairs of the last deLeet's leetspeak words (leetSpanCount of them: the first MAX_SPANS). */
export function leetSpans(): usize { return SPANS; }
export function leetSpanCount(): u32 { return spanCount; }

/** "st", "nd", "rd" or "th" at p (any case). */
function isOrdinal(p: usize): bool {
  const a = <u32>load<u8>(p) | 0x20, b = <u32>load<u8>(p + 1) | 0x20;
  return (a == 0x73 && b == 0x74) || (a == 0x6e && b == 0x64) || (a == 0x72 && b == 0x64) || (a == 0x74 && b == 0x68);
}
