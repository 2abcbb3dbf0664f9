/** Base64 (standard and URL-safe, padding optional) and hex decoding for rescans; returns -1 on any foreign byte. */

// @ts-ignore: decorator
@inline
function b64Val(c: u32): i32 {
  if (c >= 0x41 && c <= 0x5a) return <i32>(c - 0x41);
  if (c >= 0x61 && c <= 0x7a) return <i32>(c - 0x61 + 26);
  if (c >= 0x30 && c <= 0x39) return <i32>(c - 0x30 + 52);
  if (c == 0x2b || c == 0x2d) return 62;
  if (c == 0x2f || c == 0x5f) return 63;
  return -1;
}

export function decodeBase64(src: usize, len: u32, dst: usize): i32 {
  while (len > 0 && load<u8>(src + len - 1) == 0x3d) len--;
  let acc: u32 = 0;
  let bits: u32 = 0;
  let out: u32 = 0;
  for (let i: u32 = 0; i < len; i++) {
    const v = b64Val(<u32>load<u8>(src + i));
    if (v < 0) return -1;
    acc = (acc << 6) | <u32>v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      store<u8>(dst + out, <u8>(acc >> bits));
      out++;
    }
  }
  return <i32>out;
}

export function decodeHex(src: usize, len: u32, dst: usize): i32 {
  if (len & 1) return -1;
  for (let i: u32 = 0; i < len; i += 2) {
    let v: u32 = 0;
    for (let k: u32 = 0; k < 2; k++) {
      const c = <u32>load<u8>(src + i + k);
      let h: i32 = -1;
      if (c >= 0x30 && c <= 0x39) h = <i32>(c - 0x30);
      else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) h = <i32>((c | 0x20) - 0x61 + 10);
      if (h < 0) return -1;
      v = (v << 4) | <u32>h;
    }
    store<u8>(dst + (i >> 1), <u8>v);
  }
  return <i32>(len >> 1);
}
