/** Compiles the built-in pattern catalogue into build/automaton-<hash>.bin so scanners start without compiling. */
import { buildCatalogue, FAMILIES } from '../engine/patterns/index.js';
import { writeCatalogueCache } from '../engine/catalogue-cache.js';
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const t0 = performance.now();
const cat = buildCatalogue(FAMILIES);
const file = writeCatalogueCache(FAMILIES, cat);
// Caches of earlier pattern sets are stale: keep only this one (custom-pattern caches are rebuilt on demand).
for (const name of readdirSync(dirname(file))) {
  if (name.startsWith('automaton-') && name.endsWith('.bin') && name !== basename(file)) rmSync(join(dirname(file), name));
}
console.log(`automaton: ${cat.patterns.length} patterns, ${cat.variantOf.length} variants, ${cat.states} states, `
  + `${(cat.automaton.byteLength / 1024 / 1024).toFixed(1)} MiB -> ${file} (${Math.round(performance.now() - t0)} ms)`);
