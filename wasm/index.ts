/** The WASM core's ABI: plain numbers only. The engine owns the memory layout above heapBase(). */
import { normalize, IGN, statCyrillic, statGreek, statOtherConfusable, statRtl, statNonAsciiLetters, statLatinLookalikes, statMarks, statLatinMarks, statLayered, statFolded } from './normalize';
export { setSplitGlue } from './normalize';
import { matchAll } from './match/automaton';
import { findBlobs } from './match/blobs';
import { findFloods } from './match/floods';
import { countIgnored, ignoredBytes } from './ignored';
export { setCharIndex } from './ignored';
import { unspace, sawLeet } from './unspace';
import { resetRecords, recordCount, droppedCount } from './records';
export { decodeBase64, decodeHex } from './decode/base64';
export { shellSplit, shellUnquote, shellCoverCount, shellCover, formSpaces } from './match/quotes';
export { peelLayer, peelKinds } from './decode/layer';
export { deLeet, leetSpans, leetSpanCount } from './decode/leet';

/** First free byte after static data, 16-byte aligned. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

/** Makes sure linear memory reaches `bytes`; returns false when the host refuses to grow it. */
export function ensureMemory(bytes: usize): bool {
  const have = <usize>memory.size() << 16;
  if (bytes <= have) return true;
  return memory.grow(<i32>((bytes - have + 0xffff) >> 16)) >= 0;
}

/**
 * Scans input[0..n): normalizes into norm[0..n), then matches the automaton at auto.
 * Writes 16-byte records to out (at most outCap) and returns how many were written.
 */
export function scan(input: usize, n: u32, norm: usize, auto: usize, out: usize, outCap: u32): u32 {
  resetRecords(out, outCap);
  normalize(input, n, norm);
  unspace(norm, n);
  matchAll(input, norm, n, auto);
  findBlobs(norm, n);
  findFloods(norm, n);
  countIgnored(norm, n);
  return recordCount();
}

/**
 * Matches the native-script automaton (literal UTF-8 patterns: Chinese, Japanese, Korean, Arabic, Hindi...) on the raw
 * input[0..n) of the last scan, appending records after its own (variant numbers from `base`); returns the count.
 * It reads a view of the input written to `view` (n bytes): the raw bytes, except that every byte of a character the
 * normalized stream `norm` ignores (invisible characters, marks, collapsed spaces) is IGN, so "忽<ZWSP>略" is "忽略".
 */
export function matchNative(input: usize, norm: usize, n: u32, auto: usize, base: u32, view: usize): u32 {
  nativeView(input, norm, n, view);
  matchAll(input, view, n, auto, base);
  return recordCount();
}

// @ts-ignore: decorator
@inline
function continuation(p: usize): v128 { return i8x16.eq(v128.and(v128.load(p), i8x16.splat(<i8>0xc0)), i8x16.splat(<i8>0x80)); }

// @ts-ignore: decorator
@inline
function ignoredAt(p: usize): v128 { return i8x16.eq(v128.load(p), i8x16.splat(<i8>IGN)); }

/**
 * view[i] = IGN when the character byte i belongs to is ignored in norm (its lead byte, at most three back, is IGN
 * there), else input[i]. 16 bytes at a time; reads up to 3 bytes before input and norm (both padded).
 */
function nativeView(input: usize, norm: usize, n: u32, view: usize): void {
  let i: u32 = 0;
  for (; i + 16 <= n; i += 16) {
    const a = input + i, m = norm + i;
    const c0 = continuation(a), c1 = continuation(a - 1), c2 = continuation(a - 2);
    // The lead is here (not a continuation byte), or 1, 2 or 3 bytes back.
    const at0 = v128.andnot(ignoredAt(m), c0);
    const at1 = v128.and(v128.andnot(c0, c1), ignoredAt(m - 1));
    const at2 = v128.and(v128.andnot(v128.and(c0, c1), c2), ignoredAt(m - 2));
    const at3 = v128.and(v128.and(v128.and(c0, c1), c2), ignoredAt(m - 3));
    const ign = v128.or(v128.or(at0, at1), v128.or(at2, at3));
    v128.store(view + i, v128.bitselect(i8x16.splat(<i8>IGN), v128.load(a), ign));
  }
  let ignored = i > 0 && load<u8>(view + i - 1) == IGN;
  for (; i < n; i++) {
    const b = load<u8>(input + i);
    if ((b & 0xc0) != 0x80) ignored = load<u8>(norm + i) == IGN;
    store<u8>(view + i, ignored ? IGN : b);
  }
}

/** Counts the ignored bytes of norm[0, n) and indexes its characters (after windowed rescans); returns the count. */
export function indexChars(norm: usize, n: u32): u32 {
  countIgnored(norm, n);
  return ignoredBytes;
}

/**
 * What the last scan asks of the engine, in one call (each call into the core costs): bits 0-1 escapes left for a
 * second layer (statLayered), bit 2 a digit between letters (leetspeak), bit 3 letters of a folded script (native
 * patterns).
 */
export function scanFlags(): u32 {
  return statLayered | (sawLeet() ? 4 : 0) | (statFolded > 0 ? 8 : 0);
}

/** Records that did not fit in the last scan's output buffer. */
export function dropped(): u32 {
  return droppedCount();
}

/**
 * Per-scan statistics: 0 Cyrillic, 1 Greek, 2 other confusable-script, 3 RTL, 4 non-ASCII letters, (5 retired: no
 * detector read it), 6 Latin look-alike letters, 7 combining marks, 8 Latin letters or digits with three or more marks,
 * 9 ignored bytes in the normalized stream. (What a scan asks of the engine comes from scanFlags, in one call.)
 */
export function stat(k: i32): u32 {
  switch (k) {
    case 0: return statCyrillic;
    case 1: return statGreek;
    case 2: return statOtherConfusable;
    case 3: return statRtl;
    case 4: return statNonAsciiLetters;
    case 6: return statLatinLookalikes;
    case 7: return statMarks;
    case 8: return statLatinMarks;
    case 9: return ignoredBytes;
    default: return 0;
  }
}

/** Normalization alone (no matching), for benchmarks that split the cost of the two passes. */
export function normalizeOnly(input: usize, n: u32, norm: usize, out: usize, outCap: u32): u32 {
  resetRecords(out, outCap);
  normalize(input, n, norm);
  return recordCount();
}
