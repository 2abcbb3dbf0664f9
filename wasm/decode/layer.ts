/**
 * One decoding layer, for a second reading of text whose escapes were themselves encoded ("&#37;2e", "%26%2360%3B")
 * or written in full-width forms ("％２ｅ", which servers that apply NFKC or Windows best-fit mappings read as "%2e"):
 * full-width ASCII folded, or each escape decoded once. The normal scan of the result undoes the next layer.
 */
import { decodePercent, decodeEntity, decodeEscape, decValue, decLen } from './escapes';

export const LAYER_FULLWIDTH: u32 = 1;
export const LAYER_URL: u32 = 2;
export const LAYER_HTML: u32 = 4;
export const LAYER_ESCAPE: u32 = 8;

let layerKinds: u32 = 0;

/** Which steps changed something in the last peelLayer (LAYER_* bits). */
export function peelKinds(): u32 { return layerKinds; }

/**
 * The ASCII character a byte sequence at p spells: itself, or the ASCII one a full-width form (U+FF01..FF5E) stands
 * for; 0 for anything else. Reads at most three bytes before end.
 */
export function asciiAt(p: usize, end: usize): u32 {
  if (p >= end) return 0;
  const b = <u32>load<u8>(p);
  if (b < 0x80) return b;
  if (b != 0xef || p + 2 >= end) return 0;
  const b1 = <u32>load<u8>(p + 1), b2 = <u32>load<u8>(p + 2);
  if (b1 == 0xbc && b2 >= 0x81 && b2 <= 0xbf) return b2 - 0x81 + 0x21;
  if (b1 == 0xbd && b2 >= 0x80 && b2 <= 0x9e) return b2 - 0x80 + 0x60;
  return 0;
}

/** Writes code point v as UTF-8 at p; returns the bytes written. */
function putUtf8(p: usize, v: u32): u32 {
  if (v < 0x80) { store<u8>(p, <u8>v); return 1; }
  if (v < 0x800) { store<u8>(p, <u8>(0xc0 | (v >> 6))); store<u8>(p + 1, <u8>(0x80 | (v & 0x3f))); return 2; }
  if (v < 0x10000) {
    store<u8>(p, <u8>(0xe0 | (v >> 12))); store<u8>(p + 1, <u8>(0x80 | ((v >> 6) & 0x3f))); store<u8>(p + 2, <u8>(0x80 | (v & 0x3f)));
    return 3;
  }
  store<u8>(p, <u8>(0xf0 | (v >> 18))); store<u8>(p + 1, <u8>(0x80 | ((v >> 12) & 0x3f)));
  store<u8>(p + 2, <u8>(0x80 | ((v >> 6) & 0x3f))); store<u8>(p + 3, <u8>(0x80 | (v & 0x3f)));
  return 4;
}

// @ts-ignore: decorator
@inline
function hexDigit(v: u32): u8 { return <u8>(v < 10 ? 0x30 + v : 0x41 + v - 10); }

/**
 * Decodes src[0, n) by one layer into dst: full-width forms folded, and unless foldOnly, then escapes decoded once.
 * Returns the length (never more than n); map[k] is the source offset of output byte k, map[length] = n. dst and src
 * may be the same buffer (the output never overtakes the input). A decoded control character is written back as %XX:
 * the rescan must still see it as smuggled, not as layout.
 */
export function peelLayer(src: usize, n: u32, dst: usize, map: usize, foldOnly: bool): u32 {
  layerKinds = 0;
  // Pass 1: full-width ASCII folded (three bytes become one).
  let m: u32 = 0;
  let i: u32 = 0;
  while (i < n) {
    const b = load<u8>(src + i);
    const a = b >= 0x80 ? asciiAt(src + i, src + n) : 0;
    store<u32>(map + (<usize>m << 2), i);
    if (a != 0) { store<u8>(dst + m, <u8>a); i += 3; layerKinds |= LAYER_FULLWIDTH; }
    else { store<u8>(dst + m, b); i++; }
    m++;
  }
  // Full-width escapes are the layer: the rescan decodes what they spell, seeing what that reveals (an overlong form).
  if (foldOnly) { store<u32>(map + (<usize>m << 2), n); return m; }
  // Pass 2, in place: each escape decoded once.
  const end = dst + m;
  let k: u32 = 0;
  i = 0;
  while (i < m) {
    const b = load<u8>(dst + i);
    let kind: u32 = 0;
    if (b == 0x25) { decodePercent(dst + i, end); kind = LAYER_URL; }
    else if (b == 0x26) { decodeEntity(dst + i, end); kind = LAYER_HTML; }
    else if (b == 0x5c) { decodeEscape(dst + i, end); kind = LAYER_ESCAPE; }
    const from = load<u32>(map + (<usize>i << 2));
    if (kind == 0 || decLen == 0) {
      store<u8>(dst + k, b);
      store<u32>(map + (<usize>k << 2), from);
      k++; i++;
      continue;
    }
    const v = decValue;
    let w: u32 = 0;
    if (v < 0x20 || v == 0x7f) {
      // Still an escape for the rescan (which names the decoding), not a layer undone here.
      store<u8>(dst + k, 0x25); store<u8>(dst + k + 1, hexDigit(v >> 4)); store<u8>(dst + k + 2, hexDigit(v & 15));
      w = 3;
    } else {
      layerKinds |= kind;
      if (v != 0xfeff) w = putUtf8(dst + k, v); // a lone lead byte (0xfeff) hides nothing
    }
    for (let q: u32 = 0; q < w; q++) store<u32>(map + (<usize>(k + q) << 2), from);
    k += w;
    i += decLen;
  }
  store<u32>(map + (<usize>k << 2), n);
  return k;
}
