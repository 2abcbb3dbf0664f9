/** Compiles the built-in pattern catalogue into build/automaton-<hash>.bin so scanners start without compiling. */
import { buildCatalogue, FAMILIES } from '../engine/patterns/index.js';
import { writeCatalogueCache } from '../engine/catalogue-cache.js';

const t0 = performance.now();
const cat = buildCatalogue(FAMILIES);
const file = writeCatalogueCache(FAMILIES, cat);
// (Writing the cache removes the caches of earlier pattern sets.)
console.log(`automaton: ${cat.patterns.length} patterns, ${cat.variantOf.length} variants, ${cat.states} states, `
  + `${(cat.automaton.byteLength / 1024 / 1024).toFixed(1)} MiB -> ${file} (${Math.round(performance.now() - t0)} ms)`);
