/**
 * Second readings of an input the way its receiver reads it: a form value with '+' for spaces, a shell line with the
 * quotes inside words removed ("w'h'oami" runs whoami), text one encoding layer down, leetspeak with letters for
 * digits. Each is scanned once more by the caller; what it finds is merged here, mapped back to the original offsets,
 * and only where the first reading said nothing as strong.
 */
import type { Finding } from './detectors/types.js';
import { bumpSeverity, severityRank, THREAT_TYPES, UNICODE_TYPES, WORDING_TYPES } from './threats.js';
import { spanIndex, type Span } from './spans.js';

export interface Reread {
  bytes: Uint8Array;
  /** Original offset of each byte of `bytes` (one past the end at the end); identity when absent. */
  at?: Uint32Array;
  /** at[k + 1] is where byte k's source ends (a decoded escape is one unit); else each maps to one source byte. */
  units?: boolean;
  /** Original offsets one of which a finding must cover: the removed quotes (the split word is part of the attack). */
  cover?: number[];
  types?: ReadonlySet<Finding['type']>;
  bump: boolean;
  note: string;
  decoded?: string;
}

/** A form-encoded value read with '+' as spaces ("id=1+UNION+SELECT"; core.formSpaces decides and copies). */
export function formReread(bytes: Uint8Array | undefined): Reread | undefined {
  return bytes && { bytes, bump: false, note: '', decoded: 'form' };
}

// wasm/decode/layer.ts LAYER_* bits, outermost first: the names of a decode chain.
const LAYER_NAMES: Array<[number, string]> = [[1, 'fullwidth'], [2, 'url'], [4, 'html'], [8, 'escape']];

/**
 * Text whose escapes were encoded again with another scheme ("&#37;&#50;e", "%26%2360%3B") or written in full-width
 * forms ("％２ｅ"): the core's one-layer decoding of it (core.peelLayer), read again. Undoing two layers to reach an
 * attack is evasion: findings go one level up.
 */
export function layerReread(layer: { bytes: Uint8Array; at: Uint32Array; kinds: number }, spans: Span[]): Reread | undefined {
  if (!layer.kinds) return undefined;
  const decoded = LAYER_NAMES.filter(([bit]) => layer.kinds & bit).map(([, name]) => name).join('>');
  const { bytes, at } = aroundSpans(layer.bytes, layer.at, spans, LAYER_WINDOW);
  // Cut into windows, the reading's edges are no text of their own: only injection findings count there.
  const cut = bytes.length !== layer.bytes.length;
  return { bytes, at, units: true, bump: true, note: ' (read one encoding layer down)', decoded, ...(cut ? { types: INJECTION_TYPES } : {}) };
}

/** Original bytes either side of the escapes left for a second layer (or of leetspeak words) that are read again. */
const LAYER_WINDOW = 512;

/**
 * The parts of a reading (bytes with their source offsets `at`, one more entry at the end) whose sources lie within
 * `pad` bytes of the spans, joined by line breaks: attack-dense text with a few doubly encoded escapes is not read
 * twice whole. The whole reading when the windows cover most of it.
 */
function aroundSpans(bytes: Uint8Array, at: Uint32Array | undefined, spans: Span[], pad: number): { bytes: Uint8Array; at?: Uint32Array } {
  // Without `at`, byte k came from offset k.
  const total = at ? at[at.length - 1]! : bytes.length;
  const src = (k: number) => (at ? at[k]! : k);
  const windows: Span[] = [];
  for (const s of spans) {
    const w = { start: Math.max(0, s.start - pad), end: Math.min(total, s.end + pad) };
    const last = windows.at(-1);
    if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else windows.push(w);
  }
  let covered = 0;
  for (const w of windows) covered += w.end - w.start;
  if (!windows.length || covered * 2 > total) return { bytes, at };
  // `at` never decreases: each window is one range of the reading, found by binary search, then widened to whole
  // UTF-8 characters (a window must not start or end inside one).
  const first = (from: number) => { let lo = 0, hi = bytes.length; while (lo < hi) { const m = (lo + hi) >> 1; if (src(m) < from) lo = m + 1; else hi = m; } return lo; };
  const cont = (k: number) => k < bytes.length && (bytes[k]! & 0xc0) === 0x80;
  const ranges = windows.map((w) => {
    let a = first(w.start), b = first(w.end);
    while (a > 0 && cont(a)) a--;
    while (cont(b)) b++;
    return [a, b] as const;
  });
  let n = 0;
  for (const [a, b] of ranges) n += b - a + 1;
  const out = new Uint8Array(n), map = new Uint32Array(n + 1);
  let k = 0;
  for (const [a, b] of ranges) {
    out.set(bytes.subarray(a, b), k);
    for (let q = a; q < b; q++) map[k++] = src(q);
    out[k] = 0x0a; // no pattern reads across a window's end
    map[k++] = b < bytes.length ? src(b) : total; // where the last unit before it ends
  }
  map[k] = total;
  return { bytes: out, at: map };
}

/** What a reading cut into windows can still say: everything but the character findings (its edges are no text). */
const INJECTION_TYPES = new Set<Finding['type']>(THREAT_TYPES.filter((t) => !UNICODE_TYPES.has(t)));

/**
 * Leetspeak ("1gn0r3 4ll pr3v10u5 1n5truct10n5") with its digits read as letters (core.deLeet), for wording rules (a
 * digit inside "sha256" or a hash is no attack on code rules).
 */
export function leetReread(leet: { bytes: Uint8Array; spans: Span[] } | undefined): Reread | undefined {
  if (!leet) return undefined;
  const { bytes, at } = aroundSpans(leet.bytes, undefined, leet.spans, LAYER_WINDOW);
  return { bytes, ...(at ? { at, units: true } : {}), types: WORDING_TYPES, bump: true, note: ' (leetspeak)', decoded: 'leet' };
}

export const SHELL_TYPES = new Set<Finding['type']>(['command_injection', 'path_traversal']);

/**
 * The line around a word split by shell quotes without the quotes inside words (core.shellUnquote: "w'h'oami" runs
 * whoami, and "; " goes in front when the split word opens the line). A finding must cover a removed quote.
 */
export function shellReread(line: { bytes: Uint8Array; at: Uint32Array; cover: number[] } | undefined): Reread | undefined {
  return line && { ...line, types: SHELL_TYPES, bump: true, note: ' (split by shell quotes)' };
}

/** Adds what the second reading found and the first did not (same type, overlapping, as strong) to `findings`. */
export function mergeReread(findings: Finding[], found: Finding[], r: Reread): void {
  const kept = found.filter((f) => severityRank(f.severity) >= 1 && (!r.types || r.types.has(f.type)));
  if (!kept.length) return;
  const have = spanIndex(findings.slice()); // the first reading's findings only
  for (const f of kept) {
    const start = r.at ? r.at[f.start]! : f.start;
    const end = !r.at ? f.end : r.units ? r.at[f.end]! : Math.min(r.at[Math.max(f.start, f.end - 1)]! + 1, r.at[r.at.length - 1]!);
    if (r.cover && !r.cover.some((q) => q >= start && q < end)) continue;
    if (have(start, end).some((g) => g.type === f.type && severityRank(g.severity) >= severityRank(f.severity))) continue;
    findings.push({ ...f, start, end, severity: r.bump ? bumpSeverity(f.severity) : f.severity, description: f.description + r.note,
      ...(r.decoded ? { decoded: f.decoded ? `${r.decoded}>${f.decoded}` : r.decoded } : {}) });
  }
}
