/**
 * Scanning a message that arrives in chunks. Each chunk is scanned together with the last CARRY bytes before it, so
 * an attack cut across chunks is seen whole; findings already reported are not repeated, and offsets are bytes from
 * the start of the message. Bytes of a UTF-8 character cut by a chunk boundary wait for the next chunk instead of
 * being reported as invalid. Work stays linear: chunks are scanned once at least MIN_SCAN new bytes have gathered
 * (or the message ends), so a byte is scanned at most 1 + CARRY / MIN_SCAN times, however small the frames.
 */
import { severityRank, type ScanResult, type Threat } from './threats.js';

/** Bytes of earlier chunks rescanned with each new one: longer than any single pattern match the engine reports. */
export const CARRY = 4096;
/** New bytes gathered before a scan (unless the message ends first). */
export const MIN_SCAN = 1024;

export type ScanBytes = (bytes: Uint8Array) => Promise<ScanResult>;

export interface StreamUpdate {
  /**
   * Findings not reported for an earlier chunk, or reported at a lower severity (a later chunk completed them);
   * offsets from the start of the message (bytes).
   */
  threats: Threat[];
  /** Whether anything so far in this message blocks under the policy. */
  blocked: boolean;
  /** Bytes of the message scanned so far. */
  bytes: number;
}

/** Length of an unfinished UTF-8 character at the end of `b` (0 if the end is on a character boundary). */
function cutCharLength(b: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const c = b[b.length - back]!;
    if ((c & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

export class StreamScan {
  private carry: Uint8Array = new Uint8Array(0);
  /** Absolute offset of carry[0] in the message. */
  private carryStart = 0;
  private held: Uint8Array = new Uint8Array(0);
  private total = 0;
  private blocked = false;
  /** Type and start of each finding reported, with the highest severity reported for it. */
  private readonly seen = new Map<string, number>();

  private readonly carryBytes: number;
  private readonly minScan: number;

  /** `carry` and `minScan` are for tests that want every chunk scanned through a small window. */
  constructor(private readonly scan: ScanBytes, options: { carry?: number; minScan?: number } = {}) {
    this.carryBytes = options.carry ?? CARRY;
    this.minScan = options.minScan ?? MIN_SCAN;
  }

  /** Feeds the next chunk; `last` flushes everything held back. */
  async push(chunk: Uint8Array, last: boolean): Promise<StreamUpdate> {
    // Always a copy: the caller's chunk may live in a buffer it reuses (uWS frames do).
    this.held = this.held.length ? concat(this.held, chunk) : chunk.slice();
    if (!last && this.held.length < this.minScan) return { threats: [], blocked: this.blocked, bytes: this.total };
    let fresh = this.held;
    const cut = last ? 0 : cutCharLength(fresh);
    this.held = fresh.slice(fresh.length - cut);
    fresh = fresh.subarray(0, fresh.length - cut);
    if (!fresh.length) return { threats: [], blocked: this.blocked, bytes: this.total };
    const window = concat(this.carry, fresh);
    const windowStart = this.carryStart;
    const newFrom = this.carry.length;
    // A window that starts or ends inside the message must not read as the start or end of a text: "^/etc/passwd",
    // "...etc/passwd$" and other whole-value rules would fire where a chunk happened to begin or end. A neutral
    // symbol before and after it makes no text edge.
    const lead = windowStart > 0 ? MID_MESSAGE : EMPTY;
    const trail = last ? EMPTY : MID_MESSAGE;
    const result = await this.scan(lead.length || trail.length ? framed(lead, window, trail) : window);
    this.total += fresh.length;
    const threats: Threat[] = [];
    for (const found of result.threats) {
      let t = found;
      if (lead.length || trail.length) {
        const offset = Math.max(0, t.offset - lead.length);
        const end = Math.min(window.length, t.offset + t.length - lead.length);
        if (end <= offset) continue; // only in the added symbols
        t = { ...t, offset, length: end - offset };
      }
      if (t.offset + t.length <= newFrom) continue; // entirely in old bytes: reported before
      const abs = { ...t, offset: t.offset + windowStart };
      const key = `${abs.type}:${abs.offset}`;
      // Reported before, unless more of the message has made it worse (`<script` then `<script>alert(1)`).
      const rank = severityRank(abs.severity);
      if ((this.seen.get(key) ?? -1) >= rank) continue;
      this.seen.set(key, rank);
      threats.push(abs);
    }
    if (result.blocked) this.blocked = true;
    // Keep the tail as the next carry, starting on a character boundary.
    let from = Math.max(0, window.length - this.carryBytes);
    while (from > 0 && from < window.length && (window[from]! & 0xc0) === 0x80) from++;
    this.carry = window.slice(from);
    this.carryStart = windowStart + from;
    return { threats, blocked: this.blocked, bytes: this.total };
  }
}

const EMPTY = new Uint8Array(0);
/** "§": a symbol, no space, letter or line start, so nothing anchored at a text's start matches after it. */
const MID_MESSAGE = new Uint8Array([0xc2, 0xa7]);

/** lead + window + trail in one copy. */
function framed(lead: Uint8Array, window: Uint8Array, trail: Uint8Array): Uint8Array {
  const out = new Uint8Array(lead.length + window.length + trail.length);
  out.set(lead);
  out.set(window, lead.length);
  out.set(trail, lead.length + window.length);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
