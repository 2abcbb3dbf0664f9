/**
 * Enhanced mode (`enable_event_buffer`): keeps the tail of each source's recent messages for a short window and
 * rescans tail + new message, so a payload split across messages is still found. Bounded in sources and bytes.
 */
import type { Threat } from './threats.js';
import { joinArtifact } from './detectors/floods.js';

const TAIL_CHARS = 512;
const MAX_SOURCES = 10_000;
const WINDOW_MS = 60_000;

export class EventBuffer {
  private readonly tails = new Map<string, { text: string; at: number }>();

  constructor(private readonly windowMs = WINDOW_MS, private readonly now: () => number = Date.now) {}

  /** Threats that exist only across the join of the previous tail and this message, offsets in this message. */
  correlate(source: string, text: string, scan: (joined: string) => Threat[]): Threat[] {
    const prev = this.tails.get(source);
    const t = this.now();
    this.tails.delete(source); // re-insert to keep Map order = recency
    this.tails.set(source, { text: (prev && t - prev.at <= this.windowMs ? prev.text + text : text).slice(-TAIL_CHARS), at: t });
    if (this.tails.size > MAX_SOURCES) this.tails.delete(this.tails.keys().next().value as string);
    if (!prev || t - prev.at > this.windowMs || !prev.text) return [];
    const joint = prev.text.length;
    return scan(prev.text + text)
      .filter((th) => th.offset < joint && th.offset + th.length > joint && !joinArtifact(th))
      .map((th) => ({ ...th, offset: 0, length: th.offset + th.length - joint,
        description: `${th.description} (split across messages)` }));
  }
}
