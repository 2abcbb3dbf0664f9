/**
 * Score rules: weights of the distinct patterns a family's hits name, around a required centre, in any order (see
 * ScoreRule in engine/patterns/types.ts). Sequence rules need their words in one order and close; scores catch the
 * same intent written other ways, at the price of a threshold.
 */
import type { Catalogue } from '../patterns/index.js';
import type { Finding, Hit, ScanView } from './types.js';
import { CONFIRMS } from './confirm.js';
import { near } from './distance.js';
import { negated } from './read.js';

type ScoreRule = NonNullable<Catalogue['families'][number]['scores']>[number];

// Centres tried per score and scan: spread over the text (one per window), so repeating the centre word early ("cocaine"
// sixteen times in a news paragraph) cannot hide a request further on.
const MAX_CENTRES = 16;

/**
 * Each tag is capped at three times its weight (a required or `once` tag at its weight). With `window`, only hits
 * within that many characters either side of a centre (a hit of a required tag) count: a long story with "secretly"
 * in one chapter and "the model must" in another is not one instruction.
 */
export function score(cat: Catalogue, s: ScoreRule, hits: Hit[], count: number, view: ScanView, type: Finding['type'], out: Finding[]): void {
  let best: Tally | null = null;
  if (s.window === undefined) best = tally(cat, s, hits, count, null, view);
  else {
    let centres = 0;
    let last: Hit | null = null;
    for (let i = 0; i < count && centres < MAX_CENTRES; i++) {
      const h = hits[i]!;
      if (!s.requires!.includes(cat.patterns[h.pattern]!.tag)) continue;
      if (last && h.start >= last.start && near(view, last.end, h.start, s.window)) continue;
      if (s.centreConfirm && !CONFIRMS[s.centreConfirm]!(view, h, h.start)) continue;
      centres++;
      last = h;
      const t = tally(cat, s, hits, count, h, view);
      if (t && (!best || t.total > best.total)) best = t;
    }
  }
  if (best && best.total >= s.medium) {
    out.push({ type, severity: best.total >= s.high ? 'high' : 'medium', start: best.first, end: best.last,
      description: `${s.description} (score ${best.total})`, rule: s.id });
  }
}

interface Tally { total: number; first: number; last: number }

function tally(cat: Catalogue, s: ScoreRule, hits: Hit[], count: number, centre: Hit | null, view: ScanView): Tally | null {
  const tagOf = (h: Hit) => cat.patterns[h.pattern]!.tag;
  const required = (tag: string) => s.requires?.includes(tag) ?? false;
  // One span, one name: "malware" is a harmful target, not also a harm word and a strong-harm word; "novel" is one
  // story cue. The heaviest tag keeps the span (a required one on a tie). A whole-text score (jb.score) counts a
  // phrase under each tag that names it: its weights were set that way ("do anything now" is a persona and no limits).
  const kept = new Map<number, Hit>();
  for (let i = 0; i < count; i++) {
    const h = hits[i]!;
    const tag = tagOf(h);
    const w = s.weights[tag];
    if (!w) continue;
    if (centre && !(h.start <= centre.start ? near(view, h.end, centre.start, s.window!) : near(view, centre.end, h.start, s.window!))) continue;
    // "never ask for their password", "must not store passwords": an order not given.
    if (s.negatable?.includes(tag) && negated(view.norm, h, h.start)) continue;
    const key = s.window === undefined ? i : h.start * 4096 + Math.min(h.end - h.start, 4095);
    const other = kept.get(key);
    const ow = other ? s.weights[tagOf(other)]! : -1;
    if (ow < w || (ow === w && required(tag))) kept.set(key, h);
  }
  const seen = new Set<number>();
  const perTag = new Map<string, number>();
  let first = Infinity, last = 0;
  for (const h of kept.values()) {
    if (seen.has(h.pattern)) continue;
    seen.add(h.pattern);
    const tag = tagOf(h);
    const w = s.weights[tag]!;
    perTag.set(tag, Math.min(required(tag) || s.once?.includes(tag) ? w : 3 * w, (perTag.get(tag) ?? 0) + w));
    first = Math.min(first, h.start);
    last = Math.max(last, h.end);
  }
  if (s.requires && !s.requires.some((t) => perTag.has(t))) return null;
  // The required tags are one centre, however it is named: the heaviest counts, the others not.
  let total = 0, centreWeight = 0;
  for (const [tag, v] of perTag) {
    if (required(tag)) centreWeight = Math.max(centreWeight, v);
    else total += v;
  }
  return { total: total + centreWeight, first, last };
}
