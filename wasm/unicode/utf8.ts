/** Strict UTF-8 decoding of one scalar value (RFC 3629); reports the maximal invalid subpart instead of trapping. */

export const UTF8_OK: u32 = 0;
export const UTF8_BAD_LEAD: u32 = 1;
export const UTF8_TRUNCATED: u32 = 2;
export const UTF8_OVERLONG: u32 = 3;
export const UTF8_SURROGATE: u32 = 4;
export const UTF8_TOO_LARGE: u32 = 5;

/** Last decode result: code point (or lenient value for overlongs), byte length, error kind. */
export let cp: u32 = 0;
export let cpLen: u32 = 1;
export let cpErr: u32 = 0;

// @ts-ignore: decorator
@inline
function cont(p: usize, end: usize): bool {
  return p < end && (load<u8>(p) & 0xc0) == 0x80;
}

/** Decodes the non-ASCII sequence at p (lead byte >= 0x80). */
export function decodeAt(p: usize, end: usize): void {
  const b0 = <u32>load<u8>(p);
  cpErr = UTF8_OK;
  if (b0 < 0xc0) { cp = b0; cpLen = 1; cpErr = UTF8_BAD_LEAD; return; }
  if (b0 < 0xe0) {
    if (!cont(p + 1, end)) { cp = b0; cpLen = 1; cpErr = UTF8_TRUNCATED; return; }
    cp = ((b0 & 0x1f) << 6) | (<u32>load<u8>(p + 1) & 0x3f);
    cpLen = 2;
    if (b0 < 0xc2) cpErr = UTF8_OVERLONG; // C0/C1 leads encode ASCII: the classic "%c0%af" trick
    return;
  }
  if (b0 < 0xf0) {
    if (!cont(p + 1, end)) { cp = b0; cpLen = 1; cpErr = UTF8_TRUNCATED; return; }
    if (!cont(p + 2, end)) { cp = b0; cpLen = 2; cpErr = UTF8_TRUNCATED; return; }
    cp = ((b0 & 0x0f) << 12) | ((<u32>load<u8>(p + 1) & 0x3f) << 6) | (<u32>load<u8>(p + 2) & 0x3f);
    cpLen = 3;
    if (cp < 0x800) cpErr = UTF8_OVERLONG;
    else if (cp >= 0xd800 && cp <= 0xdfff) cpErr = UTF8_SURROGATE;
    return;
  }
  if (b0 < 0xf5) {
    if (!cont(p + 1, end)) { cp = b0; cpLen = 1; cpErr = UTF8_TRUNCATED; return; }
    if (!cont(p + 2, end)) { cp = b0; cpLen = 2; cpErr = UTF8_TRUNCATED; return; }
    if (!cont(p + 3, end)) { cp = b0; cpLen = 3; cpErr = UTF8_TRUNCATED; return; }
    cp = ((b0 & 0x07) << 18) | ((<u32>load<u8>(p + 1) & 0x3f) << 12) | ((<u32>load<u8>(p + 2) & 0x3f) << 6) | (<u32>load<u8>(p + 3) & 0x3f);
    cpLen = 4;
    if (cp < 0x10000) cpErr = UTF8_OVERLONG;
    else if (cp > 0x10ffff) cpErr = UTF8_TOO_LARGE;
    return;
  }
  cp = b0; cpLen = 1; cpErr = UTF8_BAD_LEAD;
}
