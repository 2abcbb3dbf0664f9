/** Maps UTF-8 byte offsets to UTF-16 code-unit offsets of the original string. */

export function byteToUtf16Mapper(str: string, byteLength: number): (byteOffset: number) => number {
  if (str.length === byteLength) return (b) => b; // all ASCII
  // Breakpoints after each non-ASCII character; between them bytes and units advance together.
  const bytePos: number[] = [0];
  const unitPos: number[] = [0];
  let b = 0;
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    if (c < 0x80) { b++; continue; }
    const next = i + 1 < str.length ? str.charCodeAt(i + 1) : 0;
    // A pair only when a low surrogate follows: TextEncoder writes a lone surrogate as U+FFFD (3 bytes).
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) { b += 4; i++; }
    else b += c < 0x800 ? 2 : 3;
    bytePos.push(b);
    unitPos.push(i + 1);
  }
  return (offset) => {
    let lo = 0, hi = bytePos.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bytePos[mid]! <= offset) lo = mid; else hi = mid - 1;
    }
    return unitPos[lo]! + (offset - bytePos[lo]!);
  };
}
