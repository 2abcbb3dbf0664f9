/**
 * Characters of the final normalized stream: ignored (IGN) bytes counted 16 at a time, and a prefix count of
 * characters (non-IGN bytes) before each 16-byte block. Rule distances are in characters: with the index a distance
 * costs two lookups and at most 30 byte reads, however long the gap (attack text full of invisible padding).
 */
const IGN: u8 = 0xff;

export let ignoredBytes: u32 = 0;
/** Where the index goes (set by the engine per arena layout; 0: no index). Holds n / 16 + 1 words. */
let indexPtr: usize = 0;

export function setCharIndex(ptr: usize): void {
  indexPtr = ptr;
}

export function countIgnored(norm: usize, n: u32): void {
  let ign: u32 = 0;
  let i: u32 = 0;
  const index = indexPtr;
  for (; i + 16 <= n; i += 16) {
    if (index != 0) store<u32>(index + (<usize>(i >> 4) << 2), i - ign);
    ign += popcnt<u32>(<u32>i8x16.bitmask(i8x16.eq(v128.load(norm + i), i8x16.splat(IGN))));
  }
  if (index != 0) store<u32>(index + (<usize>(i >> 4) << 2), i - ign);
  for (; i < n; i++) if (load<u8>(norm + i) == IGN) ign++;
  ignoredBytes = ign;
}
