/**
 * Compiles fixed-length patterns into the DFA blob the WASM core runs (layout mirrored by
 * wasm/match/automaton.ts). Subset construction over byte classes, with an implicit "match anywhere" start.
 */
import { expand, BYTE_IGN, type Element } from './syntax.js';

const MAGIC = 0x4b474131; // "KGA1"
/** Bump when the blob layout or its meaning changes: cached automata are keyed by it. */
export const COMPILER_VERSION = 11;
const HEADER_WORDS = 16;
// The transition table is states x classes x 4 bytes (about 430 bytes a state at 108 classes): 104 000 states are about
// 43 MiB per scanner. More states also mean more cache misses per byte, so families should stay lean (raised from
// 84 000 for the planted-note, harm-request and tool-poisoning scores; the matching loop measured no slower).
const MAX_STATES = 104000;
/** wasm/match/automaton.ts keeps a slot per variant (MAX_VARIANTS there). */
export const MAX_VARIANTS = 16384;

export interface CompiledAutomaton {
  blob: Uint32Array;
  /** variant index -> pattern index in the input list */
  variantOf: Uint32Array;
  states: number;
  classes: number;
}

/** Byte classes: 0 is IGN (it loops in place), then the rest. */
function byteClasses(elements: Element[]): { map: Uint8Array; count: number } {
  const signature: string[] = [];
  for (let b = 0; b < 256; b++) {
    let sig = b === BYTE_IGN ? 'I' : 'N';
    for (const e of elements) sig += e.set[b] ? '1' : '0';
    signature.push(sig);
  }
  const ids = new Map<string, number>();
  const order = [...new Set(signature)].sort((a, b) => rank(a) - rank(b));
  order.forEach((s, i) => ids.set(s, i));
  const map = new Uint8Array(256);
  for (let b = 0; b < 256; b++) map[b] = ids.get(signature[b]!)!;
  if (order.length > 255) throw new Error('too many byte classes');
  return { map, count: order.length };
}

function rank(sig: string): number {
  return sig[0] === 'I' ? 0 : 1;
}

/**
 * A literal's UTF-8 bytes as elements: native-script patterns are matched byte for byte on the core's view of the raw
 * input, which ignores what the normalized stream ignores, combining marks included (Devanagari vowel signs, Arabic
 * harakat): the literal drops them too.
 */
function literal(text: string): Element[][] {
  return [Array.from(new TextEncoder().encode(text.replace(/\p{M}/gu, '')), (b) => {
    const set = new Uint8Array(256);
    set[b] = 1;
    return { set, anchor: null };
  })];
}

/**
 * Compiles pattern sources (the language of syntax.ts, over the normalized stream) into a DFA blob; with `raw`, each
 * source is a literal matched on the raw UTF-8 input instead (no case folding, no sets, no anchors).
 */
export function compileAutomaton(patterns: string[], raw = false): CompiledAutomaton {
  const variants: Element[][] = [];
  const variantOf: number[] = [];
  const anchors: number[] = [];
  const trailKind = { word: 1, 'text-end': 2 } as const;
  patterns.forEach((p, i) => {
    for (const full of raw ? literal(p) : expand(p)) {
      // A \b inside a pattern is dropped (zero-width in regex terms; the surrounding literals already fix the shape).
      const v = full.filter((e, k) => !(e.anchor === 'word' && k > 0 && k < full.length - 1));
      // A leading anchor is consumed like any element (a non-word byte, or the BEGIN byte the core feeds before the
      // text), so "prior" inside "superior" never reaches an accepting state; this also shrinks the automaton, as
      // fewer patterns start mid-word. A trailing one stays a check in the core: consumed, it would give every
      // state after a word end its own accepting twin (measured: three times the states).
      const lead = v.length > 1 && v[0]!.anchor !== null && v[0]!.anchor !== 'text-end' ? 1 : 0;
      const last = v[v.length - 1]!.anchor;
      let trail = 0;
      if (v.length > 1 + lead && (last === 'word' || last === 'text-end')) { trail = trailKind[last]; v.pop(); }
      if (v.length > 255) throw new Error(`pattern too long: ${p}`);
      variants.push(v);
      variantOf.push(i);
      anchors.push((v.length - lead) | (lead << 8) | (trail << 10));
    }
  });
  const distinct = new Map<string, Element>();
  for (const v of variants) for (const e of v) distinct.set(e.set.join(''), e);
  const { map, count: C } = byteClasses([...distinct.values()]);
  const rep = new Uint8Array(C); // one byte standing for each class
  for (let b = 255; b >= 0; b--) rep[map[b]!] = b;

  // A trie over element sets: variants that share a prefix share nodes, so DFA states stay small sets.
  const children: Array<Map<string, number>> = [new Map()];
  const nodeClasses: Uint8Array[] = [new Uint8Array(C)];
  const nodeAccepts: number[][] = [[]];
  const nodeDepth: number[] = [0];
  variants.forEach((v, id) => {
    let node = 0;
    for (const e of v) {
      const key = e.set.join('');
      let next = children[node]!.get(key);
      if (next === undefined) {
        next = children.length;
        children[node]!.set(key, next);
        children.push(new Map());
        const ok = new Uint8Array(C);
        for (let k = 0; k < C; k++) ok[k] = e.set[rep[k]!]!;
        nodeClasses.push(ok);
        nodeAccepts.push([]);
        nodeDepth.push(nodeDepth[node]! + 1);
      }
      node = next;
    }
    nodeAccepts[node]!.push(id);
  });
  // childrenByClass[node][k]: the nodes reached from node on class k.
  const childrenByClass: number[][][] = children.map((m) => {
    const out: number[][] = Array.from({ length: C }, () => []);
    for (const child of m.values()) for (let k = 0; k < C; k++) if (nodeClasses[child]![k]) out[k]!.push(child);
    return out;
  });

  // DFA states are sets of live trie nodes (the root is always live: patterns may start anywhere).
  const stateNodes: number[][] = [[]];
  const stateAccepts: number[][] = [[]];
  const index = new Map<string, number>([['|', 0]]);
  const trans: Int32Array[] = [];
  const mark = new Int32Array(children.length).fill(-1);
  let stamp = 0;
  for (let s = 0; s < stateNodes.length; s++) {
    if (stateNodes.length > MAX_STATES) throw new Error(`automaton too large (over ${MAX_STATES} states)`);
    const row = new Int32Array(C);
    const nodes = stateNodes[s]!;
    for (let k = 1; k < C; k++) {
      stamp++;
      const live: number[] = [];
      const done: number[] = [];
      const visit = (list: number[]) => {
        for (const c of list) {
          if (mark[c] === stamp) continue;
          mark[c] = stamp;
          if (nodeAccepts[c]!.length) done.push(...nodeAccepts[c]!);
          if (children[c]!.size) live.push(c);
        }
      };
      visit(childrenByClass[0]![k]!);
      for (const n of nodes) visit(childrenByClass[n]![k]!);
      live.sort((x, y) => x - y);
      done.sort((x, y) => x - y);
      const key = live.join(',') + '|' + done.join(',');
      let id = index.get(key);
      if (id === undefined) {
        id = stateNodes.length;
        index.set(key, id);
        stateNodes.push(live);
        stateAccepts.push(done);
      }
      row[k] = id;
    }
    row[0] = s; // IGN loops in place
    trans.push(row);
  }
  // Renumber: accepting states last, so the core tests acceptance with one compare.
  if (variants.length > MAX_VARIANTS) throw new Error(`more than ${MAX_VARIANTS} pattern variants (the core tracks the last hit of each)`);
  const n = stateNodes.length;
  const order = [...Array(n).keys()].sort((a, b) => (stateAccepts[a]!.length > 0 ? 1 : 0) - (stateAccepts[b]!.length > 0 ? 1 : 0) || a - b);
  const newId = new Uint32Array(n);
  order.forEach((old, i) => { newId[old] = i; });
  const acceptStart = order.findIndex((s) => stateAccepts[s]!.length > 0);
  const firstAccept = acceptStart < 0 ? n : acceptStart;

  // Per state, the longest partial match it tracks (elements consumed by its deepest live node): a stream that has
  // run this far past its segment end with a shallower state tracks nothing that began in its segment.
  const depth = new Uint8Array(n);
  for (let old = 0; old < n; old++) {
    let d = 0;
    for (const node of stateNodes[old]!) d = Math.max(d, nodeDepth[node]!);
    depth[newId[old]!] = Math.min(d, 255);
  }
  const acceptList: number[] = [];
  const listOf = new Uint32Array(n); // new state id -> its accept list's word offset (accepting states only)
  for (let i = firstAccept; i < n; i++) {
    const list = stateAccepts[order[i]!]!;
    listOf[i] = acceptList.length;
    // When every variant of a list needs the same trailing check, the core makes it once for the list.
    const trails = new Set(list.map((id) => (anchors[id]! >> 10) & 3));
    const shared = trails.size === 1 ? [...trails][0]! : 0;
    acceptList.push(list.length | (shared << 16), ...list);
  }
  if (acceptList.length >= 1 << 24) throw new Error('accept lists too long');
  // The class map holds each byte's class as a byte offset into a row (class x 4, u16), and transitions hold the
  // byte offset of the next state's row: one add and one load per byte in the core, no shifts or multiplies. Each row
  // ends with one word more, never a class: the state's accept list offset (low 24 bits) and depth (high 8), so the
  // core reads them without dividing a state's offset by the row size.
  const W = C + 1;
  const classMapWords = 128;
  const transOff = (HEADER_WORDS + classMapWords) * 4;
  const acceptListOff = transOff + n * W * 4;
  const metaOff = acceptListOff + acceptList.length * 4;
  const totalWords = metaOff / 4 + variants.length;
  const blob = new Uint32Array(totalWords);
  // Words 5, 8, 13, 14 and 15 are unused.
  blob.set([MAGIC, n, C, firstAccept, newId[0]! * W * 4, 0, HEADER_WORDS * 4, transOff, 0,
    acceptListOff, metaOff, variants.length, W * 4, 0, 0, 0]);
  new Uint16Array(blob.buffer, HEADER_WORDS * 4, 256).set(Array.from(map, (k) => k * 4));
  for (let old = 0; old < n; old++) {
    const id = newId[old]!;
    const base = transOff / 4 + id * W;
    for (let k = 0; k < C; k++) blob[base + k] = newId[trans[old]![k]!]! * W * 4;
    blob[base + C] = listOf[id]! | (depth[id]! << 24);
  }
  blob.set(acceptList, acceptListOff / 4);
  // Pattern meta: the pattern's own length (the consumed lead anchor excluded), bit 8 set when the first element is
  // that anchor, bits 10-11 the trailing check (1 word boundary, 2 end of text).
  variants.forEach((_, i) => { blob[metaOff / 4 + i] = anchors[i]!; });
  return { blob, variantOf: Uint32Array.from(variantOf), states: n, classes: C };
}
