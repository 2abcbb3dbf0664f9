/**
 * Turns pattern hits into findings with the families' rules: ordered sequences within a distance, and scores over
 * distinct patterns. Each hit visits only the rule steps that name its tag (a plan built once per catalogue), so the
 * work is linear in the hits.
 */
import type { Catalogue } from '../patterns/index.js';
import type { SequenceRule } from '../patterns/types.js';
import type { Finding, Hit, ScanView } from './types.js';
import { CONFIRMS } from './confirm.js';
import { near } from './distance.js';
import { score, planScores, type ScorePlan } from './scores.js';

const MAX_CONFIRMS = 1024;
interface Plan {
  rules: SequenceRule[];
  /**
   * The steps each pattern's tag can take, as (rule, position) pairs, each rule's positions in descending order:
   * pattern p's pairs are steps[stepFrom[p], stepFrom[p + 1]). Flat typed arrays: this runs for every hit.
   */
  steps: Int32Array;
  stepFrom: Int32Array;
  /** rule -> its first chain slot (one slot per sequence position) */
  base: Int32Array;
  /** rule -> its sequence length, its distance, 1 when consecutive hits may overlap */
  seqLen: Int32Array;
  within: Int32Array;
  overlap: Uint8Array;
  /**
   * Chains and firings live in typed arrays reused by every scan: a slot counts only when its stamp is this scan's.
   * (Objects per step were the rules' main cost on attack text: about 50 ns a step.) Each slot has two entries: the
   * latest chain, and the one it replaced when that ended sooner ("-1" then "1 order by" both end a numeric break-out;
   * "order by 1" overlaps the second, so only the first can lead to it).
   */
  chainStart: Int32Array;
  chainEnd: Int32Array;
  chainElem: Int32Array;
  chainGen: Uint32Array;
  fired: Array<Finding | undefined>;
  firedGen: Uint32Array;
  confirms: Int32Array;
  confirmGen: Uint32Array;
  gen: number;
}

/** Builds family f's plan (once per catalogue: the grouping keeps it). */
function buildPlan(cat: Catalogue, f: number): Plan {
  const family = cat.families[f]!;
  const byTag = new Map<string, number[]>();
  family.rules.forEach((rule, r) => {
    for (let k = rule.seq.length - 1; k >= 0; k--) {
      const list = byTag.get(rule.seq[k]!) ?? [];
      list.push(r, k);
      byTag.set(rule.seq[k]!, list);
    }
  });
  const flat: number[] = [];
  const stepFrom = new Int32Array(cat.patterns.length + 1);
  cat.patterns.forEach((p, i) => {
    stepFrom[i] = flat.length;
    if (p.family === f) flat.push(...(byTag.get(p.tag) ?? []));
  });
  stepFrom[cat.patterns.length] = flat.length;
  const steps = Int32Array.from(flat);
  const base = new Int32Array(family.rules.length);
  let slots = 0;
  family.rules.forEach((rule, r) => { base[r] = slots; slots += rule.seq.length; });
  const n = family.rules.length;
  return { rules: family.rules, steps, stepFrom, base,
    seqLen: Int32Array.from(family.rules, (r) => r.seq.length), within: Int32Array.from(family.rules, (r) => r.within ?? 0),
    overlap: Uint8Array.from(family.rules, (r) => (r.overlap ? 1 : 0)), chainStart: new Int32Array(2 * slots), chainEnd: new Int32Array(2 * slots),
    chainElem: new Int32Array(2 * slots), chainGen: new Uint32Array(2 * slots), fired: new Array(n), firedGen: new Uint32Array(n),
    confirms: new Int32Array(n), confirmGen: new Uint32Array(n), gen: 0 };
}

/**
 * Per catalogue: each pattern's family, and one hit list per family reused by every scan (filled up to counts[f]:
 * shrinking an array's length is a runtime call, dearer than the rules on a short message).
 */
interface Grouping {
  familyOf: Int32Array; lists: Hit[][]; counts: Int32Array; touched: number[];
  plans: Array<Plan | undefined>; scorePlans: Array<ScorePlan[] | undefined>;
}
const groupings = new WeakMap<Catalogue, Grouping>();

function groupingFor(cat: Catalogue): Grouping {
  let g = groupings.get(cat);
  if (!g) {
    g = { familyOf: Int32Array.from(cat.patterns, (p) => p.family), lists: cat.families.map(() => []),
      counts: new Int32Array(cat.families.length), touched: [], plans: cat.families.map(() => undefined),
      scorePlans: cat.families.map(() => undefined) };
    groupings.set(cat, g);
  }
  return g;
}

/** Hits grouped by family; `enabled[f]` is 0 for a switched-off family (type switches, injection_detection). */
export function applyRules(cat: Catalogue, hits: Hit[], view: ScanView, enabled: Uint8Array): Finding[] {
  const { familyOf, lists, counts, touched, plans, scorePlans } = groupingFor(cat);
  for (let i = 0; i < hits.length; i++) {
    const h = hits[i]!;
    const f = familyOf[h.pattern]!;
    if (!enabled[f]) continue;
    if (counts[f] === 0) touched.push(f);
    lists[f]![counts[f]!++] = h;
  }
  // Families in catalogue order, as findings were always listed (insertion: a handful of families, and the built-in
  // sort with a comparator costs more than the rules themselves on a short message).
  for (let i = 1; i < touched.length; i++) {
    const f = touched[i]!;
    let j = i - 1;
    while (j >= 0 && touched[j]! > f) { touched[j + 1] = touched[j]!; j--; }
    touched[j + 1] = f;
  }
  const out: Finding[] = [];
  try {
    for (let t = 0; t < touched.length; t++) {
      const f = touched[t]!;
      const family = cat.families[f]!;
      sequences(plans[f] ??= buildPlan(cat, f), lists[f]!, counts[f]!, view, family.type, out);
      for (const plan of scorePlans[f] ??= planScores(cat, f)) score(plan, lists[f]!, counts[f]!, view, family.type, out);
    }
  } finally {
    for (let t = 0; t < touched.length; t++) {
      const f = touched[t]!;
      if (counts[f]! > 4096) lists[f]!.length = 0; // a flood's hits are not kept alive until the next scan
      counts[f] = 0;
    }
    touched.length = 0;
  }
  return out;
}

/** Chain updates waiting for the next start position: (slot, start, end, element start) per entry. */
let deferred = new Int32Array(256);

function sequences(plan: Plan, hits: Hit[], count: number, view: ScanView, type: Finding['type'], out: Finding[]): void {
  const { chainStart, chainEnd, chainElem, chainGen, fired, firedGen, confirms, confirmGen, base, seqLen, steps, stepFrom } = plan;
  let gen = plan.gen + 1;
  if (gen > 0xffffffff) { chainGen.fill(0); firedGen.fill(0); confirmGen.fill(0); gen = 1; }
  plan.gen = gen;
  // Hits starting at one position ("'=" and "'='") must not replace each other's predecessors: their chain updates
  // are applied only once the position is done.
  let pending = 0;
  let at = -1;
  for (let i = 0; i < count; i++) {
    const h = hits[i]!;
    if (h.start !== at) {
      for (let d = 0; d < pending; d += 4) {
        const e = deferred[d]! << 1;
        if (chainGen[e] === gen && chainEnd[e]! < deferred[d + 2]!) {
          chainStart[e + 1] = chainStart[e]!; chainEnd[e + 1] = chainEnd[e]!; chainElem[e + 1] = chainElem[e]!; chainGen[e + 1] = gen;
        }
        chainStart[e] = deferred[d + 1]!; chainEnd[e] = deferred[d + 2]!; chainElem[e] = deferred[d + 3]!;
        chainGen[e] = gen;
      }
      pending = 0;
      at = h.start;
    }
    for (let s = stepFrom[h.pattern]!, last = stepFrom[h.pattern + 1]!; s < last; s += 2) {
      const r = steps[s]!, k = steps[s + 1]!;
      const slot = base[r]! + k;
      let start = h.start;
      if (k > 0) {
        const prev = (slot - 1) << 1;
        const e = links(plan, prev, h, r, view, gen) ? prev : links(plan, prev + 1, h, r, view, gen) ? prev + 1 : -1;
        if (e < 0) continue;
        start = chainStart[e]!;
      }
      if (k < seqLen[r]! - 1) {
        if (pending + 4 > deferred.length) { const grown = new Int32Array(deferred.length * 2); grown.set(deferred); deferred = grown; }
        deferred[pending] = slot; deferred[pending + 1] = start; deferred[pending + 2] = h.end; deferred[pending + 3] = h.start;
        pending += 4;
        continue;
      }
      let end = h.end;
      const rule = plan.rules[r]!;
      if (rule.confirm) {
        // A flood of prefixes ("sk-sk-sk-...") must not make confirmation quadratic: a budget per rule and scan.
        if (confirmGen[r] !== gen) { confirmGen[r] = gen; confirms[r] = 0; }
        if (++confirms[r]! > MAX_CONFIRMS) continue;
        const ok = CONFIRMS[rule.confirm]!(view, h, start);
        if (!ok) continue;
        end = ok.end;
      }
      // Overlapping firings of one rule merge into one finding.
      const last = firedGen[r] === gen ? fired[r] : undefined;
      if (last && start <= last.end) { last.end = Math.max(last.end, end); continue; }
      const f: Finding = { type, severity: rule.severity, start, end, description: rule.description, rule: rule.id };
      fired[r] = f;
      firedGen[r] = gen;
      out.push(f);
    }
  }
}

/** Whether hit h can follow the chain in entry e. */
function links(plan: Plan, e: number, h: Hit, r: number, view: ScanView, gen: number): boolean {
  return plan.chainGen[e] === gen && h.start > plan.chainElem[e]! && (plan.overlap[r] === 1 || h.start >= plan.chainEnd[e]!)
    && near(view, plan.chainEnd[e]!, h.start, plan.within[r]!);
}

