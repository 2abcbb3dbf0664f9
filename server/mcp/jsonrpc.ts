/** JSON-RPC 2.0 as MCP uses it: message shapes, validation, standard error codes. */

export type Id = string | number;

export interface Request { jsonrpc: '2.0'; id: Id; method: string; params?: Record<string, unknown> }
export interface Notification { jsonrpc: '2.0'; method: string; params?: Record<string, unknown> }
export interface Success { jsonrpc: '2.0'; id: Id; result: unknown }
export interface Failure { jsonrpc: '2.0'; id: Id | null; error: { code: number; message: string; data?: unknown } }
export type Response = Success | Failure;
export type Message = Request | Notification | Response;

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
/** Implementation-defined server errors (-32000..-32099): the gateway's own. */
export const BLOCKED = -32001;
export const UNAVAILABLE = -32002;
export const UPSTREAM_ERROR = -32003;
export const NOT_PERMITTED = -32004;

export function failure(id: Id | null, code: number, message: string, data?: unknown): Failure {
  return { jsonrpc: '2.0', id, error: { code, message, ...(data !== undefined && { data }) } };
}

export function success(id: Id, result: unknown): Success {
  return { jsonrpc: '2.0', id, result };
}

export function isRequest(m: Message): m is Request {
  return 'method' in m && 'id' in m && m.id !== undefined && m.id !== null;
}
export function isNotification(m: Message): m is Notification {
  return 'method' in m && !('id' in m && m.id !== undefined && m.id !== null);
}
export function isResponse(m: Message): m is Response {
  return !('method' in m) && ('result' in m || 'error' in m);
}

/** Checks one parsed value is a JSON-RPC 2.0 message; returns the problem otherwise. */
export function validate(v: unknown): Message | string {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'a JSON-RPC message must be an object';
  const m = v as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return 'jsonrpc must be "2.0"';
  if ('id' in m && m.id !== null && typeof m.id !== 'string' && !Number.isFinite(m.id)) return 'id must be a string or a number';
  if ('method' in m) {
    if (typeof m.method !== 'string' || !m.method) return 'method must be a non-empty string';
    if ('params' in m && m.params !== undefined && (m.params === null || typeof m.params !== 'object' || Array.isArray(m.params))) {
      return 'params must be an object';
    }
    return m as unknown as Message;
  }
  if ('result' in m || 'error' in m) return m as unknown as Message;
  return 'a message needs a method (request, notification) or a result or error (response)';
}

export function idOf(v: unknown): Id | null {
  const id = (v as { id?: unknown } | null)?.id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}
