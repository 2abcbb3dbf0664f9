/** Unicode findings from the core's records: severity depends on context (a stray ZWSP is low; a veiled word is not). */
import type { Finding } from './types.js';
import type { ScanStats } from '../core.js';
import { REC } from '../record-codes.js';
import { SCRIPT } from '../unicode-classes.js';

export interface UnicodeRecord { code: number; start: number; end: number; extra: number }


/** NUL truncates, ESC starts terminal sequences, BS and DEL overwrite what a reader sees; C1 0x9b is an 8-bit CSI. */
function dangerousControl(raw: Uint8Array, start: number, end: number): boolean {
  const b = raw[start]!;
  return b === 0x00 || b === 0x1b || b === 0x08 || b === 0x7f || (b === 0xc2 && raw[start + 1] === 0x9b) || c1String(raw, start, end);
}

/**
 * An 8-bit terminal control string opener anywhere in a run of C1 controls (DCS, SOS, OSC, PM, APC: the one-byte
 * forms of ESC P, ESC X, ESC ], ESC ^, ESC _). Mojibake makes these too, always right behind a Latin-1 character
 * (UTF-8 read as Latin-1: "Ð" + U+0090; the right double quote becomes "â" + U+0080 + U+009D), so a run that starts
 * behind one is left alone.
 */
function c1String(raw: Uint8Array, start: number, end: number): boolean {
  if (raw[start - 2] === 0xc3 || (raw[start - 2] === 0xc2 && raw[start - 1]! >= 0xa0)) return false;
  for (let i = start; i + 1 < end && raw[i] === 0xc2; i += 2) {
    const c = raw[i + 1]!;
    if (c === 0x90 || c === 0x98 || c === 0x9d || c === 0x9e || c === 0x9f) return true;
  }
  return false;
}

/** C1 controls (U+0080-009F) mostly come from mojibake (UTF-8 read as Latin-1), not from attacks. */
function isC1(raw: Uint8Array, start: number): boolean {
  return raw[start] === 0xc2 && raw[start + 1]! >= 0x80 && raw[start + 1]! <= 0x9f;
}

/** Mathematical alphanumeric symbols (U+1D400-1D7FF: UTF-8 F0 9D 90..9F xx) in a span. */
function mathLetters(raw: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i + 4 <= end; i++) if (raw[i] === 0xf0 && raw[i + 1] === 0x9d && raw[i + 2]! >= 0x90 && raw[i + 2]! <= 0x9f) { n++; i += 3; }
  return n;
}

/** Words in mathematical look-alike letters (𝐃𝐑𝐎𝐏 𝐓𝐀𝐁𝐋𝐄): at least this many letters over at least two words. */
const MATH_LETTERS = 8;

/** ASCII letters in raw[start, end), counted up to `max`. */
function asciiLetters(raw: Uint8Array, start: number, end: number, max = Infinity): number {
  let n = 0;
  for (let i = start; i < end && n < max; i++) { const c = raw[i]! | 0x20; if (c >= 0x61 && c <= 0x7a) n++; }
  return n;
}

/** Text mostly in Latin letters: only there is a word in another script's look-alikes a spoof. */
export function isLatinDominant(stats: ScanStats, bytes: number): boolean {
  return (stats.cyrillic + stats.greek + stats.otherConfusable) * 4 < Math.max(1, bytes - stats.nonAsciiLetters * 2);
}

/**
 * Whether words written wholly in another script's look-alikes spoof Latin ones: the text is mostly Latin, or every
 * Cyrillic, Greek or other look-alike letter in it sits in such words and Latin words surround them ("Please ассерт
 * the terms", "visit раураӏ.com"; Russian text has letters that look like no Latin one).
 */
export function wholeScriptSpoofs(spans: readonly { start: number; end: number }[], stats: ScanStats, raw: Uint8Array): boolean {
  if (isLatinDominant(stats, raw.length)) return true;
  let inside = 0, insideBytes = 0;
  for (const w of spans) {
    insideBytes += w.end - w.start;
    for (let i = w.start; i < w.end; i++) if (raw[i]! >= 0xc0) inside++; // one lead byte per letter
  }
  if (inside < stats.cyrillic + stats.greek + stats.otherConfusable) return false;
  return asciiLetters(raw, 0, raw.length, 3) >= 3 && raw.length > insideBytes;
}

/** `spoofs`: the scan's whole-script words spoof Latin ones (wholeScriptSpoofs, computed once by the caller). */
export function unicodeFindings(recs: UnicodeRecord[], getStats: () => ScanStats, raw: Uint8Array, spoofs = false): Finding[] {
  if (recs.length === 0) return [];
  const bytes = raw.length;
  const stats = getStats();
  const out: Finding[] = [];
  let invisibleTotal = 0;
  let math = 0, mathWords = 0, mathStart = -1, mathEnd = -1;
  for (const r of recs) {
    if (r.code === REC.INVISIBLE && !(r.extra & 0x10000)) invisibleTotal += r.extra & 0xffff;
    if (r.code === REC.COMPAT) {
      const m = mathLetters(raw, r.start, r.end);
      if (m > 0) { math += m; mathWords++; if (mathStart < 0) mathStart = r.start; mathEnd = r.end; }
    }
  }
  // A phrase in styled letters hides its text from naive filters (the matcher reads it through NFKC, so what it says
  // is judged on its own); styled text is also decoration ("𝑻𝒉𝒆 𝒒𝒖𝒊𝒄𝒌 𝒃𝒓𝒐𝒘𝒏 𝒇𝒐𝒙"), so this is informational.
  if (math >= MATH_LETTERS && mathWords >= 2) {
    out.push({ type: 'unicode_homoglyph', severity: 'low', start: mathStart, end: mathEnd, rule: 'unicode.math-letters',
      description: `${math} mathematical look-alike letters in ${mathWords} words (text styled to pass filters)` });
  }
  const latinDominant = isLatinDominant(stats, bytes);
  for (const r of recs) {
    const at = { start: r.start, end: r.end };
    switch (r.code) {
      case REC.INVISIBLE: {
        if (r.extra & 0x10000) break; // legitimate joiner, soft hyphen or RTL mark in context
        const count = r.extra & 0xffff;
        const inWord = (r.extra & 0x20000) !== 0;
        const filler = (r.extra & 0x80000) !== 0; // a Hangul filler outside Hangul: an invisible identifier
        const severity = count >= 2 || invisibleTotal >= 3 ? 'high' : inWord || filler ? 'medium' : 'low';
        out.push({ type: 'unicode_invisible', severity, ...at, rule: 'unicode.invisible',
          description: `${count} invisible character${count > 1 ? 's' : ''}${inWord ? ' inside a word' : ''}` });
        break;
      }
      case REC.BIDI_OVERRIDE:
        out.push({ type: 'unicode_bidi', severity: 'high', ...at, rule: 'unicode.bidi-override',
          description: `${r.extra} bidirectional override${r.extra > 1 ? 's' : ''} (LRO/RLO) reorder the text as displayed` });
        break;
      case REC.BIDI:
        out.push({ type: 'unicode_bidi', severity: stats.rtl > 0 ? 'low' : 'medium', ...at, rule: 'unicode.bidi',
          description: `${r.extra} bidirectional embedding/isolate control${r.extra > 1 ? 's' : ''}${stats.rtl > 0 ? ' in right-to-left text' : ''}` });
        break;
      case REC.BIDI_UNTERMINATED:
        out.push({ type: 'unicode_bidi', severity: 'high', ...at, rule: 'unicode.bidi-unterminated',
          description: `unterminated bidirectional control (depth ${r.extra}) reorders the rest of the line` });
        break;
      case REC.TAG:
        if (r.extra & 0x10000) break; // subdivision flag emoji
        out.push({ type: 'unicode_tag', severity: 'high', ...at, rule: 'unicode.tag',
          description: `${r.extra & 0xffff} Unicode tag characters (hidden ASCII)` });
        break;
      case REC.VARIATION: {
        if (r.extra & 0x10000) break;
        const count = r.extra & 0xffff;
        out.push({ type: 'unicode_invisible', severity: count >= 4 ? 'high' : count >= 2 ? 'medium' : 'low', ...at,
          rule: 'unicode.variation-selectors', description: `${count} variation selector${count > 1 ? 's' : ''} (possible hidden data)` });
        break;
      }
      case REC.CONTROL:
        out.push({ type: 'unicode_control', severity: dangerousControl(raw, r.start, r.end) || (r.extra >= 2 && !isC1(raw, r.start)) ? 'medium' : 'low', ...at, rule: 'unicode.control',
          description: `${r.extra} control character${r.extra > 1 ? 's' : ''}` });
        break;
      case REC.ENCODED_CONTROL:
        out.push({ type: 'unicode_control', severity: 'medium', ...at, rule: 'unicode.encoded-control',
          description: `${r.extra} control character${r.extra > 1 ? 's' : ''} written as an escape (&#1;, %00): filter evasion or string truncation` });
        break;
      case REC.INVALID_UTF8:
        out.push({ type: 'invalid_utf8', severity: 'medium', ...at, rule: 'unicode.invalid-utf8',
          description: `${r.extra} invalid or overlong UTF-8 sequence${r.extra > 1 ? 's' : ''}` });
        break;
      case REC.MIXED_SCRIPT: {
        const confusables = (r.extra >> 8) & 0xff;
        // A Greek letter glued to one Latin letter ("5 μm", "2πr", "Δx", "αx + βy", "10 kΩ"): a unit or a formula,
        // not a spoof (those hide in longer words: "Gοogle", "pаypal").
        const scripts = r.extra & 0xff & ~(1 << SCRIPT.COMMON);
        if (scripts === ((1 << SCRIPT.LATIN) | (1 << SCRIPT.GREEK)) && ((r.extra >> 16) & 0xff) <= 2) break;
        // Both findings when the mix spoofs: the word is mixed-script (UTS #39) and its look-alikes are the homoglyphs.
        out.push({ type: 'unicode_mixed_script', severity: 'medium', ...at, rule: 'unicode.mixed-script',
          description: `word mixes ${r.extra & (1 << SCRIPT.LATIN) ? 'Latin' : 'a script'} with another script` });
        if (confusables > 0) {
          out.push({ type: 'unicode_homoglyph', severity: 'high', ...at, rule: 'unicode.homoglyph',
            description: `word mixes ${r.extra & (1 << SCRIPT.LATIN) ? 'Latin' : 'a script'} with ${confusables} look-alike letter${confusables > 1 ? 's' : ''} from another script` });
        }
        break;
      }
      case REC.LATIN_LOOKALIKE:
        // Only where look-alikes are at least a quarter of the text's non-ASCII letters ("ᴏkta ... Café" still counts)
        // and no combining mark is present: orthographies that use such letters use many other non-ASCII letters too.
        if (!latinDominant || stats.latinLookalikes * 4 < stats.nonAsciiLetters || stats.marks > 0) break;
        // A spoof hides in an ASCII word ("bypɑss", "ᴏkta"); a word all in small capitals ("ꜱᴀʟᴇ") is styled text.
        if (asciiLetters(raw, r.start, r.end) < 3) break;
        out.push({ type: 'unicode_homoglyph', severity: 'medium', ...at, rule: 'unicode.latin-lookalike',
          description: `Latin word spelled with ${r.extra & 0xff} look-alike letter${(r.extra & 0xff) > 1 ? 's' : ''} (Latin alpha, script g, small capitals)` });
        break;
      case REC.WHOLE_SCRIPT:
        if (((r.extra >> 16) & 0xff) < 4) break; // short all-caps acronyms (ΑΕΙ) are names, not spoofs
        if (!spoofs) break;
        out.push({ type: 'unicode_homoglyph', severity: 'medium', ...at, rule: 'unicode.whole-script',
          description: 'word written entirely in look-alike letters of another script inside Latin text' });
        break;
      default:
        break;
    }
  }
  return out;
}
