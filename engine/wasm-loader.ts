/** Loads the compiled WASM core once per thread (build/core.wasm, beside the sources or the compiled dist/). */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CoreMissingError } from './errors.js';

export interface CoreExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  ensureMemory(bytes: number): number;
  scan(input: number, n: number, norm: number, auto: number, out: number, outCap: number): number;
  dropped(): number;
  stat(k: number): number;
  scanFlags(): number;
  setSplitGlue(on: number): void;
  setCharIndex(ptr: number): void;
  indexChars(norm: number, n: number): number;
  decodeBase64(src: number, len: number, dst: number): number;
  decodeHex(src: number, len: number, dst: number): number;
  shellSplit(input: number, n: number): number;
  shellUnquote(input: number, n: number, split: number, dst: number, map: number): number;
  shellCoverCount(): number;
  shellCover(): number;
  formSpaces(input: number, n: number, dst: number): number;
  peelLayer(src: number, n: number, dst: number, map: number, foldOnly: number): number;
  peelKinds(): number;
  deLeet(src: number, n: number, dst: number): number;
  leetSpans(): number;
  leetSpanCount(): number;
  matchNative(input: number, norm: number, n: number, auto: number, base: number, view: number): number;
}

let compiled: WebAssembly.Module | undefined;

function wasmPath(): string {
  for (const rel of ['../build/core.wasm', '../../build/core.wasm']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new CoreMissingError();
}

/** A fresh instance with its own memory (one per scanner, so each worker thread has its own arena). */
export function instantiateCore(): CoreExports {
  compiled ??= new WebAssembly.Module(readFileSync(wasmPath()));
  const instance = new WebAssembly.Instance(compiled, {
    env: {
      abort(): never {
        throw new Error('kindly-guard core aborted');
      },
    },
  });
  return instance.exports as unknown as CoreExports;
}
