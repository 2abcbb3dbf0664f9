/** Writing answers on a uWebSockets.js response: JSON bodies, errors with stable codes, corked when asynchronous. */
import type { HttpResponse } from 'uWebSockets.js';

export const STATUS: Record<number, string> = {
  200: '200 OK', 202: '202 Accepted', 204: '204 No Content', 302: '302 Found', 400: '400 Bad Request', 401: '401 Unauthorized', 403: '403 Forbidden', 404: '404 Not Found', 405: '405 Method Not Allowed', 406: '406 Not Acceptable', 408: '408 Request Timeout',
  411: '411 Length Required', 413: '413 Payload Too Large', 415: '415 Unsupported Media Type', 429: '429 Too Many Requests', 500: '500 Internal Server Error',
  503: '503 Service Unavailable',
};

/** State shared by a request's handlers: once aborted (client gone) or answered, the response must not be touched. */
export interface Exchange {
  res: HttpResponse;
  done: boolean;
  /** Route label for metrics (a fixed name, never the raw URL). */
  route: string;
  /** The client's address (read while the request's handler runs: uWS forgets it after). */
  address: string;
  /** Aborted when the client goes away, so queued scans for it are dropped. */
  readonly signal: AbortSignal;
  /** Called once with the status, when the answer is written or the client left (status 499). */
  onFinish?: (status: number) => void;
}

export function send(x: Exchange, status: number, body: string | Uint8Array, contentType: string, headers: Record<string, string> = {}): void {
  if (x.done) return;
  x.done = true;
  // `connection: close` is uWS's job: end(body, true) sends the header and closes after the answer.
  const close = headers.connection === 'close';
  x.res.cork(() => {
    x.res.writeStatus(STATUS[status] ?? String(status)).writeHeader('content-type', contentType);
    for (const [k, v] of Object.entries(headers)) if (k !== 'connection') x.res.writeHeader(k, v);
    x.res.end(body, close);
  });
  x.onFinish?.(status);
}

export function sendJson(x: Exchange, status: number, value: unknown, headers?: Record<string, string>): void {
  send(x, status, JSON.stringify(value), 'application/json', headers);
}

/** Errors are JSON: {"error": {"code", "message"}}, the code stable for programs, the message for people. */
export function sendError(x: Exchange, status: number, code: string, message: string, headers?: Record<string, string>): void {
  sendJson(x, status, { error: { code, message } }, headers);
}

/**
 * The app with every HTTP handler guarded: an exception thrown while a request is handled answers 500 (when the
 * answer has not started) instead of taking the process down. WebSocket routes pass through unchanged.
 */
export function guardedApp<T extends object>(app: T, onError: (e: unknown) => void): T {
  const wrap = (handler: (res: HttpResponse, req: unknown) => unknown) => (res: HttpResponse, req: unknown) => {
    try {
      const r = handler(res, req);
      if (r instanceof Promise) r.catch((e: unknown) => onError(e));
    } catch (e) {
      onError(e);
      try { res.cork(() => res.writeStatus('500 Internal Server Error').end('{"error":{"code":"KG_ERR_INTERNAL","message":"internal error"}}', true)); } catch { /* already answered or gone */ }
    }
  };
  const proxy: T = new Proxy(app, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== 'function') return value;
      if (['get', 'post', 'put', 'del', 'patch', 'options', 'any', 'head'].includes(prop as string)) {
        return (pattern: string, handler: (res: HttpResponse, req: unknown) => unknown) => { (value as Function).call(target, pattern, wrap(handler)); return proxy; };
      }
      return (value as Function).bind(target);
    },
  });
  return proxy;
}
