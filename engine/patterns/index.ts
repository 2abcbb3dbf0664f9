/** The pattern catalogue: every family's tags flattened into one automaton, with a map back to (family, tag). */
import type { Family } from './types.js';
import { promptInjection } from './prompt-injection.js';
import { jailbreak } from './jailbreak.js';
import { toolPoisoning } from './tool-poisoning.js';
import { sqlInjection } from './sql.js';
import { xss, nosqlInjection, ldapInjection, templateInjection, xxe, crlfInjection } from './web.js';
import { commandInjection, pathTraversal } from './system.js';
import { secretExposure, sessionIdExposure } from './secrets.js';
import { compileAutomaton, MAX_VARIANTS } from './compile.js';

export type { Family, SequenceRule, ScoreRule } from './types.js';

export const FAMILIES: readonly Family[] = [
  promptInjection, jailbreak, toolPoisoning, sqlInjection, nosqlInjection, xss, commandInjection, pathTraversal,
  ldapInjection, templateInjection, xxe, secretExposure, sessionIdExposure, crlfInjection,
];

export interface PatternRef { family: number; tag: string }

export interface Catalogue {
  families: readonly Family[];
  /** automaton variant -> pattern index (the native automaton's variants follow the main one's) */
  variantOf: Uint32Array;
  /** pattern index -> where it came from (native tags last) */
  patterns: PatternRef[];
  automaton: Uint32Array;
  states: number;
  /** The native-script automaton (Family.native), when any family has such tags; its variants start at `base`. */
  native?: { blob: Uint32Array; base: number };
}

/** The pattern sources of all families' tags (or native tags), in catalogue order, with where each came from. */
function tagSources(families: readonly Family[], pick: (f: Family) => Record<string, string[]> | undefined): { list: string[]; refs: PatternRef[] } {
  const list: string[] = [];
  const refs: PatternRef[] = [];
  families.forEach((f, family) => {
    for (const [tag, pats] of Object.entries(pick(f) ?? {})) for (const p of pats) { list.push(p); refs.push({ family, tag }); }
  });
  return { list, refs };
}

/** The main automaton's sources (Family.tags). */
export const mainSources = (families: readonly Family[]) => tagSources(families, (f) => f.tags);
/** The native-script automaton's sources (Family.native). */
export const nativeSources = (families: readonly Family[]) => tagSources(families, (f) => f.native);

/**
 * Adds the native-script automaton (compiled, or `cached` from the catalogue cache) to a catalogue of the main one: its
 * variant numbers after the main automaton's and its patterns after the main patterns.
 */
export function withNative(cat: Catalogue, cached?: Uint32Array): Catalogue {
  const { list, refs } = nativeSources(cat.families);
  if (!list.length) return cat;
  // A cached blob must be this list's (header word 11: its variant count), else it is compiled again.
  const blob = cached && cached[11] === list.length ? cached : compileAutomaton(list, true).blob;
  // A literal is one variant: native variant k is native pattern k.
  const base = cat.variantOf.length;
  const variantOf = new Uint32Array(base + list.length);
  variantOf.set(cat.variantOf);
  for (let k = 0; k < list.length; k++) variantOf[base + k] = cat.patterns.length + k;
  if (variantOf.length > MAX_VARIANTS) throw new Error(`more than ${MAX_VARIANTS} pattern variants with the native ones`);
  const out = { families: cat.families, variantOf, patterns: [...cat.patterns, ...refs], states: cat.states, native: { blob, base } };
  // The main automaton may be a getter that re-reads its cache file (catalogue-cache.ts): copied as it is, not read.
  Object.defineProperty(out, 'automaton', Object.getOwnPropertyDescriptor(cat, 'automaton')!);
  return out as Catalogue;
}

/** Compiles the families (built-in plus any custom ones) into one catalogue. */
export function buildCatalogue(families: readonly Family[] = FAMILIES): Catalogue {
  for (const f of families) {
    // Every tag must feed a rule: an unused tag only costs matches.
    const scores = f.scores ?? [];
    const used = new Set([...f.rules.flatMap((r) => r.seq), ...scores.flatMap((s) => Object.keys(s.weights))]);
    const tags = [...Object.keys(f.tags), ...Object.keys(f.native ?? {})];
    for (const tag of tags) if (!used.has(tag)) throw new Error(`${f.type}: tag ${tag} is used by no rule`);
    for (const tag of used) if (!tags.includes(tag)) throw new Error(`${f.type}: rule uses unknown tag ${tag}`);
    for (const s of scores) {
      for (const tag of s.requires ?? []) if (!s.weights[tag]) throw new Error(`${s.id}: requires ${tag}, which it does not weigh`);
      if ((s.centreConfirm || s.negatable) && !s.window) throw new Error(`${s.id}: centreConfirm and negatable need a window`);
      if (s.window !== undefined && !s.requires?.length) throw new Error(`${s.id}: a score window needs required tags to centre on`);
    }
  }
  const { list, refs } = mainSources(families);
  const compiled = compileAutomaton(list);
  return withNative({ families, variantOf: compiled.variantOf, patterns: refs, automaton: compiled.blob, states: compiled.states });
}
