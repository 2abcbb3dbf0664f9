/**
 * The pattern language, over the normalized stream (lowercase ASCII skeleton). Fixed length by design, so the
 * core can find a match's start by counting back. Syntax:
 *   literal characters (matched lowercase)   ' ' whitespace (runs are already collapsed to one)
 *   \b word boundary, ^ start of text, $ end of text, \L start of a line: at a pattern's start these are consumed
 *      (a non-word byte, or the BEGIN byte the core feeds before the text); at its end \b and $ are checked by the core
 *      after the match; inside a pattern \b is dropped
 *   Cyrillic letters are written as the core writes Cyrillic words (engine/patterns/cyrillic.ts)
 *   [^abc] negated set; \n \t \r \xHH bytes (also inside sets)   \d digit   \w word byte   \x01 a decoded control byte
 *   [abc] [a-z] sets, \ escapes the next character; (a|bc) alternatives, x? and x{m,n} expand into variants.
 */

import { encodeCyrillic, CYRILLIC_CODE_FIRST, CYRILLIC_CODE_LAST } from './cyrillic.js';

export const BYTE_BEGIN = 0x02;
export const BYTE_END = 0x03;
export const BYTE_DECODED_CONTROL = 0x01;
export const BYTE_OTHER_LETTER = 0x80;
export const BYTE_IGN = 0xff;

export type ByteSet = Uint8Array; // 256 flags

function set(bytes: Iterable<number>): ByteSet {
  const s = new Uint8Array(256);
  for (const b of bytes) s[b] = 1;
  return s;
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let c = a; c <= b; c++) out.push(c);
  return out;
}

const WORD = [...range(0x61, 0x7a), ...range(0x30, 0x39), 0x5f, BYTE_OTHER_LETTER, ...range(CYRILLIC_CODE_FIRST, CYRILLIC_CODE_LAST)];
const NON_WORD = range(0, 0xfe).filter((b) => !WORD.includes(b));
const SETS: Record<string, ByteSet> = {
  b: set(NON_WORD),
  d: set(range(0x30, 0x39)),
  w: set(WORD),
  s: set([0x20, 0x0a, BYTE_DECODED_CONTROL]), // an encoded line break also separates words
  '^': set([BYTE_BEGIN]),
  $: set([BYTE_END]),
  l: set([BYTE_BEGIN, 0x0a, BYTE_DECODED_CONTROL]),
};

/** `anchor` marks \b, ^ and $: at a pattern's ends they become checks in the core instead of consumed bytes. */
/** Letters that name a set after a backslash; any other escaped character is itself (\$ is a dollar sign). */
const ESCAPES = ['b', 'd', 'w', 's', 'l'];

export interface Element { set: ByteSet; anchor: 'word' | 'text-start' | 'text-end' | 'line-start' | null }
type Alt = Element[][]; // one element sequence per alternative

/** Parses one pattern source into all fixed-length variants it stands for. */
export function expand(source: string): Element[][] {
  let pos = 0;
  // Patterns are written against the skeleton: accents are stripped exactly as the core strips them.
  const src = encodeCyrillic(source.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase());

  function parseSeq(stop: string): Alt {
    let variants: Element[][] = [[]];
    while (pos < src.length && !stop.includes(src[pos]!)) {
      let piece: Alt;
      const c = src[pos]!;
      if (c === '(') {
        pos++;
        piece = [];
        for (;;) {
          piece.push(...parseSeq('|)'));
          if (src[pos] === '|') { pos++; continue; }
          if (src[pos] !== ')') throw new Error(`pattern ${source}: missing )`);
          pos++;
          break;
        }
      } else piece = [[parseAtom()]];
      if (src[pos] === '?') { pos++; piece = [...piece, []]; }
      else if (src[pos] === '{') piece = repeat(piece);
      else if (src[pos] === '+' || src[pos] === '*') throw new Error(`pattern ${source}: use {m,n}, patterns are fixed-length`);
      const next: Element[][] = [];
      for (const v of variants) for (const p of piece) next.push([...v, ...p]);
      if (next.length > 4096) throw new Error(`pattern ${source}: too many variants`);
      variants = next;
    }
    return variants;
  }

  /** x{m,n}: every count from m to n, each its own fixed-length variant. */
  function repeat(piece: Alt): Alt {
    const close = src.indexOf('}', pos);
    const parts = src.slice(pos + 1, close).split(',');
    const m = Number(parts[0]);
    const n = parts.length > 1 ? Number(parts[1]) : m;
    if (!Number.isInteger(m) || !Number.isInteger(n) || parts[1] === '' || n < m) throw new Error(`pattern ${source}: bad repeat {${parts.join(',')}}`);
    pos = close + 1;
    const out: Alt = [];
    let current: Alt = [[]];
    for (let k = 0; k <= n; k++) {
      if (k >= m) out.push(...current);
      const next: Alt = [];
      for (const c of current) for (const p of piece) next.push([...c, ...p]);
      current = next;
    }
    return out;
  }

  /** \n \t \r and \xHH stand for bytes; -1 for other escapes. Reads the two hex digits of \x. */
  function literalEscape(e: string): number {
    if (e === 'n') return 0x0a;
    if (e === 't') return 0x09;
    if (e === 'r') return 0x0d;
    if (e !== 'x') return -1;
    const v = parseInt(src.slice(pos, pos + 2), 16);
    pos += 2;
    return v;
  }

  function parseAtom(): Element {
    const c = src[pos++]!;
    if (c === '\\') {
      const e = src[pos++]!;
      const lit = literalEscape(e);
      if (lit >= 0) return { set: set([lit]), anchor: null };
      if (ESCAPES.includes(e)) return { set: SETS[e]!, anchor: e === 'b' ? 'word' : e === 'l' ? 'line-start' : null };
      return { set: set([e.charCodeAt(0)]), anchor: null };
    }
    if (c === '^' || c === '$') return { set: SETS[c]!, anchor: c === '^' ? 'text-start' : 'text-end' };
    if (c === ' ') return { set: SETS.s!, anchor: null };
    if (c === '[') {
      const negate = src[pos] === '^';
      if (negate) pos++;
      const bytes: number[] = [];
      while (pos < src.length && src[pos] !== ']') {
        let a = src[pos++]!;
        if (a === '\\') {
          const e = src[pos++]!;
          if (ESCAPES.includes(e)) { SETS[e]!.forEach((v, b) => { if (v) bytes.push(b); }); continue; }
          const lit = literalEscape(e);
          if (lit >= 0) { bytes.push(lit); continue; }
          a = e;
        }
        if (src[pos] === '-' && src[pos + 1] !== ']' && pos + 1 < src.length) {
          const b = src[pos + 1]!;
          pos += 2;
          bytes.push(...range(a.charCodeAt(0), b.charCodeAt(0)));
        } else bytes.push(a.charCodeAt(0));
      }
      pos++;
      // A negated set never matches the IGN byte or the virtual text edges.
      if (negate) return { set: set(range(0x04, 0xfe).filter((b) => !bytes.includes(b))), anchor: null };
      return { set: set(bytes), anchor: null };
    }
    return { set: set([c.charCodeAt(0)]), anchor: null };
  }

  const out = parseSeq('');
  if (pos !== src.length) throw new Error(`pattern ${source}: unexpected ${src[pos]}`);
  for (const v of out) if (v.length === 0) throw new Error(`pattern ${source}: empty variant`);
  return out;
}
