/**
 * One scan of a byte buffer through the core, then detectors: records -> unicode findings and pattern hits ->
 * rule findings, severity raised where a match needed de-obfuscation, base64/hex blobs decoded and rescanned.
 */
import type { Core, RawScan } from './core.js';
import type { Catalogue } from './patterns/index.js';
import type { KindlyGuardConfig } from './config.js';
import type { Finding, Hit, ScanView } from './detectors/types.js';
import { applyRules } from './detectors/rules.js';
import { unicodeFindings, wholeScriptSpoofs, type UnicodeRecord } from './detectors/unicode.js';
import { floodFindings, type FloodRecord } from './detectors/floods.js';
import { REC, DECODE_NAMES } from './record-codes.js';
import { bumpSeverity, severityRank, UNICODE_TYPES, WORDING_TYPES } from './threats.js';
import { decodeUtf8 } from './utf8.js';
import { spanIndex, type Span } from './spans.js';
import { formReread, shellReread, layerReread, leetReread, mergeReread } from './rereads.js';

/** Blob candidates kept per scan, and how many of them are decoded (after the cheap mixed-case/hex filter). */
const MAX_BLOBS = 4096;
const MAX_DECODES = 64;
const MIN_DECODED = 8;


export interface ScanContext {
  core: Core;
  cat: Catalogue;
  config: KindlyGuardConfig;
  /** Per family, 1 when its rules run: built once per scanner from the config. */
  enabledFamilies?: Uint8Array;
}

function familySwitches(cat: Catalogue, config: KindlyGuardConfig): Uint8Array {
  // Custom patterns are appended as the last families; they stay on when built-in injection detection is off.
  const firstCustom = cat.families.length - config.scanner.custom_patterns.length;
  return Uint8Array.from(cat.families, (fam, f) =>
    (config.scanner.threats[fam.type]?.enabled !== false && (config.scanner.injection_detection || f >= firstCustom)) ? 1 : 0);
}

// Indexed loops: for-of over a typed array costs an iterator per call on this path.
function mixedCase(b: Uint8Array): boolean {
  let upper = false, lower = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c >= 0x41 && c <= 0x5a) upper = true;
    else if (c >= 0x61 && c <= 0x7a) lower = true;
    if (upper && lower) return true;
  }
  return false;
}

function isHex(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (!((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66))) return false;
  }
  return true;
}


/** Decoded blobs worth rescanning are text: valid UTF-8, nearly all printable ASCII (random bytes almost never are). */
function mostlyText(b: Uint8Array): boolean {
  let text = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if ((c >= 0x20 && c < 0x7f) || c === 0x09 || c === 0x0a || c === 0x0d) text++;
  }
  if (text < b.length * 0.9) return false;
  return decodeUtf8(b) !== undefined;
}

const OVERLAP = 512;
const WINDOW = 2048;

interface Collected {
  hits: Hit[];
  unicode: UnicodeRecord[];
  decodedSpans: Span[];
  evasionSpans: Span[];
  /** Words written wholly in another script's look-alikes: evasion only inside Latin text ("ВСЕ" in Russian is a word). */
  wholeScript: Span[];
  blobs: Span[];
  /** Escapes left for a second layer (the one-layer-down reading reads around them). */
  layered: Span[];
  /** More layered spans than kept: the whole text is read one layer down. */
  layeredAll?: boolean;
  /** The text of C-style comments (slash-star) the matcher read as a space. */
  comments: Span[];
  floods: FloodRecord[];
}

function emptyCollected(): Collected {
  return { hits: [], unicode: [], decodedSpans: [], evasionSpans: [], wholeScript: [], blobs: [], layered: [], comments: [], floods: [] };
}

/** Sorts one core scan's records (offsets shifted by `base`, those ending at or before `skipUntil` ignored). */
function collect(cat: Catalogue, raw: RawScan, base: number, skipUntil: number, into: Collected): void {
  const recs = raw.records;
  for (let i = 0; i < raw.count; i++) {
    const code = recs[i * 4]!, start = recs[i * 4 + 1]! + base, end = recs[i * 4 + 2]! + base, extra = recs[i * 4 + 3]!;
    if (end <= skipUntil) continue;
    if (code >= REC.PATTERN) { into.hits.push({ pattern: cat.variantOf[code - REC.PATTERN]!, start, end }); continue; }
    switch (code) {
      case REC.DECODED_URL: case REC.DECODED_HTML: case REC.DECODED_ESCAPE:
        into.decodedSpans.push({ start, end, name: DECODE_NAMES[code] });
        break;
      case REC.BLOB:
        if (into.blobs.length < MAX_BLOBS) into.blobs.push({ start, end });
        break;
      case REC.COMMENT:
        // Window rescans may report a comment twice: keep each once.
        if (into.comments.at(-1)?.start !== start) into.comments.push({ start, end });
        break;
      case REC.COMPAT:
        // Also a Unicode record: text written in mathematical look-alike letters is a finding of its own.
        into.unicode.push({ code, start, end, extra });
        into.evasionSpans.push({ start, end });
        break;
      case REC.SPACED:
        into.evasionSpans.push({ start, end });
        break;
      case REC.LAYERED: {
        // Spans within two windows of each other are one window anyway: join them, so a long run of escaped
        // letters is one span, not thousands; past the cap the whole text is read (an empty list).
        const last = into.layered.at(-1);
        if (last && start <= last.end + 1024) last.end = Math.max(last.end, end);
        else if (into.layered.length < MAX_BLOBS) into.layered.push({ start, end });
        else into.layeredAll = true;
        break;
      }
      case REC.FLOOD: {
        // Overlapping window rescans report one flood in pieces: join them.
        const last = into.floods.at(-1);
        if (last && last.period === extra && start <= last.end) last.end = Math.max(last.end, end);
        else into.floods.push({ start, end, period: extra });
        break;
      }
      default:
        into.unicode.push({ code, start, end, extra });
        if (code === REC.TAG && !(extra & 0x10000)) into.decodedSpans.push({ start, end, name: DECODE_NAMES[code] });
        if ((code === REC.INVISIBLE || code === REC.VARIATION) && !(extra & 0x10000)) into.evasionSpans.push({ start, end });
        if (code === REC.MIXED_SCRIPT || code === REC.BIDI || code === REC.BIDI_OVERRIDE) into.evasionSpans.push({ start, end });
        if (code === REC.WHOLE_SCRIPT) into.wholeScript.push({ start, end });
    }
  }
}

/**
 * Scans one input: core records, then findings. `only` (second readings that keep only some types) runs just those
 * families' rules (in the glue pass and comment text too) and skips Unicode findings and blobs: a leetspeak reading
 * of attack-dense text would otherwise cost a whole second scan.
 */
export function scanBytes(ctx: ScanContext, input: string | Uint8Array, depth = 0, only?: ReadonlySet<Finding['type']>): { findings: Finding[]; bytes: number } {
  const { core, cat, config } = ctx;
  const first = core.scan(input);
  const bytes = first.input.length;
  // Statistics must be read before any window rescan resets them.
  let stats = first.dropped > 0 ? core.stats() : undefined;
  const statsOf = () => (stats ??= core.stats()); // read once, and only when a detector needs them
  let got = emptyCollected();
  collect(cat, first, 0, -1, got);
  let raw = first;
  if (first.dropped > 0) {
    // The record buffer overflowed (a flood of padding findings). Unicode records of the whole input come before any
    // pattern hit, so hits may be missing anywhere: rescan in small overlapping windows whose records always fit.
    // Windows advance by a constant, so the work stays linear.
    got = emptyCollected();
    raw = core.indexWhole(scanWindows(ctx, first.input, (from, to) => core.scanSlice(from, to), got));
  }
  // Rules extend chains in text order: by start, then end (the core emits hits by end).
  sortHits(got.hits);
  const { hits, unicode, decodedSpans, evasionSpans, blobs } = got;
  const spoofs = got.wholeScript.length > 0 && wholeScriptSpoofs(got.wholeScript, statsOf(), raw.input);
  if (spoofs) for (const w of got.wholeScript) evasionSpans.push(w);
  const findings: Finding[] = [];
  const enabledType = (t: string) => config.scanner.threats[t as Finding['type']]?.enabled !== false;
  // No spread: a flood of findings would overflow the call stack.
  if (config.scanner.unicode_detection && !only) for (const f of unicodeFindings(unicode, statsOf, raw.input, spoofs)) findings.push(f);
  {
    const view = viewOf(raw);
    const all = ctx.enabledFamilies ??= familySwitches(cat, config);
    const enabledFamily = only ? all.map((on, f) => (on && only.has(cat.families[f]!.type) ? 1 : 0)) : all;
    const ruleFindings = applyRules(cat, hits, view, enabledFamily);
    if (got.floods.length && config.scanner.injection_detection) for (const f of floodFindings(got.floods, raw.input, raw.norm)) findings.push(f);
    const none = () => [];
    const decodedAt = ruleFindings.length && decodedSpans.length ? spanIndex(decodedSpans) : none;
    const evasionAt = ruleFindings.length && evasionSpans.length ? spanIndex(evasionSpans) : none;
    for (const f of ruleFindings) {
      const decoded = decodedAt(f.start, f.end);
      if (decoded.length) f.decoded = [...new Set(decoded.map((d) => d.name))].join('>');
      // Needing to undo encoding or look-alike letters to see an attack is itself a sign of intent.
      if (decoded.length || evasionAt(f.start, f.end).length) {
        f.severity = bumpSeverity(f.severity);
        f.description += ' (obfuscated)';
      }
      findings.push(f);
    }
    if (glued(unicode, stats ? stats.latinMarks : core.latinMarks())) {
      // The same input once more with invisible characters and marks read as spaces (core.rescanGlued): an attack
      // glued to the word before it by them is words there. Only what the first pass did not already say, and only
      // the natural-language families (word boundaries are what gluing attacks); gluing is evasion: one level up.
      const glue = emptyCollected();
      const split = first.dropped > 0
        ? core.indexWhole(scanWindows(ctx, raw.input, (from, to) => core.rescanGlued(from, to), glue))
        : (collectAll(cat, core.rescanGlued(), glue));
      sortHits(glue.hits);
      for (const f of applyRules(cat, glue.hits, viewOf(split), enabledFamily)) {
        if (!WORDING_TYPES.has(f.type) || ruleFindings.some((g) => g.rule === f.rule && g.start < f.end && f.start < g.end)) continue;
        f.severity = bumpSeverity(f.severity);
        f.description += ' (glued to the word before it by invisible characters or marks)';
        findings.push(f);
      }
    }
  }
  // Copy comment text and blobs out before recursing: the recursion reuses the core's arena.
  const commentText = got.comments.length && depth < config.scanner.decode_depth ? joinSpans(raw.input, got.comments) : undefined;
  const blobBytes = depth < config.scanner.decode_depth && !only
    ? blobs.map((b) => ({ span: b, bytes: raw.input.slice(b.start, b.end) }))
    : [];
  // Second readings (engine/rereads.ts), prepared before any recursion reuses the arena; once, at the top.
  const layered = depth === 0 ? core.layered() : 0;
  const rereads = depth === 0
    ? [formReread(core.formSpaces()), shellReread(core.shellUnquote()), layered ? layerReread(core.peelLayer(layered), got.layeredAll ? [] : got.layered) : undefined,
      config.scanner.injection_detection ? leetReread(core.deLeet()) : undefined]
    : [];
  let decodes = 0;
  for (const { span, bytes: whole } of blobBytes) {
    if (decodes >= MAX_DECODES) break;
    // '=' is base64 padding only at the end: "q=aWdub3Jl..." is a key, then the blob.
    let cut = 0;
    for (let i = whole.length - 1; i >= 0; i--) if (whole[i] === 0x3d && i + 1 < whole.length && whole[i + 1] !== 0x3d) { cut = i + 1; break; }
    const blob = whole.subarray(cut);
    if (blob.length < 16) continue;
    const body = blob[0] === 0x30 && (blob[1] === 0x78 || blob[1] === 0x58) ? blob.subarray(2) : blob;
    const kind = body.length % 2 === 0 && body.length >= 20 && isHex(body) ? 'hex' : 'base64';
    if (kind === 'base64' && !mixedCase(body)) continue; // base64 of text mixes cases; long plain words do not
    decodes++;
    const decoded = core.decode(body, kind);
    if (!decoded || decoded.length < MIN_DECODED || !mostlyText(decoded)) continue;
    const inner = scanBytes(ctx, decoded, depth + 1).findings
      .filter((f) => severityRank(f.severity) >= 1 && f.type !== 'invalid_utf8' && f.type !== 'unicode_control');
    if (!inner.length) continue;
    let worst = inner[0]!;
    for (const f of inner) {
      if (severityRank(f.severity) > severityRank(worst.severity)) worst = f;
      findings.push({ ...f, start: span.start, end: span.end, decoded: f.decoded ? `${kind}>${f.decoded}` : kind,
        severity: bumpSeverity(f.severity) });
    }
    findings.push({ type: 'encoded_payload', severity: bumpSeverity(worst.severity), start: span.start, end: span.end, rule: 'encoded.payload',
      decoded: kind, description: `${kind} payload hides ${[...new Set(inner.map((f) => f.type))].join(', ')}` });
  }
  if (commentText) {
    // What comments say, all at once (one rescan, however many comments): injection findings only, since the
    // characters inside were classified in the first pass. One severity lower: code comments are full of paths and
    // examples (a JSDoc import('../../../types')); an instruction or a script hidden in one is still high or above.
    for (const f of scanBytes(ctx, commentText.bytes, depth + 1, only).findings) {
      if (UNICODE_TYPES.has(f.type) || severityRank(f.severity) < 1) continue;
      const at = commentText.map(f.start, f.end);
      findings.push({ ...f, ...at, severity: bumpSeverity(f.severity, -1), description: `${f.description} (inside a comment)` });
    }
  }
  for (const r of rereads) if (r) mergeReread(findings, scanBytes(ctx, r.bytes, depth + 1, r.types).findings, r);
  for (const f of findings) {
    const o = config.scanner.threats[f.type];
    if (o?.severity) f.severity = o.severity;
  }
  return { findings: merge(findings.filter((f) => enabledType(f.type) && (config.scanner.unicode_detection || !UNICODE_TYPES.has(f.type)))), bytes };
}

/**
 * The bytes of several spans joined by NUL (no pattern reads across it), and the way back from an offset in the
 * joined text to the original input.
 */
function joinSpans(input: Uint8Array, spans: Span[]): { bytes: Uint8Array; map(start: number, end: number): Span } {
  let total = 0;
  for (const sp of spans) total += sp.end - sp.start + 1;
  const bytes = new Uint8Array(total);
  const at: number[] = []; // where each span starts in the joined text
  let p = 0;
  for (const sp of spans) {
    at.push(p);
    bytes.set(input.subarray(sp.start, sp.end), p);
    p += sp.end - sp.start + 1; // the NUL after it is already 0
  }
  const find = (off: number) => {
    let lo = 0, hi = at.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (at[mid]! <= off) lo = mid; else hi = mid - 1; }
    return lo;
  };
  return {
    bytes,
    map(start, end) {
      const i = find(start), sp = spans[i]!;
      const s0 = sp.start + (start - at[i]!);
      return { start: s0, end: Math.min(sp.end, Math.max(s0, sp.start + (end - at[i]!))) };
    },
  };
}

/** Gap (bytes) across which findings of one type join: a run of 1000 hidden characters is one finding. */
const JOIN_GAP = 16;

/**
 * Invisible characters inside a word (not a legitimate joiner), three or more marks on a Latin or Cyrillic letter, a
 * stray variation selector or a BiDi control: worth a second, glue-mode pass.
 */
function glued(unicode: UnicodeRecord[], latinMarks: number): boolean {
  if (latinMarks > 0) return true;
  for (const r of unicode) {
    if (r.code === REC.INVISIBLE && (r.extra & 0x30000) === 0x20000) return true; // inside a word, not a legitimate joiner
    // Variation selectors after a letter and BiDi controls are split by the glue mode too (and reported anyway).
    if ((r.code === REC.VARIATION && !(r.extra & 0x10000)) || r.code === REC.BIDI || r.code === REC.BIDI_OVERRIDE) return true;
  }
  return false;
}

/** What the detectors read of a whole-input scan. */
function viewOf(raw: RawScan): ScanView {
  return { raw: raw.input, norm: raw.norm, ignored: raw.ignored, charIndex: raw.charIndex };
}

function collectAll(cat: Catalogue, raw: RawScan, into: Collected): RawScan {
  collect(cat, raw, 0, -1, into);
  return raw;
}

/**
 * Scans input in small overlapping windows whose records always fit (a flood of padding findings overflowed the
 * whole-input scan; its hits may be missing anywhere). Windows advance by a constant, so the work stays linear.
 * Returns the last window's scan (its views cover the whole input).
 */
function scanWindows(ctx: ScanContext, input: Uint8Array, scan: (from: number, to: number) => RawScan, into: Collected): RawScan {
  const bytes = input.length;
  let raw: RawScan | undefined;
  for (let pos = 0; pos < bytes; pos += WINDOW) {
    let from = Math.max(0, pos - OVERLAP);
    while (from > 0 && (input[from]! & 0xc0) === 0x80) from--; // start on a character, not inside one
    raw = scan(from, Math.min(bytes, pos + WINDOW));
    collect(ctx.cat, raw, from, pos === 0 ? -1 : pos, into);
  }
  return raw!;
}

/** Sorts findings by start, then end (few per scan). */
function sortFindings(list: Finding[]): void {
  list.sort((x, y) => x.start - y.start || x.end - y.end);
}

const before = (x: Hit, y: Hit) => x.start < y.start || (x.start === y.start && x.end <= y.end);

/** Insertion sort of list[lo, hi) by start, then end, stably (short or nearly sorted ranges). */
function insertionSort(list: Hit[], lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const item = list[i]!;
    let j = i - 1;
    while (j >= lo && !before(list[j]!, item)) { list[j + 1] = list[j]!; j--; }
    list[j + 1] = item;
  }
}

/** Bottom-up merge sort of list[lo, hi), stable, comparing inline (the built-in sort's comparator calls cost more). */
function mergeSort(list: Hit[], lo: number, hi: number): void {
  const n = hi - lo;
  let src = list.slice(lo, hi), dst = new Array<Hit>(n);
  for (let width = 1; width < n; width *= 2) {
    for (let a = 0; a < n; a += 2 * width) {
      const mid = Math.min(a + width, n), b = Math.min(a + 2 * width, n);
      let i = a, j = mid, k = a;
      while (i < mid && j < b) dst[k++] = before(src[i]!, src[j]!) ? src[i++]! : src[j++]!;
      while (i < mid) dst[k++] = src[i++]!;
      while (j < b) dst[k++] = src[j++]!;
    }
    const t = src; src = dst; dst = t;
  }
  for (let k = 0; k < n; k++) list[lo + k] = src[k]!;
}

const BLOCK_SHIFT = 6;
/** A block holding more hits than this is merge-sorted (insertion sort would be quadratic in it). */
const BLOCK_INSERTION_MAX = 64;

/**
 * Sorts hits by start, then end, stably. They arrive by end, interleaved from the core's eight streams: a counting
 * sort by 64-byte block of the start puts each near its place in one pass, then each block is sorted on its own
 * (a few hits each; merge sort for a crowded block). Linear on ordinary input, n log n at worst.
 */
function sortHits(list: Hit[]): void {
  const n = list.length;
  if (n <= 24) { insertionSort(list, 0, n); return; }
  let maxStart = 0;
  for (let i = 0; i < n; i++) if (list[i]!.start > maxStart) maxStart = list[i]!.start;
  const blocks = (maxStart >> BLOCK_SHIFT) + 1;
  const at = new Int32Array(blocks + 1);
  for (let i = 0; i < n; i++) at[(list[i]!.start >> BLOCK_SHIFT) + 1]!++;
  for (let b = 0; b < blocks; b++) at[b + 1]! += at[b]!;
  const byBlock = new Array<Hit>(n);
  const next = at.slice(0, blocks);
  for (let i = 0; i < n; i++) { const h = list[i]!; byBlock[next[h.start >> BLOCK_SHIFT]!++] = h; }
  for (let i = 0; i < n; i++) list[i] = byBlock[i]!;
  for (let b = 0; b < blocks; b++) {
    const lo = at[b]!, hi = at[b + 1]!;
    if (hi - lo > BLOCK_INSERTION_MAX) mergeSort(list, lo, hi);
    else if (hi - lo > 1) insertionSort(list, lo, hi);
  }
}

/**
 * One finding per type per region (overlapping or nearly adjacent), keeping the most severe description. Merges in
 * place: every finding here was made by this scan.
 */
export function merge(findings: Finding[]): Finding[] {
  sortFindings(findings);
  const out: Finding[] = [];
  const open = new Map<string, Finding>();
  for (const f of findings) {
    const cur = open.get(f.type);
    if (cur && f.start <= cur.end + JOIN_GAP) {
      cur.end = Math.max(cur.end, f.end);
      if (severityRank(f.severity) > severityRank(cur.severity)) {
        cur.severity = f.severity;
        cur.description = f.description;
        cur.rule = f.rule;
      }
      if (f.decoded && !cur.decoded) cur.decoded = f.decoded;
      continue;
    }
    open.set(f.type, f);
    out.push(f);
  }
  return out;
}
