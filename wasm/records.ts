/** Fixed-size finding records (4 x u32: code, start, end, extra) written into a caller-owned buffer; never allocates. */

export const REC_INVISIBLE: u32 = 1;
export const REC_BIDI: u32 = 2;
export const REC_BIDI_UNTERMINATED: u32 = 3;
export const REC_TAG: u32 = 4;
export const REC_VARIATION: u32 = 5;
export const REC_CONTROL: u32 = 6;
export const REC_INVALID_UTF8: u32 = 7;
export const REC_MIXED_SCRIPT: u32 = 8;
export const REC_WHOLE_SCRIPT: u32 = 9;
export const REC_DECODED_URL: u32 = 10;
export const REC_DECODED_HTML: u32 = 13;
export const REC_DECODED_ESCAPE: u32 = 14;
export const REC_BLOB: u32 = 11;
export const REC_COMPAT: u32 = 12;
export const REC_SPACED: u32 = 15;
export const REC_BIDI_OVERRIDE: u32 = 16;
export const REC_COMMENT: u32 = 17; // the text inside a collapsed /* */ comment, rescanned by the engine
export const REC_LATIN_LOOKALIKE: u32 = 18; // a Latin word with look-alike Latin letters (Latin alpha, script g, small capitals)
export const REC_FLOOD: u32 = 19; // a stretch repeating one short unit (extra = the unit's length in bytes)
export const REC_ENCODED_CONTROL: u32 = 20; // a control character written as an HTML entity (&#1;) or a percent-encoded NUL
export const REC_LAYERED: u32 = 21; // an escape left for a second layer (full-width, or escapes of escapes): where to read again
export const REC_PATTERN: u32 = 0x10000; // | pattern id

let outPtr: usize = 0;
let outCap: u32 = 0;
let outCount: u32 = 0;
let dropped: u32 = 0;

export function resetRecords(ptr: usize, cap: u32): void {
  outPtr = ptr;
  outCap = cap;
  outCount = 0;
  dropped = 0;
}

export function recordCount(): u32 {
  return outCount;
}

export function droppedCount(): u32 {
  return dropped;
}

// @ts-ignore: decorator
@inline
export function emit(code: u32, start: u32, end: u32, extra: u32): void {
  if (outCount >= outCap) {
    dropped++;
    return;
  }
  const p = outPtr + (<usize>outCount << 4);
  store<u32>(p, code);
  store<u32>(p, start, 4);
  store<u32>(p, end, 8);
  store<u32>(p, extra, 12);
  outCount++;
}

/** Index of the last record written, or -1 when the buffer was full. */
export function lastIndex(): i32 {
  return outCount > 0 && outCount <= outCap ? <i32>outCount - 1 : -1;
}

/** End offset of record k. */
export function recordEnd(k: u32): u32 {
  return load<u32>(outPtr + (<usize>k << 4), 8);
}

/** Moves record k's end to `end` and counts one more merged hit in its extra field. */
export function extendRecord(k: u32, end: u32): void {
  const p = outPtr + (<usize>k << 4);
  store<u32>(p, end, 8);
  store<u32>(p, load<u32>(p, 12) + 1, 12);
}

/** Extends the previous record when it has the same code and ends where this one starts (runs of one kind). */
export function emitMerged(code: u32, start: u32, end: u32, extra: u32): void {
  if (outCount > 0 && outCount <= outCap) {
    const p = outPtr + (<usize>(outCount - 1) << 4);
    if (load<u32>(p) == code && load<u32>(p, 8) == start) {
      store<u32>(p, end, 8);
      store<u32>(p, load<u32>(p, 12) + 1, 12);
      return;
    }
  }
  emit(code, start, end, extra);
}
