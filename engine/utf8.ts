/** Strict UTF-8 decoding: the text, or undefined when the bytes are not valid UTF-8 (they are then scanned as bytes). */
const strict = new TextDecoder('utf-8', { fatal: true });

export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try { return strict.decode(bytes); } catch { return undefined; }
}
