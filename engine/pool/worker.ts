/**
 * Piscina worker: one scanner (one WASM core and arena) per thread, created once from the pool's config. A task is a
 * batch of scans; byte inputs arrive packed in one transferred ArrayBuffer, results leave as typed data (result-codec).
 */
import { Piscina, workerData } from 'piscina';
import { createScanner } from '../scanner.js';
import { KindlyGuardError } from '../errors.js';
import { scanJsonBytes, scanRequestJson } from '../scan-request.js';
import type { ConfigInput } from '../config.js';
import { encodeResults, type EncodedResults, type ResultOrError } from './result-codec.js';

export interface PoolItem {
  /** request-json: a scan API body (engine/scan-request.ts) as bytes, parsed here rather than on the caller's thread. */
  kind: 'text' | 'bytes' | 'json' | 'request-json' | 'json-bytes';
  text?: string;
  /** For bytes: the item's range in the batch's shared buffer. */
  start?: number;
  end?: number;
  json?: unknown;
  source?: string;
}

export interface PoolTask {
  items: PoolItem[];
  /** Byte inputs of the whole batch, end to end; moved (transferred) to this thread, not copied. */
  bytes?: ArrayBuffer;
}

const scanner = createScanner((workerData as { config?: ConfigInput } | undefined)?.config);

function scanItem(item: PoolItem, bytes: Uint8Array | undefined): ResultOrError {
  const options = item.source === undefined ? undefined : { source: item.source };
  try {
    if (item.kind === 'json') return scanner.scanJson(item.json, options);
    if (item.kind === 'bytes') return scanner.scan(bytes!.subarray(item.start, item.end), options);
    if (item.kind === 'request-json') return scanRequestJson(scanner, bytes!.subarray(item.start, item.end), options);
    if (item.kind === 'json-bytes') return scanJsonBytes(scanner, bytes!.subarray(item.start, item.end), options);
    return scanner.scan(item.text ?? '', options);
  } catch (err) {
    return err instanceof KindlyGuardError ? err : new KindlyGuardError('KG_ERR_SCAN', (err as Error)?.message ?? String(err));
  }
}

export default function scan(task: PoolTask): EncodedResults {
  const bytes = task.bytes ? new Uint8Array(task.bytes) : undefined;
  const encoded = encodeResults(task.items.map((item) => scanItem(item, bytes)));
  // Piscina transfers what a returned "movable" names: here the integers' buffer, while the value stays the pair.
  const movable = { [Piscina.transferableSymbol]: encoded.ints.buffer, [Piscina.valueSymbol]: encoded };
  return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]) as unknown as EncodedResults;
}
