/** Code point classes and script buckets shared by the table generator, the WASM core and the engine. */

export const CLASS = {
  SYMBOL: 0,
  LETTER: 1,
  MARK: 2,
  SPACE: 3,
  INVISIBLE: 4,
  BIDI_CONTROL: 5,
  BIDI_MARK: 6,
  CONTROL: 7,
  VARIATION_SELECTOR: 8,
  TAG: 9,
  EMOJI: 10,
} as const;

export const SCRIPT = {
  COMMON: 0,
  LATIN: 1,
  CYRILLIC: 2,
  GREEK: 3,
  OTHER_CONFUSABLE: 4,
  JOINING: 5,
  CJK: 6,
  OTHER: 7,
} as const;

/** Packs one table entry; the layout is mirrored by wasm/unicode/classify.ts. */
export function packEntry(cls: number, script: number, mapped: number, compat: boolean, confusable: boolean): number {
  return (mapped & 0x7f) | (compat ? 0x80 : 0) | (confusable ? 0x100 : 0) | ((cls & 0xf) << 9) | ((script & 0x7) << 13);
}
