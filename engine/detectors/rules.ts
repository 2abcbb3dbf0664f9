/**
 * Turns pattern hits into findings with the families' rules: ordered sequences within a distance, and scores over
 * distinct patterns. Work is linear in the number of hits (each hit updates each rule that names its tag once).
 */
import type { Catalogue } from '../patterns/index.js';
import type { SequenceRule } from '../patterns/types.js';
import type { Finding, Hit, ScanView } from './types.js';
import { CONFIRMS } from './confirm.js';
import { severityRank } from '../threats.js';

interface Chain { start: number; end: number; elemStart: number }

/** Hits grouped by family; rule evaluation per family keeps per-rule state small. */
export function applyRules(cat: Catalogue, hits: Hit[], view: ScanView, enabled: (family: number) => boolean): Finding[] {
  const byFamily = new Map<number, Hit[]>();
  for (const h of hits) {
    const f = cat.patterns[h.pattern]!.family;
    if (!enabled(f)) continue;
    let list = byFamily.get(f);
    if (!list) byFamily.set(f, (list = []));
    list.push(h);
  }
  const out: Finding[] = [];
  for (const [f, list] of byFamily) {
    const family = cat.families[f]!;
    for (const rule of family.rules) sequence(cat, rule, list, view, family.type, out);
    if (family.score) {
      const s = family.score;
      const seen = new Set<number>();
      const perTag = new Map<string, number>();
      let first = Infinity, last = 0;
      for (const h of list) {
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
        out.push({ type: family.type, severity: total >= s.high ? 'high' : 'medium', start: first, end: last,
          description: `${s.description} (score ${total})`, rule: s.id });
      }
    }
  }
  return out;
}

function sequence(cat: Catalogue, rule: SequenceRule, hits: Hit[], view: ScanView, type: Finding['type'], out: Finding[]): void {
  const L = rule.seq.length;
  const within = rule.within ?? 0;
  const chains: Array<Chain | undefined> = new Array(L);
  let fired: Finding | undefined;
  for (const h of hits) {
    const tag = cat.patterns[h.pattern]!.tag;
    // From the last element down, so one hit never advances two steps of the same chain.
    for (let k = L - 1; k >= 0; k--) {
      if (rule.seq[k] !== tag) continue;
      let chain: Chain;
      if (k === 0) chain = { start: h.start, end: h.end, elemStart: h.start };
      else {
        const prev = chains[k - 1];
        if (!prev || h.start <= prev.elemStart || (!rule.overlap && h.start < prev.end) || !near(view.norm, prev.end, h.start, within)) continue;
        chain = { start: prev.start, end: h.end, elemStart: h.start };
      }
      if (k < L - 1) { chains[k] = chain; continue; }
      let end = chain.end;
      if (rule.confirm) {
        const ok = CONFIRMS[rule.confirm]!(view, h);
        if (!ok) continue;
        end = ok.end;
      }
      // Overlapping firings of one rule merge into one finding.
      if (fired && chain.start <= fired.end) { fired.end = Math.max(fired.end, end); continue; }
      fired = { type, severity: rule.severity, start: chain.start, end, description: rule.description, rule: rule.id };
      out.push(fired);
    }
  }
}

/**
 * Distance in characters, not bytes: IGN bytes (the tails of multi-byte characters, stripped characters) do not
 * count, so full-width or CJK text is judged like ASCII. Bounded work: at most 4 bytes per allowed character.
 */
function near(norm: Uint8Array, from: number, to: number, within: number): boolean {
  if (to - from <= within) return true;
  if (to - from > within * 4 + 4) return false;
  let chars = 0;
  for (let i = from; i < to; i++) if (norm[i] !== 0xff && ++chars > within) return false;
  return true;
}

export function maxSeverity(a: Finding['severity'], b: Finding['severity']): Finding['severity'] {
  return severityRank(a) >= severityRank(b) ? a : b;
}
