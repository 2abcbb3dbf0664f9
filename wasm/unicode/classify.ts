/** O(1) code point lookup in the generated two-level table: class, script, ASCII skeleton, flags. */
import { PAGES, BLOCKS, PAGE_COUNT } from '../tables/unicode.gen';

// @ts-ignore: decorator
@inline
export function entryOf(cp: u32): u32 {
  const page = cp >> 8;
  if (page >= <u32>PAGE_COUNT) return 0;
  const block = <u32>load<u16>(PAGES + (<usize>page << 1));
  return <u32>load<u16>(BLOCKS + ((<usize>block << 8 | <usize>(cp & 0xff)) << 1));
}

// @ts-ignore: decorator
@inline
export function mappedOf(e: u32): u32 { return e & 0x7f; }
// @ts-ignore: decorator
@inline
export function isCompat(e: u32): bool { return (e & 0x80) != 0; }
// @ts-ignore: decorator
@inline
export function isConfusable(e: u32): bool { return (e & 0x100) != 0; }
// @ts-ignore: decorator
@inline
export function classOf(e: u32): u32 { return (e >> 9) & 0xf; }
// @ts-ignore: decorator
@inline
export function scriptOf(e: u32): u32 { return (e >> 13) & 0x7; }

/** Right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo and presentation forms): bidi controls are normal there. */
// @ts-ignore: decorator
@inline
export function isRtl(cp: u32): bool {
  return (cp >= 0x0590 && cp < 0x0800) || (cp >= 0x0860 && cp < 0x0900) || (cp >= 0xfb1d && cp < 0xfe00) || (cp >= 0xfe70 && cp < 0xff00);
}
