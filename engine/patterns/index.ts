/** The pattern catalogue: every family's tags flattened into one automaton, with a map back to (family, tag). */
import type { Family } from './types.js';
import { promptInjection } from './prompt-injection.js';
import { jailbreak } from './jailbreak.js';
import { toolPoisoning } from './tool-poisoning.js';
import { sqlInjection } from './sql.js';
import { xss, nosqlInjection, ldapInjection, templateInjection, xxe, crlfInjection } from './web.js';
import { commandInjection, pathTraversal } from './system.js';
import { secretExposure, sessionIdExposure } from './secrets.js';
import { compileAutomaton } from './compile.js';

export type { Family, SequenceRule, ScoreRule } from './types.js';

export const FAMILIES: readonly Family[] = [
  promptInjection, jailbreak, toolPoisoning, sqlInjection, nosqlInjection, xss, commandInjection, pathTraversal,
  ldapInjection, templateInjection, xxe, secretExposure, sessionIdExposure, crlfInjection,
];

export interface PatternRef { family: number; tag: string }

export interface Catalogue {
  families: readonly Family[];
  /** automaton variant -> pattern index */
  variantOf: Uint32Array;
  /** pattern index -> where it came from */
  patterns: PatternRef[];
  automaton: Uint32Array;
  states: number;
}

/** Compiles the families (built-in plus any custom ones) into one catalogue. */
export function buildCatalogue(families: readonly Family[] = FAMILIES): Catalogue {
  const sources: string[] = [];
  const patterns: PatternRef[] = [];
  for (const f of families) {
    // Every tag must feed a rule: an unused tag only costs matches.
    const used = new Set([...f.rules.flatMap((r) => r.seq), ...Object.keys(f.score?.weights ?? {})]);
    for (const tag of Object.keys(f.tags)) if (!used.has(tag)) throw new Error(`${f.type}: tag ${tag} is used by no rule`);
    for (const tag of used) if (!f.tags[tag]) throw new Error(`${f.type}: rule uses unknown tag ${tag}`);
  }
  families.forEach((f, family) => {
    for (const [tag, list] of Object.entries(f.tags)) {
      for (const p of list) {
        sources.push(p);
        patterns.push({ family, tag });
      }
    }
  });
  const compiled = compileAutomaton(sources);
  return { families, variantOf: compiled.variantOf, patterns, automaton: compiled.blob, states: compiled.states };
}
