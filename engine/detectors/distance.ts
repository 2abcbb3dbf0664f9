/** Distances between hits, counted in characters of the text rather than bytes of the normalized stream. */
import type { ScanView } from './types.js';

/**
 * Distance in characters, not bytes: IGN bytes (the tails of multi-byte characters, collapsed whitespace, stripped
 * characters, combining marks) do not count, so padding with spaces, marks or escapes does not pull an attack's words
 * apart, however long it is. A gap longer than the scan's ignored bytes can make up is decided at once; any other
 * is measured with the core's count of characters per 16-byte block, so thousands of hits across one padded gap
 * stay linear.
 */
export function near(view: ScanView, from: number, to: number, within: number): boolean {
  if (to - from <= within) return true;
  if (to - from - view.ignored > within) return false;
  return charsAt(view, to) - charsAt(view, from) <= within;
}

/** Characters before `at`: the core's count before its 16-byte block, plus the block's first bytes. */
function charsAt({ charIndex, norm }: ScanView, at: number): number {
  const block = at >> 4;
  let chars = charIndex[block]!;
  for (let i = block << 4; i < at; i++) if (norm[i] !== 0xff) chars++;
  return chars;
}
