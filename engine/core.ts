/**
 * Owns one WASM core instance and its fixed arena: [automaton][pad|input][pad|normalized][records].
 * Memory grows only when an input larger than any before arrives; scans themselves never allocate in WASM.
 */
import { instantiateCore, type CoreExports } from './wasm-loader.js';
import { InputTooLargeError } from './errors.js';

const RECORD_WORDS = 4;
const PAD = 16;
const encoder = new TextEncoder();

export interface RawScan {
  /** Records (code, start, end, extra) x count; a view into WASM memory, valid until the next scan. */
  records: Uint32Array;
  count: number;
  dropped: number;
  /** The normalized stream (same length as the input); a view, valid until the next scan. */
  norm: Uint8Array;
  input: Uint8Array;
  /** Ignored bytes in the scanned slice of the normalized stream. */
  ignored: number;
  /** Characters before each 16-byte block of the scanned slice's normalized stream (relative to the slice). */
  charIndex: Uint32Array;
}

export interface ScanStats {
  cyrillic: number;
  greek: number;
  otherConfusable: number;
  rtl: number;
  nonAsciiLetters: number;
  /** Latin letters drawn like another Latin letter (dotless i, Latin alpha, small capitals) */
  latinLookalikes: number;
  /** combining marks (decomposed accents count as an orthography's letters) */
  marks: number;
  /** Latin letters or digits carrying three or more combining marks (stacking no orthography does) */
  latinMarks: number;
}

// Shell-quote splits hide in values (a form field, a tool argument): the pass costs about 0.15 us per KiB, a third of
// the 1 KiB budget's slack, so longer inputs skip it (padding a payload past this is a known gap, see README).
const MAX_SPLIT_SCAN = 512;
// Form values are short; a long input with no whitespace is a blob, not a query string.
const MAX_FORM = 64 * 1024;

export class Core {
  private readonly wasm: CoreExports;
  private readonly autoPtr: number;
  private inputPtr = 0;
  private normPtr = 0;
  private outPtr = 0;
  private indexPtr = 0;
  private capacity = 0;
  private length = 0;

  /** Record slots: one per 4 input bytes (attack-dense text yields about one per 8), at least 8192. */
  private maxRecords = 8192;

  /** The native-script automaton (patterns/index.ts withNative) after the main one, and its first variant number. */
  private nativePtr = 0;
  private viewPtr = 0;
  private nativeBase = 0;
  /** First byte after the automata: the arena's scan regions start here. */
  private staticEnd = 0;

  constructor(automaton: Uint32Array, private readonly maxBytes: number, native?: { blob: Uint32Array; base: number }) {
    this.wasm = instantiateCore();
    this.autoPtr = this.wasm.heapBase();
    // Header words 10 and 11: offset of the pattern metadata (the last section) and the number of variants.
    const end = (blob: Uint32Array, at: number) => (at + blob[10]! + blob[11]! * 4 + 15) & ~15;
    this.staticEnd = end(automaton, this.autoPtr);
    if (native) {
      this.nativePtr = this.staticEnd;
      this.nativeBase = native.base;
      this.staticEnd = end(native.blob, this.nativePtr);
    }
    this.ensureBytes(this.staticEnd);
    new Uint32Array(this.wasm.memory.buffer, this.autoPtr, automaton.length).set(automaton);
    if (native) new Uint32Array(this.wasm.memory.buffer, this.nativePtr, native.blob.length).set(native.blob);
    this.layout(64 * 1024);
  }

  private ensureBytes(n: number): void {
    if (!this.wasm.ensureMemory(n)) throw new InputTooLargeError(n, this.maxBytes);
  }

  private layout(capacity: number): void {
    const align = (n: number) => (n + 15) & ~15;
    const base = this.staticEnd;
    this.inputPtr = base + PAD;
    this.normPtr = align(this.inputPtr + capacity + PAD) + PAD;
    this.outPtr = align(this.normPtr + capacity + PAD);
    this.maxRecords = Math.max(8192, capacity >> 2);
    // Characters before each 16-byte block of the normalized stream (wasm/ignored.ts), after the records. The record
    // region also holds peelLayer's offsets: one u32 per input byte and one more.
    this.indexPtr = align(this.outPtr + Math.max(this.maxRecords * RECORD_WORDS * 4, (capacity + 1) * 4));
    // The native-script automaton's view of the input (wasm/index.ts matchNative), padded like the other streams.
    this.viewPtr = align(this.indexPtr + ((capacity >> 4) + 2) * 4) + PAD;
    this.ensureBytes(this.viewPtr + capacity + PAD);
    this.wasm.setCharIndex(this.indexPtr);
    new Uint8Array(this.wasm.memory.buffer, base, PAD).fill(0);
    this.capacity = capacity;
  }

  private reserve(n: number): void {
    if (n > this.maxBytes) throw new InputTooLargeError(n, this.maxBytes);
    if (n > this.capacity) this.layout(Math.min(this.maxBytes, Math.max(n, this.capacity * 2)));
  }

  private region?: Uint8Array;

  /** The whole input region as a view, kept while memory and layout stay (a view per scan costs on short messages). */
  private inputRegion(): Uint8Array {
    const r = this.region;
    if (r && r.buffer === this.wasm.memory.buffer && r.byteOffset === this.inputPtr && r.length === this.capacity) return r;
    return (this.region = new Uint8Array(this.wasm.memory.buffer, this.inputPtr, this.capacity));
  }

  /** Copies (or encodes) input into the arena and scans it. */
  scan(input: string | Uint8Array): RawScan {
    let n: number;
    if (typeof input === 'string') {
      // UTF-8 needs at most 3 bytes per UTF-16 unit.
      if (input.length * 3 > this.capacity) {
        if (input.length * 3 <= this.maxBytes) this.reserve(input.length * 3);
        else return this.scan(encoder.encode(input));
      }
      n = encoder.encodeInto(input, this.inputRegion()).written;
      // The arena may be larger than the configured limit; the limit still holds for text.
      if (n > this.maxBytes) throw new InputTooLargeError(n, this.maxBytes);
    } else {
      this.reserve(input.length);
      new Uint8Array(this.wasm.memory.buffer, this.inputPtr, input.length).set(input);
      n = input.length;
    }
    this.length = n;
    const raw = this.scanSlice(0, n);
    this.firstFlags = this.flags;
    return raw;
  }

  /**
   * Rescans input[from, to) of the last input in place (records relative to `from`). Used when a scan's records
   * overflowed, so findings after a flood of padding are not lost. Views still cover the whole input.
   */
  scanSlice(from: number, to: number): RawScan {
    const w = this.wasm;
    const n = this.length;
    let count = w.scan(this.inputPtr + from, to - from, this.normPtr + from, this.autoPtr, this.outPtr, this.maxRecords);
    this.flags = w.scanFlags();
    // Letters the normalized stream folds to a placeholder: the native-script patterns read the raw bytes.
    if (this.nativePtr && this.flags & 8) {
      count = w.matchNative(this.inputPtr + from, this.normPtr + from, to - from, this.nativePtr, this.nativeBase, this.viewPtr);
    }
    const buf = w.memory.buffer;
    return {
      records: new Uint32Array(buf, this.outPtr, count * RECORD_WORDS),
      count,
      dropped: w.dropped(),
      norm: new Uint8Array(buf, this.normPtr, n),
      input: new Uint8Array(buf, this.inputPtr, n),
      ignored: w.stat(9),
      charIndex: new Uint32Array(buf, this.indexPtr, ((to - from) >> 4) + 1),
    };
  }

  /**
   * The last scan with its ignored-byte count and character index taken over the whole normalized stream: after
   * rescans in windows, each of which counted only itself.
   */
  indexWhole(raw: RawScan): RawScan {
    const ignored = this.wasm.indexChars(this.normPtr, this.length);
    return { ...raw, ignored, charIndex: new Uint32Array(this.wasm.memory.buffer, this.indexPtr, (this.length >> 4) + 1) };
  }

  /**
   * Rescans the last input in glue mode: invisible characters and combining marks read as spaces, so an attack glued
   * to the word before it ("Thanks" + U+200B + "ignore ...") is matched as words. Views as scanSlice.
   */
  rescanGlued(from = 0, to = this.length): RawScan {
    this.wasm.setSplitGlue(1);
    try { return this.scanSlice(from, to); } finally { this.wasm.setSplitGlue(0); }
  }

  /** Latin letters or digits with three or more marks in the last scan (one statistic: every scan asks for it). */
  latinMarks(): number {
    return this.wasm.stat(8);
  }

  /**
   * Where the last input's first word split by shell quotes ("w'h'oami") starts, or -1 (wasm/match/quotes.ts).
   * Call it before decode(), which reuses the input region.
   */
  shellSplit(): number {
    return this.length > MAX_SPLIT_SCAN ? -1 : this.wasm.shellSplit(this.inputPtr, this.length);
  }

  /** Letter counts of the last scan (read on demand: most scans never need them). */
  stats(): ScanStats {
    const w = this.wasm;
    return { cyrillic: w.stat(0), greek: w.stat(1), otherConfusable: w.stat(2), rtl: w.stat(3),
      nonAsciiLetters: w.stat(4), latinLookalikes: w.stat(6), marks: w.stat(7), latinMarks: w.stat(8) };
  }

  /**
   * Escapes the last input's first scan left for a second layer (wasm/normalize.ts statLayered: 1 full-width, 2
   * nested; window and glue rescans aside); 0 when none.
   */
  layered(): number {
    return this.firstFlags & 3;
  }

  /** wasm/index.ts scanFlags of the last scanSlice, and of the last whole input's first scan (rescans aside). */
  private flags = 0;
  private firstFlags = 0;

  /**
   * The last input decoded by one layer (full-width forms folded, or escapes decoded once; wasm/decode/layer.ts), with
   * each output byte's source offset (one more entry: the input length) and the steps that changed something.
   * Copies: the arena is reused by the rescan. Output in the normalized region, offsets in the record region.
   */
  peelLayer(layered: number): { bytes: Uint8Array; at: Uint32Array; kinds: number } {
    const w = this.wasm;
    // Full-width escapes alone: folding them is the layer (the rescan decodes them, overlong forms included); nested
    // escapes (with or without full-width ones): folded, then decoded once.
    const n = w.peelLayer(this.inputPtr, this.length, this.normPtr, this.outPtr, layered === 1 ? 1 : 0);
    return { bytes: this.copyNorm(n), at: this.copyOffsets(n), kinds: w.peelKinds() };
  }

  /**
   * The last input with the digits of leetspeak words turned into letters (wasm/decode/leet.ts), byte for byte, when
   * the scan saw a digit between letters and some word reads as leetspeak ("pr3v10us"); else undefined. A copy.
   */
  deLeet(): { bytes: Uint8Array; spans: Array<{ start: number; end: number }> } | undefined {
    const w = this.wasm;
    if (!(this.firstFlags & 4)) return undefined;
    const count = w.deLeet(this.inputPtr, this.length, this.normPtr);
    if (!count) return undefined;
    // More leetspeak words than the core keeps spans for: no spans, the whole text is read.
    const kept = w.leetSpanCount();
    const pairs = new Uint32Array(w.memory.buffer, w.leetSpans(), kept === count ? kept * 2 : 0);
    const spans = Array.from({ length: pairs.length / 2 }, (_, k) => ({ start: pairs[2 * k]!, end: pairs[2 * k + 1]! }));
    return { bytes: this.copyNorm(this.length), spans };
  }

  /**
   * The line around the last input's first word split by shell quotes, without the quotes (wasm/match/quotes.ts
   * shellUnquote), with each byte's source offset and the removed quotes' offsets; undefined when there is none.
   * Copies (the arena is reused by the rescan); call before decode().
   */
  shellUnquote(): { bytes: Uint8Array; at: Uint32Array; cover: number[] } | undefined {
    const w = this.wasm;
    const split = this.shellSplit();
    if (split < 0) return undefined;
    const n = w.shellUnquote(this.inputPtr, this.length, split, this.normPtr, this.outPtr);
    const cover = Array.from(new Uint32Array(w.memory.buffer, w.shellCover(), w.shellCoverCount()));
    return { bytes: this.copyNorm(n), at: this.copyOffsets(n), cover };
  }

  /** The last input as a form value with '+' read as spaces (wasm/match/quotes.ts formSpaces), or undefined. A copy. */
  formSpaces(): Uint8Array | undefined {
    const w = this.wasm;
    if (this.length > MAX_FORM || !w.formSpaces(this.inputPtr, this.length, this.normPtr)) return undefined;
    return this.copyNorm(this.length);
  }

  // Second readings are written by the core into the normalized region (free once rules have run), their source
  // offsets (n + 1 of them) into the record region: copied out, since the rescan reuses both.
  private copyNorm(n: number): Uint8Array {
    return new Uint8Array(this.wasm.memory.buffer, this.normPtr, n).slice();
  }

  private copyOffsets(n: number): Uint32Array {
    return new Uint32Array(this.wasm.memory.buffer, this.outPtr, n + 1).slice();
  }

  /** Decodes base64 or hex from a copy of `blob` into the input region; returns the decoded bytes (a copy). */
  decode(blob: Uint8Array, kind: 'base64' | 'hex'): Uint8Array | null {
    this.reserve(blob.length * 2);
    const mem = new Uint8Array(this.wasm.memory.buffer);
    // Source in the normalized region (free between scans), output in the input region.
    mem.set(blob, this.normPtr);
    const n = kind === 'base64'
      ? this.wasm.decodeBase64(this.normPtr, blob.length, this.inputPtr)
      : this.wasm.decodeHex(this.normPtr, blob.length, this.inputPtr);
    if (n < 0) return null;
    return new Uint8Array(this.wasm.memory.buffer, this.inputPtr, n).slice();
  }
}
