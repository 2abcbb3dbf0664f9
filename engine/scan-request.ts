/**
 * The scan API's request document: `{"text": string}` (scanned as text) or `{"value": any}` (JSON-aware scan).
 * Parsing JSON here, in the engine, lets the pool do it on a worker thread: the gateway's event loop never parses
 * a body, and a hostile 100 000-level document is parsed and walked where it cannot stall other requests (nor
 * overflow the stack of a structured clone).
 */
import { KindlyGuardError } from './errors.js';
import { decodeUtf8 } from './utf8.js';
import type { Scanner, ScanOptions } from './scanner.js';
import type { ScanResult } from './threats.js';

export type ScanRequest = { text: string | Uint8Array } | { value: unknown };

export class BadRequestError extends KindlyGuardError {
  constructor(message: string) { super('KG_ERR_BAD_REQUEST', message); }
}

/** Exactly one key, "text" or "value": a typo in the envelope must not scan nothing and answer "clean". */
export function parseScanRequest(doc: unknown): ScanRequest {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new BadRequestError('body must be an object {"text": string} or {"value": any}');
  const keys = Object.keys(doc);
  if (keys.length === 1 && keys[0] === 'text') {
    const text = (doc as { text: unknown }).text;
    if (typeof text === 'string' || text instanceof Uint8Array) return { text };
    throw new BadRequestError('"text" must be a string');
  }
  if (keys.length === 1 && keys[0] === 'value') return { value: (doc as { value: unknown }).value };
  const got = keys.slice(0, 5).map((k) => JSON.stringify(k.slice(0, 40))).join(', ') || 'none';
  throw new BadRequestError(`body must have exactly one key, "text" or "value" (got ${got})`);
}

/**
 * Parses JSON bytes and scans the document with `scanDoc`. Not UTF-8 means not JSON either: the bytes are scanned,
 * so the bad sequences are findings. Malformed JSON -> BadRequestError.
 */
function scanJsonDocument(scanner: Scanner, bytes: Uint8Array, options: ScanOptions | undefined, scanDoc: (doc: unknown) => ScanResult): ScanResult {
  const text = decodeUtf8(bytes);
  if (text === undefined) return scanner.scan(bytes, options);
  let doc: unknown;
  try { doc = JSON.parse(text); } catch (e) { throw new BadRequestError(`malformed JSON: ${(e as Error).message.slice(0, 200)}`); }
  return scanDoc(doc);
}

/** Scans a scan-API JSON body ({"text"} or {"value"}). */
export function scanRequestJson(scanner: Scanner, bytes: Uint8Array, options?: ScanOptions): ScanResult {
  return scanJsonDocument(scanner, bytes, options, (doc) => {
    const req = parseScanRequest(doc);
    return 'text' in req ? scanner.scan(req.text, options) : scanner.scanJson(req.value, options);
  });
}

/** Scans a whole JSON document given as bytes, JSON-aware (paths from its root). */
export function scanJsonBytes(scanner: Scanner, bytes: Uint8Array, options?: ScanOptions): ScanResult {
  return scanJsonDocument(scanner, bytes, options, (doc) => scanner.scanJson(doc, options));
}
