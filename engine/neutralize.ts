/**
 * Neutralization: strip hidden characters from Unicode findings, replace injection spans with a marker, then
 * rescan; repeat until clean (bounded), so neutralized output always rescans clean.
 */
import type { Threat } from './threats.js';

const MAX_ROUNDS = 4;
const STRIP_TYPES = new Set(['unicode_invisible', 'unicode_bidi', 'unicode_tag', 'unicode_control', 'invalid_utf8']);

/** Characters that carry no visible text: format, bidi, tag, variation selectors, controls other than \t \n \r. */
export function isHiddenCodePoint(cp: number): boolean {
  return (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || (cp >= 0x7f && cp <= 0x9f) || cp === 0xad || cp === 0x34f
    || cp === 0x61c || cp === 0x115f || cp === 0x1160 || (cp >= 0x17b4 && cp <= 0x17b5) || (cp >= 0x180b && cp <= 0x180f)
    || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp === 0x2800
    || cp === 0x3164 || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff || cp === 0xffa0 || cp === 0xfffd
    || (cp >= 0xe0000 && cp <= 0xe0fff);
}

function stripHidden(s: string): string {
  let out = '';
  for (const ch of s) if (!isHiddenCodePoint(ch.codePointAt(0)!)) out += ch;
  return out;
}

function applyOnce(text: string, threats: Threat[]): string {
  const spans = threats.map((t) => ({ start: t.offset, end: t.offset + Math.max(t.length, 0), strip: STRIP_TYPES.has(t.type), type: t.type }))
    .sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (let i = 0; i < spans.length; i++) {
    let { start, end, strip, type } = spans[i]!;
    // Merge overlapping spans; any injection in the group means the whole group is replaced.
    while (i + 1 < spans.length && spans[i + 1]!.start < end) {
      i++;
      end = Math.max(end, spans[i]!.end);
      if (!spans[i]!.strip) { strip = false; type = spans[i]!.type; }
    }
    if (start < pos) start = pos;
    out += text.slice(pos, start);
    const body = text.slice(start, end);
    out += strip ? stripHidden(body) : `[removed ${type}]`;
    pos = end;
  }
  return out + text.slice(pos);
}

export function neutralizeText(text: string, rescan: (s: string) => Threat[]): string {
  let current = text;
  let threats = rescan(current);
  for (let round = 0; round < MAX_ROUNDS && threats.length; round++) {
    current = applyOnce(current, threats);
    threats = rescan(current);
  }
  if (!threats.length) return current;
  // Still not clean after the rounds: hidden characters out, or nothing at all.
  const stripped = stripHidden(current);
  return stripped.length && !rescan(stripped).length ? stripped : '[removed]';
}
