/**
 * Score rules: weights of the distinct patterns a family's hits name, around a required centre, in any order (see
 * ScoreRule in engine/patterns/types.ts). Sequence rules need their words in one order and close; scores catch the
 * same intent written other ways, at the price of a threshold.
 */
import type { Catalogue } from '../patterns/index.js';
import type { ScoreRule } from '../patterns/types.js';
import type { Finding, Hit, ScanView } from './types.js';
import { CONFIRMS } from './confirm.js';
import { near } from './distance.js';
import { negated } from './read.js';

// Confirmed centres tallied per score and scan (each tally reads the family's hits once: a bound keeps a flood of
// centre words linear). A text with more centres than this is scored around one per half window, the first ones
// first (a known limit: see the README).
const MAX_CENTRES = 64;

const REQUIRED = 1, ONCE = 2, NEGATABLE = 4;

/** A score compiled against one catalogue: per pattern its weight, tag number and flags (no string lookups per hit). */
export interface ScorePlan {
  rule: ScoreRule;
  weight: Float64Array;
  tag: Int32Array;
  flags: Uint8Array;
  tags: number;
  /** Per tag: 1 when it is required (a centre). */
  centreTag: Uint8Array;
  // Scratch, reused across scans (one scan at a time per catalogue and thread).
  perTag: Float64Array;
  seen: Uint32Array;
  gen: number;
}

/** Family f's scores compiled against the catalogue (once: the rules' per-catalogue grouping keeps them). */
export function planScores(cat: Catalogue, f: number): ScorePlan[] {
  return (cat.families[f]!.scores ?? []).map((s) => {
    const n = cat.patterns.length;
    const names = Object.keys(s.weights);
    const plan: ScorePlan = { rule: s, weight: new Float64Array(n), tag: new Int32Array(n).fill(-1), flags: new Uint8Array(n), tags: names.length,
      centreTag: Uint8Array.from(names, (name) => (s.requires?.includes(name) ? 1 : 0)),
      perTag: new Float64Array(names.length), seen: new Uint32Array(n), gen: 0 };
    cat.patterns.forEach((pattern, p) => {
      // Tag names are the family's own (another family may use the same name).
      const t = pattern.family === f ? names.indexOf(pattern.tag) : -1;
      if (t < 0) return;
      const name = names[t]!;
      plan.tag[p] = t;
      plan.weight[p] = s.weights[name]!;
      plan.flags[p] = (s.requires?.includes(name) ? REQUIRED : 0) | (s.once?.includes(name) ? ONCE : 0) | (s.negatable?.includes(name) ? NEGATABLE : 0);
    });
    return plan;
  });
}

/**
 * Each tag is capped at three times its weight (a required or `once` tag at its weight). With `window`, only hits
 * within that many characters either side of a centre (a hit of a required tag) count: a long story with "secretly"
 * in one chapter and "the model must" in another is not one instruction.
 */
export function score(plan: ScorePlan, hits: Hit[], count: number, view: ScanView, type: Finding['type'], out: Finding[]): void {
  const s = plan.rule;
  let best: Tally | null = null;
  if (s.window === undefined) best = tally(plan, s, hits, count, null, view);
  else {
    // (Each confirmation reads a few words around its hit: linear in the hits, however many.)
    let centres: Hit[] | null = null; // most scans have none: no allocation then
    for (let i = 0; i < count; i++) {
      const h = hits[i]!;
      if (!(plan.flags[h.pattern]! & REQUIRED)) continue;
      if (s.centreConfirm && !CONFIRMS[s.centreConfirm]!(view, h, h.start)) continue;
      (centres ??= []).push(h);
    }
    if (!centres) return;
    // Many centres (a target repeated through a long text): one per half window, so neighbours share a tally.
    let last: Hit | null = null, tallied = 0;
    for (const h of centres) {
      if (tallied >= MAX_CENTRES) break;
      if (centres.length > MAX_CENTRES && last && h.start >= last.start && near(view, last.end, h.start, s.window / 2)) continue;
      last = h;
      tallied++;
      const t = tally(plan, s, hits, count, h, view);
      if (t && (!best || t.total > best.total)) best = t;
    }
  }
  if (best && best.total >= s.medium) {
    out.push({ type, severity: best.total >= s.high ? 'high' : 'medium', start: best.first, end: best.last,
      description: `${s.description} (score ${best.total})`, rule: s.id });
  }
}

interface Tally { total: number; first: number; last: number }

function tally(plan: ScorePlan, s: ScoreRule, hits: Hit[], count: number, centre: Hit | null, view: ScanView): Tally | null {
  const { weight, tag, flags, perTag, seen } = plan;
  const inWindow = (h: Hit) => !centre
    || (h.start <= centre.start ? near(view, h.end, centre.start, s.window!) : near(view, centre.end, h.start, s.window!));
  // One span, one name (windowed scores): "malware" is a harmful target, not also a harm word and a strong-harm word;
  // "novel" is one story cue. The heaviest tag keeps the span (a required one on a tie). A whole-text score
  // (jb.score) counts a phrase under each tag that names it: its weights were set that way ("do anything now" is a
  // persona and no limits).
  let kept: Map<number, Hit> | null = null;
  if (centre) {
    kept = new Map();
    for (let i = 0; i < count; i++) {
      const h = hits[i]!;
      const w = weight[h.pattern]!;
      if (w === 0 || !inWindow(h)) continue;
      // "never ask for their password", "must not store passwords": an order not given.
      if (flags[h.pattern]! & NEGATABLE && negated(view.norm, h, h.start)) continue;
      const key = h.start * (view.norm.length + 1) + h.end;
      const other = kept.get(key);
      // A required tag keeps its span (the centre must stay counted); otherwise the heavier tag does.
      if (!other) kept.set(key, h);
      else if (!(flags[other.pattern]! & REQUIRED) && (flags[h.pattern]! & REQUIRED || weight[other.pattern]! < w)) kept.set(key, h);
    }
  }
  if (plan.gen >= 0xffffffff) { seen.fill(0); plan.gen = 0; }
  plan.gen++;
  perTag.fill(-1);
  let first = Infinity, last = 0, anyRequired = false;
  const add = (h: Hit) => {
    const p = h.pattern;
    const w = weight[p]!;
    if (w === 0 || seen[p] === plan.gen) return;
    seen[p] = plan.gen;
    const t = tag[p]!;
    const cap = flags[p]! & (REQUIRED | ONCE) ? w : 3 * w;
    perTag[t] = Math.min(cap, Math.max(0, perTag[t]!) + w);
    if (flags[p]! & REQUIRED) anyRequired = true;
    first = Math.min(first, h.start);
    last = Math.max(last, h.end);
  };
  if (kept) for (const h of kept.values()) add(h);
  else for (let i = 0; i < count; i++) add(hits[i]!);
  if (s.requires && !anyRequired) return null;
  // The required tags are one centre, however it is named: the heaviest counts, the others not.
  let total = 0, centreWeight = 0;
  for (let p = 0; p < plan.tags; p++) {
    const v = perTag[p]!;
    if (v < 0) continue;
    if (plan.centreTag[p]) centreWeight = Math.max(centreWeight, v);
    else total += v;
  }
  return { total: total + centreWeight, first, last };
}
