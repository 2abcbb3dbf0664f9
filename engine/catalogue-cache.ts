/**
 * Loads the compiled automaton for a set of families: from build/automaton-<hash>.bin when present (written at
 * build time by scripts/gen-automaton.ts, or by an earlier run), else compiles it (about two seconds) and caches it.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync, mkdirSync, renameSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join } from 'node:path';
import { buildCatalogue, withNative, mainSources, nativeSources, FAMILIES, type Catalogue, type Family } from './patterns/index.js';
import { COMPILER_VERSION } from './patterns/compile.js';

const memo = new Map<string, Catalogue>();

function buildDir(): string {
  for (const rel of ['../build', '../../build']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(p, 'core.wasm'))) return p;
  }
  return fileURLToPath(new URL('../build', import.meta.url));
}

export function catalogueHash(families: readonly Family[]): string {
  return createHash('sha256').update(JSON.stringify([COMPILER_VERSION, mainSources(families).list, nativeSources(families).list]))
    .digest('hex').slice(0, 16);
}

export function cachePath(families: readonly Family[]): string {
  return join(buildDir(), `automaton-${catalogueHash(families)}.bin`);
}

/** Binary cache: [variantCount, ...variantOf, ...blob, ...nativeBlob]: the main automaton's variants, then both blobs. */
export function writeCatalogueCache(families: readonly Family[], cat: Catalogue): string {
  const file = cachePath(families);
  const n = cat.native ? cat.native.base : cat.variantOf.length;
  const automaton = cat.automaton;
  const native = cat.native?.blob ?? new Uint32Array(0);
  const out = new Uint32Array(1 + n + automaton.length + native.length);
  out[0] = n;
  out.set(cat.variantOf.subarray(0, n), 1);
  out.set(automaton, 1 + n);
  out.set(native, 1 + n + automaton.length);
  mkdirSync(dirname(file), { recursive: true });
  // Written aside, then renamed: a scanner reading the cache never sees half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, out);
  renameSync(tmp, file);
  pruneCaches(file);
  return file;
}

/**
 * Keeps the built-in catalogue's cache and the one just written: caches of earlier pattern sets or other custom
 * patterns (30 MiB each) would otherwise pile up with every edit of the patterns or of a config's custom_patterns.
 */
function pruneCaches(kept: string): void {
  const dir = dirname(kept);
  const keep = new Set([basename(kept), basename(cachePath(FAMILIES))]);
  for (const name of readdirSync(dir)) {
    if (name.startsWith('automaton-') && name.endsWith('.bin') && !keep.has(name)) {
      try { rmSync(join(dir, name)); } catch { /* another process removed it */ }
    }
  }
}

const MAGIC = 0x4b474131; // "KGA1", word 0 of the automaton blob

/**
 * The cache file's words, viewed in place when the read buffer is aligned (no copy of a 24 MiB automaton), or
 * undefined when the file is not a whole cache: its size must be the one its own header gives (a truncated or
 * foreign file would make a core that matches nothing, or reads past the blob).
 */
export function readWords(file: string): Uint32Array | undefined {
  let buf: Buffer;
  try { buf = readFileSync(file); } catch { return undefined; }
  if (buf.byteLength % 4 !== 0 || buf.byteLength < 64) return undefined;
  const words = buf.byteOffset % 4 === 0
    ? new Uint32Array(buf.buffer, buf.byteOffset, buf.byteLength >> 2)
    : new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const n = words[0]!;
  const blob = 1 + n;
  // Header words 10 and 11 of a blob: offset of the pattern metadata (the last section) and the variant count.
  if (blob + 16 > words.length || words[blob] !== MAGIC || words[blob + 11] !== n) return undefined;
  const native = blob + words[blob + 10]! / 4 + n;
  if (native === words.length) return words;
  if (native + 16 > words.length || words[native] !== MAGIC) return undefined;
  return native + words[native + 10]! / 4 + words[native + 11]! === words.length ? words : undefined;
}

/** The main automaton's words of a cache file's words (readWords), and the native one's when present. */
function blobsOf(words: Uint32Array): { main: Uint32Array; native?: Uint32Array } {
  const n = words[0]!;
  const mainEnd = 1 + n + words[1 + n + 10]! / 4 + n;
  return { main: words.subarray(1 + n, mainEnd), native: mainEnd < words.length ? words.subarray(mainEnd) : undefined };
}

export function loadCatalogue(families: readonly Family[] = FAMILIES): Catalogue {
  const hash = catalogueHash(families);
  const hit = memo.get(hash);
  if (hit) return hit;
  const file = cachePath(families);
  let cat: Catalogue;
  const words = readWords(file);
  if (words) {
    const n = words[0]!;
    const states = words[1 + n + 1]!;
    const { main, native } = blobsOf(words);
    cat = { families, variantOf: words.slice(1, 1 + n), patterns: mainSources(families).refs, automaton: main, states };
    // The automaton is only read when a core is built, which copies it into WASM memory: the memoized catalogue
    // re-reads it from the file then instead of keeping a second copy alive in every thread (24 MiB each).
    // Should the file vanish meanwhile (a rebuild, a cleaned build directory), it is compiled again.
    Object.defineProperty(cat, 'automaton', { enumerable: true, get: () => {
      const again = readWords(file);
      if (again && again[0] === n) return blobsOf(again).main;
      const built = buildCatalogue(families);
      try { writeCatalogueCache(families, built); } catch { /* read-only install */ }
      return built.automaton;
    } });
    cat = withNative(cat, native?.slice());
  } else {
    cat = buildCatalogue(families);
    try { writeCatalogueCache(families, cat); } catch { /* read-only install: keep it in memory */ }
  }
  memo.set(hash, cat);
  return cat;
}
