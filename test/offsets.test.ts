/** Byte offsets into the UTF-8 encoding map back to UTF-16 offsets of the string (what threats report). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { byteToUtf16Mapper } from '../engine/offsets.js';

const encoder = new TextEncoder();

describe('byte to UTF-16 offsets', () => {
  it('every character boundary maps to its UTF-16 offset, lone surrogates (encoded as U+FFFD) included', () => {
    const unit = fc.oneof(fc.constantFrom('a', ' ', 'é', '中', '😀', '\ud800', '\udc00', '\u0301', 'ÿ', '\u200b'), fc.string({ unit: 'binary', maxLength: 3 }));
    // Mostly ASCII and dense non-ASCII text take different paths: long ASCII runs make the first kind.
    const ascii = fc.constantFrom('plain ascii words here '.repeat(4), 'x'.repeat(50));
    const parts = fc.oneof(fc.array(unit, { maxLength: 40 }), fc.array(fc.oneof({ weight: 8, arbitrary: ascii }, { weight: 1, arbitrary: unit }), { maxLength: 30 }));
    fc.assert(fc.property(parts, (parts) => {
      const str = parts.join('');
      const map = byteToUtf16Mapper(str, encoder.encode(str).length);
      let bytes = 0;
      for (let i = 0; i < str.length; i++) {
        expect(map(bytes)).toBe(i);
        const c = str.charCodeAt(i), next = str.charCodeAt(i + 1);
        if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) { bytes += 4; i++; continue; }
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      }
      expect(map(bytes)).toBe(str.length);
    }), { numRuns: 500 });
  });
});
