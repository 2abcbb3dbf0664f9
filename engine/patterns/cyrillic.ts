/**
 * Cyrillic in pattern sources, written the way the core writes Cyrillic words (wasm/normalize.ts, cyrillicWord): a word
 * made only of letters drawn like ASCII ones (а, е, о, р, с ...) keeps that skeleton, since it may be a spoof of a
 * Latin word; any other word is matched letter by letter, each folded lowercase letter as one byte 0xC0-0xEF.
 */
import { CYRILLIC_LOOKALIKES } from './cyrillic-lookalikes.gen.js';

/** Letters folded as NFD then mark stripping folds them, and ґ (which has no decomposition) onto г. */
const FOLD: Readonly<Record<string, string>> = { й: 'и', ё: 'е', ѐ: 'е', ѝ: 'и', ї: 'і', ў: 'у', ѓ: 'г', ќ: 'к', ґ: 'г' };

export const CYRILLIC_CODE_FIRST = 0xc0;
export const CYRILLIC_CODE_LAST = 0xef;

function code(letter: string): string {
  const cp = letter.codePointAt(0)!;
  if (cp >= 0x430 && cp <= 0x44f) return String.fromCharCode(CYRILLIC_CODE_FIRST + cp - 0x430);
  if (cp >= 0x450 && cp <= 0x45f) return String.fromCharCode(0xe0 + cp - 0x450);
  return '\x80'; // the core's placeholder for any other letter
}

/** Rewrites the Cyrillic words of a lowercased, mark-stripped pattern source into the core's bytes. */
export function encodeCyrillic(source: string): string {
  return source.replace(/[\u0400-\u04ff]+/gu, (word) => {
    const letters = [...word].map((c) => FOLD[c] ?? c);
    if (letters.every((c) => CYRILLIC_LOOKALIKES[c] !== undefined)) return letters.map((c) => CYRILLIC_LOOKALIKES[c]).join('');
    return letters.map(code).join('');
  });
}
