/**
 * Second readings of an input the way its receiver reads it: a form value with '+' for spaces, a shell line with the
 * quotes inside words removed ("w'h'oami" runs whoami), text one encoding layer down, leetspeak with letters for
 * digits. Each is scanned once more by the caller; what it finds is merged here, mapped back to the original offsets,
 * and only where the first reading said nothing as strong.
 */
import type { Finding } from './detectors/types.js';
import { bumpSeverity, severityRank, THREAT_TYPES } from './threats.js';
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

const MAX_FORM = 64 * 1024;
/** Bytes either side of a shell split that are read again: its line, at most this far. */
const SHELL_WINDOW = 256;

/** A form-encoded value: no whitespace, a '=' and at least two '+' between other characters ("id=1+UNION+SELECT"). */
export function formReread(input: Uint8Array): Reread | undefined {
  if (input.length > MAX_FORM) return undefined;
  let plus = 0, eq = false;
  for (let i = 0; i < input.length; i++) {
    const b = input[i]!;
    if (b === 0x20 || b === 0x0a || b === 0x09 || b === 0x0d) return undefined;
    if (b === 0x3d) eq = true;
    else if (b === 0x2b && i > 0 && i + 1 < input.length && input[i - 1] !== 0x2b && input[i + 1] !== 0x2b) plus++;
  }
  if (!eq || plus < 2) return undefined;
  return { bytes: input.map((b) => (b === 0x2b ? 0x20 : b)), bump: false, note: '', decoded: 'form' };
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

/** The families written in words: what leetspeak hides (a digit inside "sha256" or a hash is no attack on code rules). */
const WORDING_TYPES = new Set<Finding['type']>(['prompt_injection', 'jailbreak', 'tool_poisoning']);
/** Everything but the Unicode classes and invalid UTF-8 (what a reading cut into windows can still say). */
const INJECTION_TYPES = new Set<Finding['type']>(THREAT_TYPES.filter((t) => !t.startsWith('unicode_') && t !== 'invalid_utf8'));

/** Leetspeak ("1gn0r3 4ll pr3v10u5 1n5truct10n5") with its digits read as letters (core.deLeet), for wording rules. */
export function leetReread(leet: { bytes: Uint8Array; spans: Span[] } | undefined): Reread | undefined {
  if (!leet) return undefined;
  const { bytes, at } = aroundSpans(leet.bytes, undefined, leet.spans, LAYER_WINDOW);
  return { bytes, ...(at ? { at, units: true } : {}), types: WORDING_TYPES, bump: true, note: ' (leetspeak)', decoded: 'leet' };
}

// The core's split bytes (wasm/match/quotes.ts): letters, digits and '/', split by ' " or \.
const isWordByte = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2f;
const isShellQuote = (c: number) => c === 0x27 || c === 0x22 || c === 0x5c;
export const SHELL_TYPES = new Set<Finding['type']>(['command_injection', 'path_traversal']);

/**
 * The line around the split the core found at `split` (at most SHELL_WINDOW bytes each side) without the quotes
 * inside words. When the split word opens the line it is in command position: "; " goes in front, so "w'h'oami"
 * alone reads as the command it runs (a split word later in a sentence, "Type rock'n'roll", makes no command of "Type").
 */
export function shellReread(input: Uint8Array, split: number): Reread {
  let from = split, to = split;
  while (from > 0 && split - from < SHELL_WINDOW && input[from - 1] !== 0x0a) from--;
  while (to < input.length && to - split < SHELL_WINDOW && input[to] !== 0x0a) to++;
  // Between word bytes, with at most one more quote beside it (both quotes of "i''d").
  const inWord = (i: number) => {
    let a = i - 1, b = i + 1;
    if (a >= from && isShellQuote(input[a]!)) a--;
    if (b < to && isShellQuote(input[b]!)) b++;
    return a >= from && b < to && isWordByte(input[a]!) && isWordByte(input[b]!);
  };
  let first = from;
  while (first < to && input[first] === 0x20) first++;
  let w = first;
  while (w < to && (isWordByte(input[w]!) || isShellQuote(input[w]!))) w++;
  const lead = split >= first && split < w ? 2 : 0;
  const bytes = new Uint8Array(to - from + lead);
  const at = new Uint32Array(to - from + lead + 1);
  bytes[0] = 0x3b;
  bytes[1] = 0x20;
  at.fill(first, 0, lead);
  let n = lead;
  const cover: number[] = [];
  for (let i = from; i < to; i++) {
    if (isShellQuote(input[i]!) && inWord(i)) { cover.push(i); continue; }
    bytes[n] = input[i]!;
    at[n++] = i;
  }
  at[n] = to;
  return { bytes: bytes.subarray(0, n), at: at.subarray(0, n + 1), cover, types: SHELL_TYPES, bump: true, note: ' (split by shell quotes)' };
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
