/**
 * Ignored (IGN) bytes in the final normalized stream, counted 16 at a time. Rule distances are in characters; when a
 * scan has few ignored bytes, the engine bounds a distance by its byte length instead of counting the gap.
 */
const IGN: u8 = 0xff;

export let ignoredBytes: u32 = 0;

export function countIgnored(norm: usize, n: u32): void {
  let count: u32 = 0;
  let i: u32 = 0;
  for (; i + 16 <= n; i += 16) count += popcnt<u32>(<u32>i8x16.bitmask(i8x16.eq(v128.load(norm + i), i8x16.splat(IGN))));
  for (; i < n; i++) if (load<u8>(norm + i) == IGN) count++;
  ignoredBytes = count;
}
