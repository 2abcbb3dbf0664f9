/** Readers of the bytes around a hit: words of the normalized stream, token runs of the raw input, negation. */
import type { Hit } from './types.js';
import { encodeCyrillic, CYRILLIC_CODE_FIRST, CYRILLIC_CODE_LAST } from '../patterns/cyrillic.js';

const MAX_TOKEN = 256;
export const utf8 = new TextDecoder();

export function isTokenByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
}

export function tokenEnd(raw: Uint8Array, from: number, extra: (c: number) => boolean = () => false): number {
  let i = from;
  while (i < raw.length && i - from < MAX_TOKEN && (isTokenByte(raw[i]!) || extra(raw[i]!))) i++;
  return i;
}

export const IGN = 0xff;
/** ASCII letters, and Cyrillic letters as the core codes them (engine/patterns/cyrillic.ts). */
export const isLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= CYRILLIC_CODE_FIRST && c <= CYRILLIC_CODE_LAST);

/** The normalized word ending just before `at` (spaces and ignored bytes skipped), at most 8 letters. */
export function wordBefore(norm: Uint8Array, at: number): string {
  let i = at - 1;
  while (i >= 0 && (norm[i] === 0x20 || norm[i] === IGN)) i--;
  let w = '';
  while (i >= 0 && w.length < 8 && (isLetter(norm[i]!) || norm[i] === 0x27 || norm[i] === IGN)) { if (norm[i] !== IGN) w = String.fromCharCode(norm[i]!) + w; i--; }
  return w;
}

/** The normalized word after the word starting at `at`, at most 8 letters. */
export function secondWord(norm: Uint8Array, at: number): string {
  let i = at;
  while (i < norm.length && (isLetter(norm[i]!) || norm[i] === IGN)) i++;
  while (i < norm.length && (norm[i] === 0x20 || norm[i] === 0x2c || norm[i] === IGN)) i++;
  let w = '';
  while (i < norm.length && w.length < 8 && (isLetter(norm[i]!) || norm[i] === IGN)) { if (norm[i] !== IGN) w += String.fromCharCode(norm[i]!); i++; }
  return w;
}

const NEGATION_BEFORE = new Set(["don't", 'dont', 'not', 'never', "n'", 'no', 'nie', 'non', 'nunca', 'jamais', 'mai', 'nao',
  ...['не', 'ни', 'никогда'].map(encodeCyrillic)]);
const NEGATION_AFTER = new Set(['nicht', 'pas', 'niemals', 'nie', 'niet']);

/** Whether norm[0, at) holds only bytes `ok` accepts (ignored bytes aside): the hit opens the value. */
export function onlyBefore(norm: Uint8Array, at: number, ok: (c: number) => boolean): boolean {
  for (let i = 0; i < at; i++) if (norm[i] !== IGN && !ok(norm[i]!)) return false;
  return true;
}

/** The run of bytes `accept` takes from `from` (ignored bytes skipped, at most `max` kept) and where it ends. */
export function readRun(norm: Uint8Array, from: number, max: number, accept: (c: number) => boolean): { text: string; end: number } {
  let text = '';
  let i = from;
  for (; i < norm.length && text.length < max; i++) {
    const c = norm[i]!;
    if (c === IGN) continue;
    if (!accept(c)) break;
    text += String.fromCharCode(c);
  }
  return { text, end: i };
}

/** Words of norm[from, to) (ASCII letters; Cyrillic codes and the rest separate them). */
export function wordsIn(norm: Uint8Array, from: number, to: number): string[] {
  let text = '';
  for (let i = Math.max(0, from); i < Math.min(to, norm.length); i++) {
    const c = norm[i]!;
    if (c !== IGN) text += (c >= 0x61 && c <= 0x7a) || c === 0x27 ? String.fromCharCode(c) : ' ';
  }
  return text.split(' ').filter(Boolean);
}

// Bytes walked per character at most: an entity (&#x202E;), a UTF-8 letter with marks, a few invisible characters.
const BYTES_PER_CHAR = 16;

/**
 * Words of the `chars` characters after `at` (of the normalized stream: the ignored tails of escapes, full-width and
 * multi-byte letters are not characters), so a window reads as far into "&#111;&#117;&#116;" as into "out".
 */
export function wordsAfter(norm: Uint8Array, at: number, chars: number): string[] {
  let i = at, n = 0;
  const limit = Math.min(norm.length, at + chars * BYTES_PER_CHAR);
  for (; i < limit && n < chars; i++) if (norm[i] !== IGN) n++;
  return wordsIn(norm, at, i);
}

/** Words of the `chars` characters before `at` (as wordsAfter). */
export function wordsBefore(norm: Uint8Array, at: number, chars: number): string[] {
  let i = at, n = 0;
  const limit = Math.max(0, at - chars * BYTES_PER_CHAR);
  while (i > limit && n < chars) if (norm[--i] !== IGN) n++;
  return wordsIn(norm, i, at);
}

/** The next normalized word (ASCII letters) at or after `from`, and where it ends; '' when none within 32 bytes. */
export function nextWord(norm: Uint8Array, from: number): { text: string; end: number } {
  let i = from;
  while (i < norm.length && i - from < 32 && !(norm[i]! >= 0x61 && norm[i]! <= 0x7a)) i++;
  const run = readRun(norm, i, 16, (c) => c >= 0x61 && c <= 0x7a);
  return { text: run.text, end: run.end };
}

/** The hit opens a sentence: text start, or after . ! ? : or a line break ("please" may come first). */
export function opensSentence(norm: Uint8Array, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (norm[i] === 0x20 || norm[i] === IGN)) i--;
  if (wordBefore(norm, at) === 'please') { i -= 6; while (i >= 0 && (norm[i] === 0x20 || norm[i] === IGN)) i--; }
  const c = i < 0 ? 0x2e : norm[i]!;
  return c === 0x2e || c === 0x21 || c === 0x3f || c === 0x3a || c === 0x0a;
}

/**
 * "Don't forget all the previous tasks", "Vergiss nicht, alle Aufträge ...", "die Angaben nicht", "n'oublie pas": a
 * negated order is a reminder, the opposite of an override. `start` is where the rule's span begins.
 */
export function negated(norm: Uint8Array, hit: Hit, start: number): boolean {
  const before = wordBefore(norm, start);
  if (NEGATION_BEFORE.has(before) || before.endsWith("n'")) return true;
  if (NEGATION_AFTER.has(secondWord(norm, start))) return true;
  // German puts the negation after the object: "vergessen Sie die obigen Angaben nicht".
  return NEGATION_AFTER.has(secondWord(norm, hit.start));
}
