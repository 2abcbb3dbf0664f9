/**
 * The scan API's request document: `{"text": string}` (scanned as text) or `{"value": any}` (JSON-aware scan).
 * Parsing JSON here, in the engine, lets the pool do it on a worker thread: the gateway's event loop never parses
 * a body, and a hostile 100 000-level document is parsed and walked where it cannot stall other requests (nor
 * overflow the stack of a structured clone).
 */
import { KindlyGuardError } from './errors.js';
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

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Scans a JSON request body. Not UTF-8 means not JSON either: the bytes are scanned, so the bad sequences are findings. */
export function scanRequestJson(scanner: Scanner, bytes: Uint8Array, options?: ScanOptions): ScanResult {
  let text: string;
  try { text = strictUtf8.decode(bytes); } catch { return scanner.scan(bytes, options); }
  let doc: unknown;
  try { doc = JSON.parse(text); } catch (e) { throw new BadRequestError(`malformed JSON: ${(e as Error).message.slice(0, 200)}`); }
  const req = parseScanRequest(doc);
  return 'text' in req ? scanner.scan(req.text, options) : scanner.scanJson(req.value, options);
}

/** Scans a whole JSON document given as bytes, JSON-aware (paths from its root); malformed -> BadRequestError. */
export function scanJsonBytes(scanner: Scanner, bytes: Uint8Array, options?: ScanOptions): ScanResult {
  let text: string;
  try { text = strictUtf8.decode(bytes); } catch { return scanner.scan(bytes, options); }
  let doc: unknown;
  try { doc = JSON.parse(text); } catch (e) { throw new BadRequestError(`malformed JSON: ${(e as Error).message.slice(0, 200)}`); }
  return scanner.scanJson(doc, options);
}
