/** Piscina worker: one scanner (one WASM core and arena) per thread, created once from the pool's config. */
import { workerData } from 'piscina';
import { createScanner } from '../scanner.js';
import type { ConfigInput } from '../config.js';
import type { ScanResult } from '../threats.js';

export interface PoolTask {
  kind: 'text' | 'bytes' | 'json';
  text?: string;
  /** Bytes arrive as a transferred ArrayBuffer (moved, not copied, between threads). */
  bytes?: ArrayBuffer;
  json?: unknown;
  source?: string;
}

const scanner = createScanner((workerData as { config?: ConfigInput } | undefined)?.config);

export default function scan(task: PoolTask): ScanResult {
  const options = task.source === undefined ? undefined : { source: task.source };
  if (task.kind === 'json') return scanner.scanJson(task.json, options);
  if (task.kind === 'bytes') return scanner.scan(new Uint8Array(task.bytes!), options);
  return scanner.scan(task.text ?? '', options);
}
