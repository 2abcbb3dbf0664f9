/** Evasion mutations for the eval: each returns a variant of an attack that a trustworthy scanner must still flag. */

const HOMOGLYPHS: Record<string, string> = { a: '\u0430', e: '\u0435', o: '\u043e', p: '\u0440', c: '\u0441', x: '\u0445', i: '\u0456', s: '\u0455' };

/** Deterministic pseudo-random generator (mulberry32) so eval figures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const MUTATIONS: Record<string, (s: string, r: () => number) => string> = {
  case: (s, r) => [...s].map((c) => (r() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join(''),
  fullwidth: (s) => [...s].map((c) => {
    const x = c.charCodeAt(0);
    return x > 0x20 && x < 0x7f ? String.fromCharCode(x + 0xfee0) : c;
  }).join(''),
  zero_width: (s, r) => [...s].map((c, i) => (i > 0 && /[a-z]/i.test(c) && r() < 0.3 ? '\u200b' + c : c)).join(''),
  homoglyph: (s, r) => [...s].map((c) => (HOMOGLYPHS[c] && r() < 0.5 ? HOMOGLYPHS[c]! : c)).join(''),
  url_encoded: (s) => [...s].map((c) => (/[a-z0-9]/i.test(c) ? c : encodeURIComponent(c).replace(/[!'()*]/g, (x) => '%' + x.charCodeAt(0).toString(16)))).join(''),
  html_encoded: (s) => [...s].map((c) => `&#${c.codePointAt(0)};`).join(''),
  comment_split: (s) => s.replace(/ /g, '/**/'),
};
