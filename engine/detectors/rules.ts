/**
 * Turns pattern hits into findings with the families' rules: ordered sequences within a distance, and scores over
 * distinct patterns. Each hit visits only the rule steps that name its tag (a plan built once per catalogue), so the
 * work is linear in the hits.
 */
import type { Catalogue } from '../patterns/index.js';
import type { SequenceRule } from '../patterns/types.js';
import type { Finding, Hit, ScanView } from './types.js';
import { CONFIRMS } from './confirm.js';

interface Chain { start: number; end: number; elemStart: number }

const MAX_CONFIRMS = 1024;
interface Step { rule: number; k: number }
interface Plan {
  rules: SequenceRule[];
  /** pattern index -> the (rule, position) steps its tag can take, each rule's positions in descending order
   *  (an array indexed by pattern, not a Map: this lookup runs once per hit) */
  steps: Step[][];
}

const plans = new WeakMap<Catalogue, Plan[]>();

function planFor(cat: Catalogue, f: number): Plan {
  let all = plans.get(cat);
  if (!all) plans.set(cat, (all = []));
  let plan = all[f];
  if (plan) return plan;
  const family = cat.families[f]!;
  const byTag = new Map<string, Step[]>();
  family.rules.forEach((rule, r) => {
    for (let k = rule.seq.length - 1; k >= 0; k--) {
      const list = byTag.get(rule.seq[k]!) ?? [];
      list.push({ rule: r, k });
      byTag.set(rule.seq[k]!, list);
    }
  });
  const none: Step[] = [];
  const steps: Step[][] = cat.patterns.map((p) => (p.family === f ? byTag.get(p.tag) ?? none : none));
  plan = { rules: family.rules, steps };
  all[f] = plan;
  return plan;
}

/** Hits grouped by family; `enabled` filters families (type switches, injection_detection). */
export function applyRules(cat: Catalogue, hits: Hit[], view: ScanView, enabled: (family: number) => boolean): Finding[] {
  // Families are few (a score or so): an array indexed by family, false for a disabled one.
  const byFamily: Array<Hit[] | false | undefined> = new Array(cat.families.length);
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]!;
    const f = cat.patterns[h.pattern]!.family;
    let list = byFamily[f];
    if (list === false) continue;
    if (list === undefined) {
      if (!enabled(f)) { byFamily[f] = false; continue; }
      byFamily[f] = list = [];
    }
    list.push(h);
  }
  const out: Finding[] = [];
  for (let f = 0; f < byFamily.length; f++) {
    const list = byFamily[f];
    if (!list) continue;
    const family = cat.families[f]!;
    sequences(planFor(cat, f), list, view, family.type, out);
    if (family.score) score(cat, family.score, list, family.type, out);
  }
  return out;
}

function sequences(plan: Plan, hits: Hit[], view: ScanView, type: Finding['type'], out: Finding[]): void {
  const chains: Array<Array<Chain | undefined> | undefined> = new Array(plan.rules.length);
  const fired: Array<Finding | undefined> = new Array(plan.rules.length);
  const confirms: number[] = new Array(plan.rules.length);
  // Hits starting at one position ("'=" and "'='") must not replace each other's predecessors: their chain updates
  // are applied only once the position is done.
  const deferred: Array<{ ch: Array<Chain | undefined>; k: number; chain: Chain }> = [];
  let at = -1;
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]!;
    if (h.start !== at) {
      for (let d = 0; d < deferred.length; d++) deferred[d]!.ch[deferred[d]!.k] = deferred[d]!.chain;
      deferred.length = 0;
      at = h.start;
    }
    const steps = plan.steps[h.pattern]!;
    for (let s = 0; s < steps.length; s++) {
      const r = steps[s]!.rule, k = steps[s]!.k;
      const rule = plan.rules[r]!;
      const ch = chains[r] ?? (chains[r] = new Array(rule.seq.length));
      let chain: Chain;
      if (k === 0) chain = { start: h.start, end: h.end, elemStart: h.start };
      else {
        const prev = ch[k - 1];
        if (!prev || h.start <= prev.elemStart || (!rule.overlap && h.start < prev.end)
          || !near(view, prev.end, h.start, rule.within ?? 0)) continue;
        chain = { start: prev.start, end: h.end, elemStart: h.start };
      }
      if (k < rule.seq.length - 1) { deferred.push({ ch, k, chain }); continue; }
      let end = chain.end;
      if (rule.confirm) {
        // A flood of prefixes ("sk-sk-sk-...") must not make confirmation quadratic: a budget per rule and scan.
        if ((confirms[r] = (confirms[r] ?? 0) + 1) > MAX_CONFIRMS) continue;
        const ok = CONFIRMS[rule.confirm]!(view, h, chain.start);
        if (!ok) continue;
        end = ok.end;
      }
      // Overlapping firings of one rule merge into one finding.
      const last = fired[r];
      if (last && chain.start <= last.end) { last.end = Math.max(last.end, end); continue; }
      const f: Finding = { type, severity: rule.severity, start: chain.start, end, description: rule.description, rule: rule.id };
      fired[r] = f;
      out.push(f);
    }
  }
}

function score(cat: Catalogue, s: NonNullable<Catalogue['families'][number]['score']>, hits: Hit[], type: Finding['type'], out: Finding[]): void {
  const seen = new Set<number>();
  const perTag = new Map<string, number>();
  let first = Infinity, last = 0;
  for (const h of hits) {
    const tag = cat.patterns[h.pattern]!.tag;
    const w = s.weights[tag];
    if (!w || seen.has(h.pattern)) continue;
    seen.add(h.pattern);
    perTag.set(tag, Math.min(3 * w, (perTag.get(tag) ?? 0) + w));
    first = Math.min(first, h.start);
    last = Math.max(last, h.end);
  }
  let total = 0;
  for (const v of perTag.values()) total += v;
  if (total >= s.medium) {
    out.push({ type, severity: total >= s.high ? 'high' : 'medium', start: first, end: last,
      description: `${s.description} (score ${total})`, rule: s.id });
  }
}

/**
 * Distance in characters, not bytes: IGN bytes (the tails of multi-byte characters, collapsed whitespace, stripped
 * characters) do not count, so padding with spaces, marks or escapes does not pull an attack's words apart. The count
 * stops as soon as it passes `within`, and gaps of more than 64 bytes per allowed character are rejected unread.
 */
function near(view: ScanView, from: number, to: number, within: number): boolean {
  if (to - from <= within) return true;
  if (to - from > within * 64 + 64) return false;
  const norm = view.norm;
  let chars = 0;
  for (let i = from; i < to; i++) if (norm[i] !== 0xff && ++chars > within) return false;
  return true;
}
