/** One MCP transport payload (a message or a batch) through the endpoint, with JSON-RPC errors for bad input. */
import type { McpEndpoint } from './endpoint.js';
import type { ProxySession } from './upstream.js';
import { INVALID_REQUEST, PARSE_ERROR, failure, idOf, validate, type Response } from './jsonrpc.js';


/** Parses a payload; a parse error is answered the JSON-RPC way. */
export function parsePayload(text: string): { value: unknown } | { error: Response } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: failure(null, PARSE_ERROR, `parse error: ${(e as Error).message.slice(0, 200)}`) };
  }
}

/** Answers for a parsed payload: one per request, in order; none for notifications. */
export async function dispatch(endpoint: McpEndpoint, value: unknown, session: ProxySession, raw?: Uint8Array): Promise<{ responses: Response[]; batch: boolean }> {
  const batch = Array.isArray(value);
  const items = batch ? (value as unknown[]) : [value];
  if (batch && items.length === 0) return { responses: [failure(null, INVALID_REQUEST, 'empty batch')], batch: false };
  const responses: Response[] = [];
  for (const item of items) {
    const msg = validate(item);
    if (typeof msg === 'string') { responses.push(failure(idOf(item), INVALID_REQUEST, msg)); continue; }
    // The bytes as received are scanned for a single message; batch members are re-serialized.
    const r = await endpoint.handle(msg, session, batch ? undefined : raw);
    if (r) responses.push(r);
  }
  return { responses, batch };
}
