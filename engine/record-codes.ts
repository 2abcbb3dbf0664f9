/** Record codes written by the WASM core (mirrors wasm/records.ts). */
export const REC = {
  INVISIBLE: 1,
  BIDI: 2,
  BIDI_UNTERMINATED: 3,
  TAG: 4,
  VARIATION: 5,
  CONTROL: 6,
  INVALID_UTF8: 7,
  MIXED_SCRIPT: 8,
  WHOLE_SCRIPT: 9,
  DECODED_URL: 10,
  BLOB: 11,
  COMPAT: 12,
  DECODED_HTML: 13,
  DECODED_ESCAPE: 14,
  SPACED: 15,
  BIDI_OVERRIDE: 16,
  COMMENT: 17,
  LATIN_LOOKALIKE: 18,
  FLOOD: 19,
  ENCODED_CONTROL: 20,
  LAYERED: 21,
  PATTERN: 0x10000,
} as const;

/** Decode-chain names for the decoded-span records. */
export const DECODE_NAMES: Record<number, string> = {
  [REC.DECODED_URL]: 'url',
  [REC.DECODED_HTML]: 'html',
  [REC.DECODED_ESCAPE]: 'escape',
  [REC.TAG]: 'unicode_tag',
};
