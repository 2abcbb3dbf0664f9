/** Property tests (fast-check): no input crashes the scanner, spans stay in bounds, neutralized text rescans clean. */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createScanner, isDetection, type Scanner, type ScanResult } from '../engine/index.js';
import { describeThreats } from './helpers.js';

let scanner: Scanner;
beforeAll(() => {
  scanner = createScanner();
});

const RUNS = 500;
const encoder = new TextEncoder();

/** Pieces that exercise the decoders, normalizer and rules when glued together at random. */
const FRAGMENTS = [
  'ignore', ' all ', 'previous', ' instructions', "' OR 1=1 --", '<script>', 'alert(1)', '</script>', '../', 'etc/passwd',
  '%2e%2e%2f', '%', '%2', '&#', '&#x3c;', '&lt;', '\\u00', '\\x3c', '/*', '*/', '${', '{{7*7}}', '$(id)', '; cat ', '`',
  'aWdub3JlIGFsbCBwcmV2aW91cyBpbnN0cnVjdGlvbnM=', 'PHNjcmlwdD4=', '0x3c7363726970743e', '\u200B', '\u200D', '\u202E', '\u2067',
  '\u2069', '\u{E0041}', '\u{E007F}', '\u{1F3F4}', '\uFE0F', '\uFE00', '\u0430', '\u03BF', '\u05D0', '\u0627', '\u0000', '\u001b',
  '\r\n', '\n', '\t', ' ', 'AKIA', 'ghp_', 'sk-', 'password=', 'PHPSESSID=', '<!ENTITY', '<!DOCTYPE', 'SYSTEM', '*)(uid=*',
  '{"$ne": 1}', '\u{1F600}', '\uFFFD', '\u00E9', '\u4E2D', '\uFF1C', '\uFF53',
  // A second layer (rereads.ts layerReread): full-width escapes, escapes of escapes.
  '\uFF05\uFF12\uFF45', '\uFF05', '\uFF06\uFF03\uFF16\uFF10\uFF1B', '\uFF3C\uFF55', '\uFF0F\uFF0A', '&#37;', '&#38;', '&#47;', '%26', '%25',
];

const LONE_SURROGATES = ['\uD800', '\uDC00', '\uD83D', '\uDE00', '\uDBFF'];

/** Well-formed text built from fragments and random code points. */
const fragmentText = fc.array(fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
), { maxLength: 60 }).map((parts) => parts.join(''));

/** UTF-16 strings that may contain lone surrogates anywhere. */
const anyUtf16 = fc.array(fc.oneof(
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom(...LONE_SURROGATES),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom(...FRAGMENTS),
), { maxLength: 200 }).map((parts) => parts.join(''));

const bytesInput = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }),
  // Random bytes interleaved with real text, so decoders see partial escapes and broken UTF-8 around attacks.
  fc.array(fc.oneof(fc.uint8Array({ maxLength: 16 }), fc.constantFrom(...FRAGMENTS).map((s) => encoder.encode(s))), { maxLength: 200 })
    .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p]))),
);

function checkBounds(r: ScanResult, length: number): void {
  expect(r.blocked === true || r.blocked === false).toBe(true);
  for (const t of r.threats) {
    expect(Number.isInteger(t.offset) && Number.isInteger(t.length), describeThreats([t])).toBe(true);
    expect(t.offset, describeThreats(r.threats)).toBeGreaterThanOrEqual(0);
    expect(t.length, describeThreats(r.threats)).toBeGreaterThanOrEqual(0);
    expect(t.offset + t.length, `${describeThreats(r.threats)} (input length ${length})`).toBeLessThanOrEqual(length);
    expect(['low', 'medium', 'high', 'critical']).toContain(t.severity);
  }
}

describe('never throws, spans in bounds', () => {
  it('arbitrary bytes (up to 4 KiB)', () => {
    fc.assert(fc.property(bytesInput, (bytes) => {
      const r = scanner.scan(bytes);
      expect(r.bytes).toBe(bytes.length);
      checkBounds(r, bytes.length);
    }), { numRuns: RUNS });
  });

  it('full Unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 1000 }), (text) => {
      const r = scanner.scan(text);
      expect(r.bytes).toBe(encoder.encode(text).length);
      checkBounds(r, text.length);
    }), { numRuns: RUNS });
  });

  it.each([
    { name: 'lone high surrogate before RLI', text: '\uD800\u2067' },
    { name: 'lone high surrogate before RLO', text: '\uD83D\u202E' },
    { name: 'lone high surrogate before accented letter', text: 'x\uDBFF\u00E9 pass\u200Bword' },
    { name: 'lone low surrogate', text: '\uDC00 file\u202Etxt' },
    { name: 'match end extended into a 3-byte character', text: 'ignore; cat  \u2067' },
  ])('example: $name', ({ text }) => {
    const r = scanner.scan(text);
    checkBounds(r, text.length);
    // Unicode spans hold the offending character itself.
    for (const t of r.threats.filter((x) => x.type.startsWith('unicode_'))) {
      expect(/[\u200B\u202E\u2067]/.test(text.slice(t.offset, t.offset + t.length)), describeThreats([t])).toBe(true);
    }
  });

  it('strings with lone surrogates', () => {
    fc.assert(fc.property(anyUtf16, (text) => {
      checkBounds(scanner.scan(text), text.length);
    }), { numRuns: RUNS });
  });

  it('attack fragments glued together', () => {
    fc.assert(fc.property(fragmentText, (text) => {
      checkBounds(scanner.scan(text), text.length);
    }), { numRuns: RUNS });
  });

  it('concatenation of two benign ASCII strings', () => {
    const ascii = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 });
    fc.assert(fc.property(ascii, ascii, (a, b) => {
      const r = scanner.scan(a + b);
      checkBounds(r, a.length + b.length);
      expect(r.bytes).toBe(a.length + b.length);
    }), { numRuns: RUNS });
  });

  it('scanJson of arbitrary JSON values', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 8 }), (v) => {
      const r = scanner.scanJson(v);
      for (const t of r.threats) expect(typeof t.path).toBe('string');
    }), { numRuns: RUNS });
  });
});

describe('string and byte scans agree', () => {
  function agree(text: string): void {
    const fromString = scanner.scan(text).threats;
    const fromBytes = scanner.scan(encoder.encode(text)).threats;
    expect(fromString.map((t) => `${t.type}/${t.severity}`)).toEqual(fromBytes.map((t) => `${t.type}/${t.severity}`));
    fromString.forEach((t, i) => {
      const b = fromBytes[i]!;
      expect(encoder.encode(text.slice(0, t.offset)).length, `start of ${t.type}`).toBe(b.offset);
      expect(encoder.encode(text.slice(0, t.offset + t.length)).length, `end of ${t.type}`).toBe(b.offset + b.length);
    });
  }

  it('example: a span that ends next to a tag character', () => {
    agree('etc/passwd\u{E007F}\u0000');
  });

  it('same findings, offsets mapped between UTF-16 units and UTF-8 bytes', () => {
    fc.assert(fc.property(fragmentText, (text) => agree(text)), { numRuns: RUNS });
  });
});

describe('neutralize', () => {
  it('output rescans without detections', () => {
    fc.assert(fc.property(fragmentText, (text) => {
      const out = scanner.neutralize(text);
      const left = scanner.scan(out).threats.filter(isDetection);
      expect(left, `${JSON.stringify(text)} -> ${JSON.stringify(out)}: ${describeThreats(left)}`).toEqual([]);
    }), { numRuns: RUNS });
  });

  it('output rescans with no threats at all (documented: "the result rescans clean")', () => {
    fc.assert(fc.property(fragmentText, (text) => {
      const out = scanner.neutralize(text);
      const left = scanner.scan(out).threats;
      expect(left, `${JSON.stringify(text)} -> ${JSON.stringify(out)}: ${describeThreats(left)}`).toEqual([]);
    }), { numRuns: RUNS });
  });

  it('clean text is returned unchanged', () => {
    const words = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz ,.'), maxLength: 200 });
    fc.assert(fc.property(words, (text) => {
      fc.pre(scanner.scan(text).threats.length === 0);
      expect(scanner.neutralize(text)).toBe(text);
    }), { numRuns: RUNS });
  });

  it('never throws on lone surrogates, and the output rescans without detections', () => {
    fc.assert(fc.property(anyUtf16, (text) => {
      const out = scanner.neutralize(text);
      expect(typeof out).toBe('string');
      expect(scanner.scan(out).threats.filter(isDetection)).toEqual([]);
    }), { numRuns: RUNS });
  });
});
