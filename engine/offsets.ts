/** Maps UTF-8 byte offsets to UTF-16 code-unit offsets of the original string. */

export function byteToUtf16Mapper(str: string, byteLength: number): (byteOffset: number) => number {
  if (str.length === byteLength) return (b) => b; // all ASCII
  // Breakpoints after each non-ASCII character; between them bytes and units advance together. A regular expression
  // finds them (one character class: linear, no backtracking); it skips runs of ASCII natively, where a charCodeAt
  // loop costs about 2 ns a character.
  const bytePos: number[] = [0];
  const unitPos: number[] = [0];
  const nonAscii = /[\u0080-\uffff]/g;
  let b = 0; // bytes before unit `last`
  let last = 0;
  for (let m = nonAscii.exec(str); m !== null; m = nonAscii.exec(str)) {
    const i = m.index;
    b += i - last;
    const c = str.charCodeAt(i);
    const next = i + 1 < str.length ? str.charCodeAt(i + 1) : 0;
    // A pair only when a low surrogate follows: TextEncoder writes a lone surrogate as U+FFFD (3 bytes).
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) { b += 4; last = i + 2; nonAscii.lastIndex = i + 2; }
    else { b += c < 0x800 ? 2 : 3; last = i + 1; }
    bytePos.push(b);
    unitPos.push(last);
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
