/** Decoders for one URL-percent, HTML-entity or backslash escape at a position; O(1) work per call, never reads past end. */

/** Result of the last successful decode: value, bytes consumed (0 = not an escape), overlong flag. */
export let decValue: u32 = 0;
export let decLen: u32 = 0;
export let decOverlong: bool = false;

// @ts-ignore: decorator
@inline
function hexVal(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30);
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return <i32>(l - 0x61 + 10);
  return -1;
}

function hexN(p: usize, end: usize, n: u32): i32 {
  if (p + <usize>n > end) return -1;
  let v: i32 = 0;
  for (let k: u32 = 0; k < n; k++) {
    const h = hexVal(<u32>load<u8>(p + k));
    if (h < 0) return -1;
    v = (v << 4) | h;
  }
  return v;
}

let pctLen: u32 = 0;
let nibLen: u32 = 0;

/** One hex digit at p, written as itself or percent-encoded ("%32" is "2"); -1 when neither. */
function nibble(p: usize, end: usize): i32 {
  if (p >= end) return -1;
  const c = <u32>load<u8>(p);
  const h = hexVal(c);
  if (h >= 0) { nibLen = 1; return h; }
  if (c != 0x25) return -1;
  const e = hexN(p + 1, end, 2);
  if (e < 0 || hexVal(<u32>e) < 0) return -1;
  nibLen = 3;
  return hexVal(<u32>e);
}

/**
 * One percent-encoded byte at p, through up to three layers of %25 ("%2527" is "'"); -1 when not one. Its two hex
 * digits may themselves be percent-encoded ("%%32%65" is "%2e", which a second decoding pass turns into ".").
 */
function readPct(p: usize, end: usize): i32 {
  if (p >= end || load<u8>(p) != 0x25) return -1;
  const hi = nibble(p + 1, end);
  if (hi < 0) return -1;
  const hiLen = nibLen;
  const lo = nibble(p + 1 + hiLen, end);
  if (lo < 0) return -1;
  let v = (hi << 4) | lo;
  let len: u32 = 1 + hiLen + nibLen;
  for (let depth = 0; depth < 3 && v == 0x25; depth++) {
    const w = hexN(p + len, end, 2);
    if (w < 0) break;
    v = w;
    len += 2;
  }
  pctLen = len;
  return v;
}

/**
 * At '%': %XX (nested %25XX), %uXXXX, and %XX sequences that spell one UTF-8 character. Overlong forms, including
 * the 5- and 6-byte ones old decoders accepted (%f8%80%80%80%ae), decode to what they hide and are flagged.
 */
export function decodePercent(p: usize, end: usize): void {
  decLen = 0;
  decOverlong = false;
  if (p + 1 < end && (load<u8>(p + 1) | 0x20) == 0x75) { // %uXXXX (IIS)
    const v = hexN(p + 2, end, 4);
    if (v >= 0) { decValue = <u32>v; decLen = 6; }
    return;
  }
  const v = readPct(p, end);
  if (v < 0) return;
  let len = pctLen;
  if (v < 0x80) { decValue = <u32>v; decLen = len; return; }
  // Multi-byte: gather percent-encoded continuation bytes and decode leniently.
  const want: u32 = v >= 0xfc ? 6 : v >= 0xf8 ? 5 : v >= 0xf0 ? 4 : v >= 0xe0 ? 3 : v >= 0xc0 ? 2 : 1;
  let value: u32 = want == 1 ? <u32>v : <u32>v & (0x7f >> want);
  let n: u32 = 1;
  while (n < want) {
    const w = readPct(p + len, end);
    if (w < 0 || (w & 0xc0) != 0x80) break;
    value = (value << 6) | (<u32>w & 0x3f);
    n++;
    len += pctLen;
  }
  if (want == 1 || n < want) {
    // A lone or truncated lead byte hides nothing: it vanishes from the normalized text (and is flagged).
    decValue = 0xfeff;
    decOverlong = true;
    decLen = pctLen;
    return;
  }
  const min: u32 = want == 2 ? 0x80 : want == 3 ? 0x800 : want == 4 ? 0x10000 : 0x110000;
  decOverlong = value < min || want > 4;
  decValue = value > 0x10ffff ? 0xfffd : value;
  decLen = len;
}

// name + one value character, in sequence; names are matched case-insensitively.
const ENTITIES = "lt<gt>amp&quot\"apos'sol/bsol\\colon:semi;lpar(rpar)lsqb[rsqb]lbrack[rbrack]lcub{rcub}lbrace{rbrace}equals=excl!num#dollar$percnt%period.comma,tab\tnewline\nnbsp grave`ast*plus+vert|verbar|quest?commat@hat^lowbar_";

function namedEntity(p: usize, n: u32): i32 {
  let k = 0;
  const total = ENTITIES.length;
  while (k < total) {
    let j = k;
    while (j < total && ENTITIES.charCodeAt(j) >= 0x61 && ENTITIES.charCodeAt(j) <= 0x7a) j++;
    if (<u32>(j - k) == n) {
      let same = true;
      for (let m: u32 = 0; m < n; m++) {
        if ((<i32>load<u8>(p + m) | 0x20) != ENTITIES.charCodeAt(k + <i32>m)) { same = false; break; }
      }
      if (same) return ENTITIES.charCodeAt(j);
    }
    k = j + 1;
  }
  return -1;
}

/** One entity at p (no nesting); sets decValue/decLen or leaves decLen 0. */
function entityAt(p: usize, end: usize): void {
  decLen = 0;
  let q = p + 1;
  if (q < end && load<u8>(q) == 0x23) {
    q++;
    let hex = false;
    if (q < end && (load<u8>(q) | 0x20) == 0x78) { hex = true; q++; }
    // Browsers accept any number of leading zeros (&#0000000060;): skip up to 32 of them.
    let zeros = 0;
    while (q < end && zeros < 32 && load<u8>(q) == 0x30) { q++; zeros++; }
    let v: u32 = 0;
    let digits = 0;
    while (q < end && digits < 8) {
      const c = <u32>load<u8>(q);
      const d = hex ? hexVal(c) : (c >= 0x30 && c <= 0x39 ? <i32>(c - 0x30) : -1);
      if (d < 0) break;
      v = v * (hex ? 16 : 10) + <u32>d;
      digits++;
      q++;
    }
    if ((digits == 0 && zeros == 0) || v > 0x10ffff) return;
    if (q < end && load<u8>(q) == 0x3b) q++;
    decValue = v;
    decLen = <u32>(q - p);
    return;
  }
  let n: u32 = 0;
  while (q + n < end && n < 8 && ((load<u8>(q + n) | 0x20) >= 0x61 && (load<u8>(q + n) | 0x20) <= 0x7a)) n++;
  if (n == 0 || q + n >= end || load<u8>(q + n) != 0x3b) return;
  const v = namedEntity(q, n);
  if (v < 0) return;
  decValue = <u32>v;
  decLen = n + 2;
}

/**
 * At '&': &#DDD; &#xHH; (semicolon optional, as browsers accept) and a small set of named entities. A decoded '&'
 * that starts another entity is decoded again (&amp;lt; is '<' after two rounds), up to three layers.
 */
export function decodeEntity(p: usize, end: usize): void {
  decOverlong = false;
  entityAt(p, end);
  let total = decLen;
  for (let depth = 0; depth < 2 && total > 0 && decValue == 0x26; depth++) {
    // "&amp;" followed by the rest of an entity: "&amp;lt;" spells "&lt;" once decoded.
    const v = decValue;
    const inner = nestedEntity(p + total, end);
    if (inner == 0) { decValue = v; break; }
    total += inner;
  }
  decLen = total;
}

/** After a decoded '&', the bytes at p continue an entity ("lt;", "#60;"): returns their length or 0. */
function nestedEntity(p: usize, end: usize): u32 {
  // Copy '&' + up to 40 following bytes into SCRATCH and decode the entity there.
  let n: u32 = 0;
  store<u8>(SCRATCH, 0x26);
  while (n < 40 && p + n < end) { store<u8>(SCRATCH + 1 + n, load<u8>(p + n)); n++; }
  entityAt(SCRATCH, SCRATCH + 1 + n);
  return decLen > 0 ? decLen - 1 : 0;
}

const SCRATCH = memory.data(48);

/** At '\\': \uXXXX, \u{X...}, \xHH. Other escapes (\n, \t) stay as written: they are text, not hidden data. */
export function decodeEscape(p: usize, end: usize): void {
  decLen = 0;
  decOverlong = false;
  if (p + 1 >= end) return;
  const k = load<u8>(p + 1) | 0x20;
  if (k == 0x75) {
    if (p + 2 < end && load<u8>(p + 2) == 0x7b) {
      let v: u32 = 0;
      let q = p + 3;
      let digits = 0;
      while (q < end && digits < 6) {
        const h = hexVal(<u32>load<u8>(q));
        if (h < 0) break;
        v = (v << 4) | <u32>h;
        digits++;
        q++;
      }
      if (digits == 0 || q >= end || load<u8>(q) != 0x7d || v > 0x10ffff) return;
      decValue = v;
      decLen = <u32>(q + 1 - p);
      return;
    }
    const v = hexN(p + 2, end, 4);
    if (v < 0) return;
    decValue = <u32>v;
    decLen = 6;
    return;
  }
  if (k == 0x78) {
    const v = hexN(p + 2, end, 2);
    if (v < 0) return;
    decValue = <u32>v;
    decLen = 4;
  }
}

