/**
 * One linear pass: UTF-8 bytes -> a normalized stream of the SAME length (lowercase ASCII skeleton; bytes that
 * vanish become IGN), so every normalized offset is also an offset into the original input.
 * Unicode findings (invisible, bidi, tags, variation selectors, controls, invalid UTF-8, mixed scripts) are
 * written as records on the way.
 */
import { decodeAt, cp, cpLen, cpErr, UTF8_OK, UTF8_OVERLONG } from './unicode/utf8';
import { entryOf, mappedOf, isCompat, isConfusable, classOf, scriptOf, isRtl } from './unicode/classify';
import { decodePercent, decodeEntity, decodeEscape, decValue, decLen, decOverlong } from './decode/escapes';
import { copyPlain } from './prefilter';
import { asciiAt } from './decode/layer';
import {
  emit, emitMerged, REC_INVISIBLE, REC_BIDI, REC_BIDI_UNTERMINATED, REC_TAG, REC_VARIATION, REC_CONTROL,
  REC_INVALID_UTF8, REC_MIXED_SCRIPT, REC_BIDI_OVERRIDE, REC_WHOLE_SCRIPT, REC_DECODED_URL, REC_DECODED_HTML, REC_DECODED_ESCAPE, REC_COMPAT, REC_COMMENT,
  REC_LATIN_LOOKALIKE, REC_ENCODED_CONTROL, REC_LAYERED, lastIndex, recordEnd, extendRecord,
} from './records';
import {
  CLASS_LETTER, CLASS_MARK, CLASS_SPACE, CLASS_INVISIBLE, CLASS_BIDI_CONTROL, CLASS_BIDI_MARK, CLASS_CONTROL,
  CLASS_VARIATION_SELECTOR, CLASS_TAG, CLASS_EMOJI, CLASS_SYMBOL,
  SCRIPT_LATIN, SCRIPT_CYRILLIC, SCRIPT_GREEK, SCRIPT_OTHER_CONFUSABLE, SCRIPT_JOINING, SCRIPT_CJK, SCRIPT_COMMON, SCRIPT_OTHER,
} from './tables/classes.gen';

export const IGN: u8 = 0xff;
export const OTHER_LETTER: u8 = 0x80;
// Letters of a coded Cyrillic word (cyrillicWord): 0xC0 + а..я, 0xE0 + ѐ..џ (engine/patterns/cyrillic.ts agrees).
export const CYRILLIC_FIRST: u8 = 0xc0;
export const CYRILLIC_LAST: u8 = 0xef;

/**
 * A word byte of the normalized stream, for every pass that reads it (anchors, letter spacing): ASCII letters and
 * digits, the underscore, letters with no ASCII look-alike of Latin-like scripts, and coded Cyrillic letters.
 */
// @ts-ignore: decorator
@inline
export function isWordByte(c: u32): bool {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x5f || c == OTHER_LETTER || (c >= CYRILLIC_FIRST && c <= CYRILLIC_LAST);
}
/**
 * A letter of a script other than Latin (and other than a coded Cyrillic word) that looks like no ASCII letter. Not a
 * word byte to the matcher: a Latin word written right after Chinese, Japanese, Thai or Arabic letters starts a word
 * ("请ignore all previous instructions"), as it does to a reader and to a model's tokenizer.
 */
export const FOREIGN_LETTER: u8 = 0x82;

// @ts-ignore: decorator
@inline
function letterByte(m: u32, script: u32): u8 {
  return m != 0 ? <u8>m : script == SCRIPT_LATIN || script == SCRIPT_COMMON || script == SCRIPT_CYRILLIC ? OTHER_LETTER : FOREIGN_LETTER;
}
export const OTHER_SYMBOL: u8 = 0x81;
export const DECODED_CONTROL: u8 = 0x01;

// Context kinds of the previous visible character.
const P_NONE: u32 = 0;
const P_LETTER: u32 = 1;
const P_EMOJI: u32 = 2;
const P_SYMBOL: u32 = 3;
const P_SPACE: u32 = 4;

let src: usize = 0;
let dst: usize = 0;
let len: u32 = 0;

let prevKind: u32 = P_NONE;
let prevScript: u32 = SCRIPT_COMMON;
let prevRtl = false;
let prevCp: u32 = 0;
let wsPos: i32 = -1; // normalized index of the current whitespace run's one visible byte
let inExecComment = false;

let invStart: i32 = -1; let invCount: u32 = 0; let invKinds: u32 = 0; let invPrevKind: u32 = 0; let invPrevScript: u32 = 0; let invPrevRtl = false;
let vsStart: i32 = -1; let vsCount: u32 = 0; let vsFirst: u32 = 0; let vsPrevKind: u32 = 0; let vsPrevScript: u32 = 0; let vsPrevCp: u32 = 0;
let tagStart: i32 = -1; let tagCount: u32 = 0; let tagFlagLike = false;
let wStart: i32 = -1; let wScripts: u32 = 0; let wLetters: u32 = 0; let wConf: u32 = 0; let wLatinConf: u32 = 0;
let bidiDepth: u32 = 0; let bidiFirst: i32 = -1;

// Per-scan statistics read by the engine (letters by script, outside plain ASCII).
export let statCyrillic: u32 = 0;
export let statGreek: u32 = 0;
export let statOtherConfusable: u32 = 0;
export let statRtl: u32 = 0;
export let statNonAsciiLetters: u32 = 0;
export let statLatinLookalikes: u32 = 0;
export let statMarks: u32 = 0; // combining marks: decomposed accents (c + U+0327) are letters of an orthography too
export let statLatinMarks: u32 = 0; // Latin or Cyrillic letters or digits carrying three or more marks (Zalgo, glue)
// Letters of scripts the normalized stream folds to one placeholder byte (CJK, Hangul, Arabic, Indic, ...): the
// engine then matches its native-script patterns on the raw bytes (wasm/index.ts matchNative).
export let statFolded: u32 = 0;
let markRun: u32 = 0; // combining marks since the last visible character
// Escapes this pass does not undo, as bits: 1 written in full-width forms ("％２ｅ", "／＊ｘ＊／"), 2 one whose decoded
// '%', '&', '\' or '/' starts another escape spelled with escapes ("&#37;&#50;e"). The engine reads such text once more,
// one layer down (wasm/decode/layer.ts).
export const LAYERED_WIDE: u32 = 1;
export const LAYERED_NESTED: u32 = 2;
export let statLayered: u32 = 0;

/** A combining mark: counted, and a third one on a Latin letter or digit is stacking no orthography does. */
// @ts-ignore: decorator
@inline
function noteMark(script: u32): void {
  statMarks++;
  if (++markRun == 3 && gluable(script)) statLatinMarks++;
}

/**
 * Glue mode, for a second pass the engine runs when invisible characters or marks sit inside words: each of them reads
 * as a space, so "Thanks" + U+200B + "ignore" is two words there (the first pass reads "thanksignore", which is right
 * for "ig" + U+200B + "nore"). Only injection findings are taken from that pass.
 */
let splitGlue = false;

/** Scripts whose words an invisible character or stacked marks may glue together unnoticed. */
// @ts-ignore: decorator
@inline
function gluable(script: u32): bool { return script == SCRIPT_LATIN || script == SCRIPT_CYRILLIC; }
export function setSplitGlue(on: bool): void { splitGlue = on; }

const K_ZWJ: u32 = 1;
const K_ZWNJ: u32 = 2;
const K_ZWSP: u32 = 4;
const K_SHY: u32 = 8;
const K_BIDI_MARK: u32 = 16;
const K_OTHER: u32 = 32;
const K_FILLER: u32 = 64; // Hangul fillers: invisible, yet valid in identifiers (invisible variables in code)

/** Inside a collapsed comment characters are classified (findings still count) but write IGN to the stream. */
let silent = false;

// @ts-ignore: decorator
@inline
function put(i: u32, c: u8): void { store<u8>(dst + i, silent ? IGN : c); }

// @ts-ignore: decorator
@inline
function ign(i: u32, n: u32): void { for (let k: u32 = 0; k < n; k++) store<u8>(dst + i + k, IGN); }

function scriptBit(s: u32): u32 { return 1 << s; }

/** Statistics and word bookkeeping shared by every non-ASCII letter (general and fast paths). */
// @ts-ignore: decorator
@inline
function countLetter(e: u32, script: u32, rtl: bool): void {
  statNonAsciiLetters++;
  if (script == SCRIPT_CYRILLIC) statCyrillic++;
  else if (script == SCRIPT_GREEK) statGreek++;
  else if (script == SCRIPT_OTHER_CONFUSABLE) statOtherConfusable++;
  else if (script != SCRIPT_LATIN) statFolded++;
  if (rtl) statRtl++;
  if (isConfusable(e)) {
    if (script == SCRIPT_LATIN) { wLatinConf++; statLatinLookalikes++; } else wConf++;
  }
}

/** Lowercase Cyrillic, folded as NFD and mark stripping fold (й -> и, ё -> е, ї -> і ...), ґ onto г. */
function cyrillicFold(cp: u32): u32 {
  if (cp >= 0x410 && cp <= 0x42f) cp += 0x20;
  else if (cp >= 0x400 && cp <= 0x40f) cp += 0x50;
  else if (cp == 0x490) cp = 0x491;
  switch (cp) {
    case 0x439: return 0x438;
    case 0x450: case 0x451: return 0x435;
    case 0x45d: return 0x438;
    case 0x457: return 0x456;
    case 0x45e: return 0x443;
    case 0x453: case 0x491: return 0x433;
    case 0x45c: return 0x43a;
    default: return cp;
  }
}

// The current word's Cyrillic letters: where each sits, its byte (0xC0 + а..я, 0xE0 + ѐ..џ, folded lowercase) and
// its lowercase skeleton (0 when it looks like no ASCII letter). Kept as they are emitted, escapes decoded (&#1080;).
const CYR_MAX: u32 = 64;
const CYR_POS = memory.data(<i32>(CYR_MAX * 4));
const CYR_CODE = memory.data(<i32>CYR_MAX);
const CYR_SKEL = memory.data(<i32>CYR_MAX);
let cyrCount: u32 = 0;
let cyrOther: u32 = 0; // letters of the word that look like no ASCII letter

function noteCyrillic(i: u32, cp: u32): void {
  const f = cyrillicFold(cp);
  const e = entryOf(f);
  const skel = isConfusable(e) ? mappedOf(e) : 0;
  if (skel == 0) cyrOther++;
  if (cyrCount < CYR_MAX) {
    store<u32>(CYR_POS + (<usize>cyrCount << 2), i);
    store<u8>(CYR_CODE + <usize>cyrCount, f >= 0x430 && f <= 0x45f ? <u8>(f < 0x450 ? CYRILLIC_FIRST + f - 0x430 : CYRILLIC_FIRST + 0x20 + f - 0x450) : OTHER_LETTER);
    store<u8>(CYR_SKEL + <usize>cyrCount, <u8>skel);
  }
  cyrCount++;
}

/**
 * A word of Cyrillic letters only: unless every letter is drawn like an ASCII one (then it may spoof a Latin word
 * and gets its lowercase skeleton), each letter becomes its own byte, so Russian or Ukrainian instructions can be
 * patterns (engine/patterns/cyrillic.ts writes pattern sources the same way). Mixed words keep each letter's own
 * skeleton (written when it was emitted); a "word" of more than 64 Cyrillic letters is left as it is.
 */
function cyrillicWord(): void {
  if (wScripts == scriptBit(SCRIPT_CYRILLIC) && cyrCount <= CYR_MAX) {
    const bytes = cyrOther > 0 ? CYR_CODE : CYR_SKEL;
    for (let k: u32 = 0; k < cyrCount; k++) {
      const at = dst + <usize>load<u32>(CYR_POS + (<usize>k << 2));
      if (load<u8>(at) != IGN) store<u8>(at, load<u8>(bytes + <usize>k)); // IGN: inside a comment
    }
  }
  cyrCount = 0;
  cyrOther = 0;
}

function flushWord(end: u32): void {
  if (wStart < 0) return;
  if (cyrCount > 0) cyrillicWord();
  const confScripts = scriptBit(SCRIPT_CYRILLIC) | scriptBit(SCRIPT_GREEK) | scriptBit(SCRIPT_OTHER_CONFUSABLE);
  const letters = wLetters > 255 ? 255 : wLetters;
  // Latin with a look-alike script, or two look-alike scripts together (Cyrillic with a Greek omicron): no
  // orthography writes a word so.
  if (((wScripts & scriptBit(SCRIPT_LATIN)) != 0 && (wScripts & confScripts) != 0) || popcnt(wScripts & confScripts) >= 2) {
    emit(REC_MIXED_SCRIPT, <u32>wStart, end, wScripts | (min(wConf, 255) << 8) | (letters << 16));
  } else if ((wScripts & ~confScripts & ~scriptBit(SCRIPT_COMMON)) == 0 && wConf == wLetters && wLetters >= 2) {
    emit(REC_WHOLE_SCRIPT, <u32>wStart, end, wScripts | (min(wConf, 255) << 8) | (letters << 16));
  } else if (wScripts == scriptBit(SCRIPT_LATIN) && wLatinConf > 0 && wLetters >= 3 * wLatinConf && wLetters >= wLatinConf + 3) {
    // Same script, so no mixed-script finding: "bypɑss", "ᴏkta". Mostly ASCII letters around the look-alike (IPA
    // such as /ɡɑd/ is mostly look-alikes); whether that is a spoof depends on the whole text: the engine decides
    // with the per-scan statistics.
    emit(REC_LATIN_LOOKALIKE, <u32>wStart, end, min(wLatinConf, 255) | (letters << 16));
  }
  wStart = -1;
}

/** A non-ASCII letter begins a tracked word: look back over the ASCII letters (and ignorables) already emitted. */
function startWord(i: u32): void {
  let j = <i32>i;
  let ascii: u32 = 0;
  const floor = <i32>i - 256;
  while (j > 0 && j > floor) {
    const c = load<u8>(dst + j - 1);
    if (c == IGN) { j--; continue; }
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) { if (c >= 0x61) ascii++; j--; continue; }
    break;
  }
  while (j < <i32>i && load<u8>(dst + j) == IGN) j++;
  wStart = j;
  wScripts = ascii > 0 ? scriptBit(SCRIPT_LATIN) : 0;
  wLetters = ascii;
  wConf = 0;
  wLatinConf = 0;
}

function paragraphEnd(i: u32): void {
  if (bidiDepth > 0) emit(REC_BIDI_UNTERMINATED, <u32>bidiFirst, i, bidiDepth);
  bidiDepth = 0;
  bidiFirst = -1;
}

function flushInvisible(nextKind: u32, nextScript: u32, nextRtl: bool, at: u32): void {
  if (invStart < 0) return;
  const joinCtx = invPrevScript == SCRIPT_JOINING || invPrevScript == SCRIPT_CJK || nextScript == SCRIPT_JOINING || nextScript == SCRIPT_CJK;
  const emojiCtx = invPrevKind == P_EMOJI || nextKind == P_EMOJI;
  let legit = false;
  if (invKinds == K_ZWJ) legit = emojiCtx || joinCtx;
  else if ((invKinds & ~(K_ZWJ | K_ZWNJ | K_ZWSP)) == 0) legit = joinCtx;
  else if (invKinds == K_SHY) legit = invCount == 1 && invPrevKind == P_LETTER && nextKind == P_LETTER;
  else if (invKinds == K_BIDI_MARK) legit = invPrevRtl || nextRtl || statRtl > 0;
  // One separator between letters of a joining script (Mongolian U+180E, Khmer, Arabic tatweel-like marks).
  else if (invCount == 1 && invPrevScript == SCRIPT_JOINING && nextScript == SCRIPT_JOINING) legit = true;
  const inWord: u32 = invPrevKind == P_LETTER && nextKind == P_LETTER ? 1 : 0;
  const asciiWord: u32 = inWord && invPrevScript == SCRIPT_LATIN && nextScript == SCRIPT_LATIN ? 1 : 0;
  const filler: u32 = (invKinds & K_FILLER) != 0 && !joinCtx ? 1 : 0;
  emit(REC_INVISIBLE, <u32>invStart, at, min(invCount, 0xffff) | ((legit ? 1 : 0) << 16) | (inWord << 17) | (asciiWord << 18) | (filler << 19));
  invStart = -1;
}

function flushVariation(at: u32): void {
  if (vsStart < 0) return;
  let legit = false;
  if (vsCount == 1) {
    // Emoji/text presentation: fine after anything but a letter; keycaps (1️⃣ #️⃣) put it after a digit, # or *.
    const keycapBase = (vsPrevCp >= 0x30 && vsPrevCp <= 0x39) || vsPrevCp == 0x23 || vsPrevCp == 0x2a;
    if (vsFirst == 0xfe0e || vsFirst == 0xfe0f) legit = keycapBase || vsPrevKind != P_LETTER || (vsPrevScript != SCRIPT_LATIN && vsPrevScript != SCRIPT_CYRILLIC);
    else if (vsFirst >= 0xe0100) legit = vsPrevScript == SCRIPT_CJK;
    else if (vsFirst >= 0x180b && vsFirst <= 0x180f) legit = vsPrevScript == SCRIPT_JOINING;
    else legit = vsPrevKind == P_SYMBOL || vsPrevScript == SCRIPT_CJK;
  }
  emit(REC_VARIATION, <u32>vsStart, at, min(vsCount, 0xffff) | ((legit ? 1 : 0) << 16));
  vsStart = -1;
}

function flushTag(at: u32, lastCp: u32): void {
  if (tagStart < 0) return;
  // Subdivision flags (England, Scotland, Wales) are tag sequences after U+1F3F4 ending in CANCEL TAG.
  const legit = tagFlagLike && lastCp == 0xe007f && tagCount <= 8;
  emit(REC_TAG, <u32>tagStart, at, min(tagCount, 0xffff) | ((legit ? 1 : 0) << 16));
  tagStart = -1;
}

let lastTagCp: u32 = 0;

/** Called before every visible character: closes pending runs with this character as their right context. */
// @ts-ignore: decorator
@inline
function visible(i: u32, kind: u32, script: u32, rtl: bool): void {
  if (invStart >= 0) flushInvisible(kind, script, rtl, i);
  if (vsStart >= 0) flushVariation(i);
  if (tagStart >= 0) flushTag(i, lastTagCp);
}

/**
 * ASCII letters and digits, and the underscore that joins identifiers: next to one, an invisible character is inside
 * a name (is_<ZWSP>admin). The SIMD path and the per-character path must agree.
 */
// @ts-ignore: decorator
@inline
function isAsciiWordByte(c: u32): bool {
  const l = c | 0x20;
  return (l >= 0x61 && l <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x5f;
}

// @ts-ignore: decorator
@inline
function isAsciiAlnum(c: u32): bool {
  const l = c | 0x20;
  return (l >= 0x61 && l <= 0x7a) || (c >= 0x30 && c <= 0x39);
}

/**
 * The ASCII letters and digits that go on a word already open ("D\u00e9claration": "claration"), with emitChar's
 * effects for each (lowercase byte, the word's Latin letters, the previous character) in one tight loop: in Latin
 * text with accents most letters come this way, and the per-character dispatch cost more than the letters.
 * Only without pending invisible, variation or tag runs (the caller checks). Returns the bytes consumed (>= 1).
 */
function wordAscii(i: u32): u32 {
  let p = i;
  let letters: u32 = 0;
  let c: u32 = 0;
  while (p < len) {
    c = <u32>load<u8>(src + p);
    if (!isAsciiAlnum(c)) break;
    const lower = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
    if (lower >= 0x61) letters++;
    store<u8>(dst + p, <u8>lower);
    p++;
  }
  c = <u32>load<u8>(src + p - 1);
  if (letters > 0) { wScripts |= scriptBit(SCRIPT_LATIN); wLetters += letters; }
  wsPos = -1;
  setPrev(P_LETTER, SCRIPT_LATIN, false, c);
  return p - i;
}

function setPrev(kind: u32, script: u32, rtl: bool, c: u32): void {
  markRun = 0;
  prevKind = kind; prevScript = script; prevRtl = rtl; prevCp = c;
}

function emitSpace(i: u32, n: u32, newline: bool): void {
  if (wsPos >= 0) {
    if (newline) put(<u32>wsPos, 0x0a);
    ign(i, n);
  } else {
    put(i, newline ? 0x0a : 0x20);
    ign(i + 1, n - 1);
    wsPos = <i32>i;
  }
}

/** Emits one (possibly decoded) character occupying n input bytes at i. */
function emitChar(i: u32, n: u32, c: u32, decoded: bool): void {
  if (c < 0x80) {
    const lower = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
    // An encoded line break (%0A, &#10;) is not layout: it is a separator smuggled into a value (command, header or
    // SQL injection), so it stays visible to the matcher as a decoded control byte.
    const isSpace = c == 0x20 || (c >= 0x09 && c <= 0x0d && !(decoded && (c == 0x0a || c == 0x0d)));
    if (isSpace) {
      visible(i, P_SPACE, SCRIPT_COMMON, false);
      flushWord(i);
      const nl = c == 0x0a || c == 0x0d;
      if (nl) paragraphEnd(i);
      emitSpace(i, n, nl);
      setPrev(P_SPACE, SCRIPT_COMMON, false, c);
      return;
    }
    const alnum = (lower >= 0x61 && lower <= 0x7a) || (lower >= 0x30 && lower <= 0x39);
    const word = isAsciiWordByte(c);
    visible(i, word ? P_LETTER : P_SYMBOL, alnum ? SCRIPT_LATIN : SCRIPT_COMMON, false);
    wsPos = -1;
    if (alnum) {
      if (wStart >= 0 && lower >= 0x61) { wScripts |= scriptBit(SCRIPT_LATIN); wLetters++; }
      put(i, <u8>lower);
      ign(i + 1, n - 1);
      setPrev(P_LETTER, SCRIPT_LATIN, false, c);
      return;
    }
    flushWord(i);
    if (c < 0x20 || c == 0x7f) {
      if (!decoded) emitMerged(REC_CONTROL, i, i + n, 1);
      put(i, decoded ? DECODED_CONTROL : OTHER_SYMBOL);
    } else put(i, <u8>c);
    ign(i + 1, n - 1);
    setPrev(word ? P_LETTER : P_SYMBOL, SCRIPT_COMMON, false, c);
    return;
  }
  const e = entryOf(c);
  const cls = classOf(e);
  const script = scriptOf(e);
  const rtl = isRtl(c);
  let m = mappedOf(e);
  if (cls == CLASS_LETTER || (cls == CLASS_SYMBOL && m != 0 && ((m >= 0x61 && m <= 0x7a) || (m >= 0x30 && m <= 0x39)))) {
    visible(i, P_LETTER, script, rtl);
    wsPos = -1;
    if (wStart < 0) startWord(i);
    wScripts |= scriptBit(script);
    wLetters++;
    countLetter(e, script, rtl);
    if (script == SCRIPT_CYRILLIC) noteCyrillic(i, c);
    if (isCompat(e) && !decoded) emitMerged(REC_COMPAT, i, i + n, 1);
    put(i, letterByte(m, script));
    ign(i + 1, n - 1);
    setPrev(P_LETTER, script, rtl, c);
    return;
  }
  // Glue mode: only after a Latin or Cyrillic letter or a digit (Indic vowel signs and joiners belong to their words).
  if (splitGlue && gluable(prevScript) && (cls == CLASS_MARK || cls == CLASS_INVISIBLE || cls == CLASS_BIDI_MARK
      || cls == CLASS_BIDI_CONTROL || cls == CLASS_VARIATION_SELECTOR) && !decoded) { emitChar(i, n, 0x20, true); return; }
  if (cls == CLASS_MARK) { noteMark(prevScript); ign(i, n); return; }
  if (cls == CLASS_SPACE) { emitChar(i, n, m == 0x0a ? 0x0a : 0x20, decoded); return; }
  // A closer with nothing open (a stray PDF or PDI) reorders nothing: it is just an invisible character.
  const strayCloser = cls == CLASS_BIDI_CONTROL && (c == 0x202c || c == 0x2069) && bidiDepth == 0;
  if (cls == CLASS_INVISIBLE || cls == CLASS_BIDI_MARK || strayCloser) {
    if (i == 0 && c == 0xfeff) { ign(i, n); return; } // byte order mark
    if (!decoded || markupDecoded) {
      if (invStart < 0) { invStart = <i32>i; invCount = 0; invKinds = 0; invPrevKind = prevKind; invPrevScript = prevScript; invPrevRtl = prevRtl; }
      invCount++;
      invKinds |= c == 0x200d ? K_ZWJ : c == 0x200c ? K_ZWNJ : c == 0x200b ? K_ZWSP : c == 0xad ? K_SHY : cls == CLASS_BIDI_MARK ? K_BIDI_MARK
        : c == 0x3164 || c == 0x115f || c == 0x1160 || c == 0xffa0 ? K_FILLER : K_OTHER;
    }
    ign(i, n);
    return;
  }
  if (cls == CLASS_BIDI_CONTROL) {
    if (!decoded || markupDecoded) {
      // Openers are reported (runs merge, so a flood stays one record); closers only balance the stack.
      if (c == 0x202d || c == 0x202e) emitMerged(REC_BIDI_OVERRIDE, i, i + n, 1);
      else if (c != 0x202c && c != 0x2069) emitMerged(REC_BIDI, i, i + n, 1);
      if (c == 0x202c || c == 0x2069) { if (bidiDepth > 0) bidiDepth--; }
      else { if (bidiDepth == 0) bidiFirst = <i32>i; bidiDepth++; }
    }
    ign(i, n);
    return;
  }
  if (cls == CLASS_VARIATION_SELECTOR) {
    if (!decoded || markupDecoded) {
      if (vsStart < 0) { vsStart = <i32>i; vsCount = 0; vsFirst = c; vsPrevKind = prevKind; vsPrevScript = prevScript; vsPrevCp = prevCp; }
      vsCount++;
    }
    ign(i, n);
    return;
  }
  if (cls == CLASS_TAG) {
    if (!decoded || markupDecoded) {
      if (tagStart < 0) { tagStart = <i32>i; tagCount = 0; tagFlagLike = prevCp == 0x1f3f4; }
      tagCount++;
      lastTagCp = c;
    }
    const a = c - 0xe0000;
    // The smuggled ASCII takes part in whitespace runs like visible text: a tag letter ends a run (else the space after
    // it would collapse into the one before: "x <tag A> ignore" read "x aignore"), a tag space joins one.
    if (a > 0x20 && a < 0x7f) { put(i, <u8>(a >= 0x41 && a <= 0x5a ? a | 0x20 : a)); wsPos = -1; ign(i + 1, n - 1); }
    else if (a == 0x20) emitSpace(i, n, false);
    else ign(i, n);
    return;
  }
  visible(i, cls == CLASS_EMOJI ? P_EMOJI : P_SYMBOL, script, rtl);
  wsPos = -1;
  flushWord(i);
  if (cls == CLASS_CONTROL) {
    if (!decoded) emitMerged(REC_CONTROL, i, i + n, 1);
    put(i, decoded ? DECODED_CONTROL : OTHER_SYMBOL);
  } else put(i, m != 0 ? <u8>m : OTHER_SYMBOL);
  if (c >= 0xff05 && c <= 0xff3c && !decoded && wideEscape(c, i + n)) noteLayered(LAYERED_WIDE, i, i + n);
  ign(i + 1, n - 1);
  setPrev(cls == CLASS_EMOJI ? P_EMOJI : P_SYMBOL, script, rtl, c);
}

/**
 * A full-width '％', '＆', '＼' or '／' whose next character (at byte `next`) opens an escape or a comment: "％２ｅ",
 * "＆＃６０；", "＼ｕ００２ｅ", "／＊" (not "５０％の").
 */
function wideEscape(c: u32, next: u32): bool {
  const a = asciiAt(src + next, src + len);
  if (c == 0xff0f) return a == 0x2a;
  if (c == 0xff05) return (a >= 0x30 && a <= 0x39) || ((a | 0x20) >= 0x61 && (a | 0x20) <= 0x66) || (a | 0x20) == 0x75;
  if (c == 0xff06) return a == 0x23 || ((a | 0x20) >= 0x61 && (a | 0x20) <= 0x7a);
  return c == 0xff3c && ((a | 0x20) == 0x75 || (a | 0x20) == 0x78);
}

// The last REC_LAYERED record: one within 64 bytes of it is extended, even with other records between (each escaped
// letter also records its decoding), so a long escaped text is one record, not one per letter.
let layeredRec: i32 = -1;

function noteLayered(kind: u32, start: u32, end: u32): void {
  statLayered |= kind;
  if (layeredRec >= 0 && start <= recordEnd(<u32>layeredRec) + 64) { extendRecord(<u32>layeredRec, end); return; }
  emit(REC_LAYERED, start, end, 1);
  layeredRec = lastIndex();
}

let markupDecoded = false; // the character being emitted was percent- or entity-encoded

/** "&amp;..." or "%25...": the escape at i decodes to another escape (double encoding). */
function secondLayer(i: u32, b: u32): bool {
  const p = src + i;
  if (b == 0x26) return i + 5 <= len && (load<u8>(p + 1) | 0x20) == 0x61 && (load<u8>(p + 2) | 0x20) == 0x6d && (load<u8>(p + 3) | 0x20) == 0x70 && load<u8>(p + 4) == 0x3b;
  return i + 3 <= len && load<u8>(p + 1) == 0x32 && load<u8>(p + 2) == 0x35;
}

/** Tries an escape at i; returns bytes consumed (0 = not an escape). */
function tryDecode(i: u32, b: u32): u32 {
  const p = src + i;
  const end = src + len;
  let code: u32 = 0;
  if (b == 0x25) { decodePercent(p, end); code = REC_DECODED_URL; }
  else if (b == 0x26) { decodeEntity(p, end); code = REC_DECODED_HTML; }
  else { decodeEscape(p, end); code = REC_DECODED_ESCAPE; }
  if (decLen == 0) return 0;
  const n = decLen;
  let v = decValue;
  // A decoded '&' or '%' may start a second layer (&amp;lt; or %2525): decode the rest as one character.
  emitMerged(code, i, i + n, 1);
  // A decoded '%', '&', '\' or '/' that starts another escape spelled with escapes ("&#37;&#50;e", "&#47;&#42;", a
  // comment opener the comment pass never saw): left for the one-layer-down reading.
  if (v == 0x25 || v == 0x26 || v == 0x5c || v == 0x2f) {
    const next = asciiAt(src + i + n, src + len);
    if (next == 0x25 || next == 0x26 || next == 0x5c) noteLayered(LAYERED_NESTED, i, i + n);
  }
  if (decOverlong) emitMerged(REC_INVALID_UTF8, i, i + n, 1);
  // No HTML text needs a control character as an entity (&#1; is a parse error), and a percent-encoded NUL truncates
  // strings in C-based servers: both are evasion. Tab, line breaks and form feed are text; \x00 escapes are code.
  // (Not VT, a soft line break in office HTML, nor "%005d", a printf width.)
  const digitAfter = i + n < len && load<u8>(src + i + n) >= 0x30 && load<u8>(src + i + n) <= 0x39;
  if ((code == REC_DECODED_HTML && v < 0x20 && (v < 0x09 || v > 0x0d)) || (code == REC_DECODED_URL && v == 0 && !digitAfter)) {
    emitMerged(REC_ENCODED_CONTROL, i, i + n, 1);
  }
  // A percent- or entity-encoded invisible, BiDi, tag or variation character becomes that character when the URL is
  // decoded or the page rendered ("invoice&#x202E;fdp.exe"): reported like the raw one. Backslash escapes are code
  // (a sanitizer's /[\u200B-\u200D]/), not text.
  // One layer only: "&amp;#x202E;" renders as the text "&#x202E;", not as the character.
  markupDecoded = code != REC_DECODED_ESCAPE && !secondLayer(i, b);
  const folded = statFolded;
  emitChar(i, n, v, true);
  markupDecoded = false;
  // An escaped letter of a folded script ("%E5%BF%BD"): the native-script patterns read raw bytes, so the text is
  // read once more decoded (wasm/decode/layer.ts), where the letter is raw.
  if (statFolded != folded) noteLayered(LAYERED_NESTED, i, i + n);
  return n;
}

// Comments with less text than this are padding (empty, or a letter or two), not something to rescan.
const MIN_COMMENT_TEXT: u32 = 6;

/** "/*...*\/" up to 256 bytes becomes one space (SQL and JS treat it so); "/*!" keeps its content (MySQL runs it). */
function tryComment(i: u32): u32 {
  if (i + 1 >= len || load<u8>(src + i + 1) != 0x2a) return 0;
  if (i + 2 < len && load<u8>(src + i + 2) == 0x21) {
    let n: u32 = 3;
    while (i + n < len && n < 8 && load<u8>(src + i + n) >= 0x30 && load<u8>(src + i + n) <= 0x39) n++;
    inExecComment = true;
    emitChar(i, n, 0x20, true);
    return n;
  }
  const limit = min(len, i + 256);
  for (let j = i + 2; j + 1 < limit; j++) {
    if (load<u8>(src + j) == 0x2a && load<u8>(src + j + 1) == 0x2f) {
      // The comment is one space to the matcher, but what it contains is still classified: Trojan Source hides
      // its BiDi controls, and look-alike or invisible characters hide just as well, inside comments.
      emitChar(i, 2, 0x20, true);
      silent = true;
      let p = i + 2;
      while (p < j) {
        const b = <u32>load<u8>(src + p);
        if (b < 0x80) { emitChar(p, 1, b, false); p++; }
        else p += unicodeStep(p);
      }
      silent = false;
      // The matcher reads the comment as a space (UN/**/ION), so words inside it are not matched here: the engine
      // rescans what a comment says on its own (a comment cannot hide an instruction).
      if (j - i - 2 >= MIN_COMMENT_TEXT) emit(REC_COMMENT, i + 2, j, 0);
      wsPos = <i32>i;
      emitChar(j, 2, 0x20, true);
      return j + 2 - i;
    }
  }
  return 0;
}

function asciiStep(i: u32, b: u32): u32 {
  if (b == 0x25 || b == 0x26 || b == 0x5c) {
    const n = tryDecode(i, b);
    if (n > 0) return n;
  } else if (b == 0x2f) {
    const n = tryComment(i);
    if (n > 0) return n;
  } else if (b == 0x2a && inExecComment && i + 1 < len && load<u8>(src + i + 1) == 0x2f) {
    inExecComment = false;
    emitChar(i, 2, 0x20, true);
    return 2;
  }
  emitChar(i, 1, b, false);
  return 1;
}

function unicodeStep(i: u32): u32 {
  decodeAt(src + i, src + len);
  const n = cpLen;
  if (cpErr != UTF8_OK) {
    emitMerged(REC_INVALID_UTF8, i, i + n, 1);
    if (cpErr == UTF8_OVERLONG && cp < 0x80) emitChar(i, n, cp, true);
    else {
      visible(i, P_SYMBOL, SCRIPT_COMMON, false);
      flushWord(i);
      wsPos = -1;
      put(i, OTHER_SYMBOL);
      ign(i + 1, n - 1);
      setPrev(P_SYMBOL, SCRIPT_COMMON, false, 0xfffd);
    }
    return n;
  }
  emitChar(i, n, cp, false);
  return n;
}

function resetState(): void {
  prevKind = P_NONE; prevScript = SCRIPT_COMMON; prevRtl = false; prevCp = 0;
  wsPos = -1; inExecComment = false; silent = false; cyrCount = 0; cyrOther = 0;
  invStart = -1; vsStart = -1; tagStart = -1; wStart = -1;
  bidiDepth = 0; bidiFirst = -1;
  statCyrillic = 0; statGreek = 0; statOtherConfusable = 0; statRtl = 0; statNonAsciiLetters = 0; statLatinLookalikes = 0; statMarks = 0; statLatinMarks = 0; markRun = 0; statLayered = 0; statFolded = 0; layeredRec = -1;
}

/** Normalizes input[0..n) into out[0..n). One byte before and 16 after input must be readable (the SIMD prefilter peeks). */
/**
 * Fast path for runs of 2- and 3-byte letters and marks: the same effects as emitChar's letter branch (word scripts,
 * statistics, skeleton) without its per-character dispatch. Scripts that never mix with Latin in a spoof (CJK, Indic,
 * Arabic, ...) do not start a tracked word.
 * Returns the bytes consumed (0 when the first character does not qualify).
 */
function fastLetters(i: u32): u32 {
  let p = i;
  let last: u32 = 0;
  let lastScript: u32 = 0;
  let lastRtl = false;
  while (p + 1 < len) {
    const b0 = <u32>load<u8>(src + p);
    let c: u32 = 0;
    let n: u32 = 0;
    if (b0 >= 0xc2 && b0 < 0xe0) {
      const b1 = <u32>load<u8>(src + p + 1);
      if ((b1 & 0xc0) != 0x80) break;
      c = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
      n = 2;
    } else if (b0 >= 0xe0 && b0 < 0xf0 && p + 2 < len) {
      const b1 = <u32>load<u8>(src + p + 1);
      const b2 = <u32>load<u8>(src + p + 2);
      if ((b1 & 0xc0) != 0x80 || (b2 & 0xc0) != 0x80) break;
      c = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
      if (c < 0x800 || (c >= 0xd800 && c <= 0xdfff)) break;
      n = 3;
    } else break;
    const e = entryOf(c);
    const cls = classOf(e);
    if (cls == CLASS_MARK) {
      if (splitGlue && gluable(last != 0 ? lastScript : prevScript)) break; // the general path: a space
      noteMark(last != 0 ? lastScript : prevScript);
      ign(p, n); p += n; continue;
    }
    if (cls != CLASS_LETTER || isCompat(e)) break; // compatibility forms are recorded: the general path
    const script = scriptOf(e);
    const m = mappedOf(e);
    const rtl = isRtl(c);
    if (wStart < 0) { if (script != SCRIPT_JOINING && script != SCRIPT_CJK && script != SCRIPT_OTHER) startWord(p); }
    if (wStart >= 0) { wScripts |= scriptBit(script); wLetters++; }
    countLetter(e, script, rtl);
    if (script == SCRIPT_CYRILLIC) noteCyrillic(p, c);
    // Never silent here (the caller checks): the letter's byte, then IGN for its tail (one or two bytes).
    store<u8>(dst + p, letterByte(m, script));
    if (n == 3) store<u16>(dst + p + 1, 0xffff); else store<u8>(dst + p + 1, IGN);
    last = c; lastScript = script; lastRtl = rtl; markRun = 0;
    p += n;
  }
  // Marks alone never change the previous character; letters do.
  if (last != 0) { wsPos = -1; setPrev(P_LETTER, lastScript, lastRtl, last); }
  return p - i;
}

export function normalize(input: usize, n: u32, out: usize): void {
  src = input;
  dst = out;
  len = n;
  resetState();
  let i: u32 = 0;
  while (i < n) {
    const b = <u32>load<u8>(src + i);
    const ws = b == 0x20 || b == 0x0a || b == 0x09 || b == 0x0d;
    // The SIMD path knows nothing of pending runs, words, comments or bidi state: enter it only when none is open.
    if (((b > 0x20 && b < 0x7f && b != 0x25 && b != 0x26 && b != 0x5c && b != 0x2f) || (ws && wsPos < 0))
        && wStart < 0 && !inExecComment && invStart < 0 && vsStart < 0 && tagStart < 0 && bidiDepth == 0) {
      const k = <u32>copyPlain(src + i, dst + i, <usize>(n - i));
      if (k > 0) {
        i += k;
        const last = <u32>load<u8>(src + i - 1);
        const word = isAsciiWordByte(last);
        const lastWs = last == 0x20 || last == 0x0a || last == 0x09 || last == 0x0d;
        wsPos = lastWs ? <i32>(i - 1) : -1;
        setPrev(word ? P_LETTER : lastWs ? P_SPACE : P_SYMBOL, word && last != 0x5f ? SCRIPT_LATIN : SCRIPT_COMMON, false, last);
        continue;
      }
    }
    if (b >= 0xc2 && b < 0xf0 && invStart < 0 && vsStart < 0 && tagStart < 0 && !silent) {
      const k = fastLetters(i);
      if (k > 0) { i += k; continue; }
    }
    if (wStart >= 0 && invStart < 0 && vsStart < 0 && tagStart < 0 && !silent && isAsciiAlnum(b)) {
      i += wordAscii(i);
      continue;
    }
    i += b < 0x80 ? asciiStep(i, b) : unicodeStep(i);
  }
  if (invStart >= 0) flushInvisible(P_NONE, SCRIPT_COMMON, false, n);
  if (vsStart >= 0) flushVariation(n);
  if (tagStart >= 0) flushTag(n, lastTagCp);
  flushWord(n);
  paragraphEnd(n);
}
