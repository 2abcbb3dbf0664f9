/**
 * POST /v1/scan. Body as text/plain (scanned as bytes: invalid UTF-8 is a finding), application/json or
 * application/msgpack with `{"text": string}` or `{"value": any}` (JSON-aware scanning). The answer is the scan
 * result, as JSON, or as msgpack for a msgpack request.
 */
import type { HttpRequest, HttpResponse } from 'uWebSockets.js';
import { pack, unpack } from 'msgpackr';
import type { ScanResult } from '../../engine/threats.js';
import { KindlyGuardError } from '../../engine/errors.js';
import { parseScanRequest, BadRequestError } from '../../engine/scan-request.js';
import { bodyFraming, foreignBom, foreignCharset, readBody } from './body.js';
import { signatureHeaders } from '../auth/signing.js';
import { send, sendError, sendJson, type Exchange } from './respond.js';
import type { GatewayContext } from '../context.js';

type Format = 'text' | 'json' | 'msgpack';

// A Map, not an object: a content type such as "constructor" must not find Object.prototype.
const FORMATS = new Map<string, Format>(Object.entries({
  '': 'text', 'text/plain': 'text', 'application/json': 'json', 'application/msgpack': 'msgpack', 'application/x-msgpack': 'msgpack',
  'application/vnd.msgpack': 'msgpack',
}) as Array<[string, Format]>);

export function scanRoute(ctx: GatewayContext) {
  return (res: HttpResponse, req: HttpRequest): void => {
    const x = ctx.begin(res, 'scan');
    if (!x) return;
    // Headers live only during this call: read them now.
    const contentType = req.getHeader('content-type');
    const type = contentType.split(';')[0]!.trim().toLowerCase();
    const framing = bodyFraming(req);
    // The token is checked while the body arrives; nothing is scanned for a caller without the `scan` scope.
    // Revocation and blocks are checked with the rate limit, in the admission (one call to the shared state).
    const who = ctx.guard.check(req.getHeader('authorization'), 'scan', true);
    who.catch(() => {});
    const signed = signatureHeaders(req);
    const format = FORMATS.get(type);
    if (!framing.ok) { sendError(x, framing.status, 'KG_ERR_BAD_REQUEST', framing.message, { connection: 'close' }); return; }
    const charset = foreignCharset(contentType);
    if (charset) {
      sendError(x, 415, 'KG_ERR_MEDIA_TYPE', `charset ${charset} is not accepted: send UTF-8`);
      return;
    }
    if (!format) {
      sendError(x, 415, 'KG_ERR_MEDIA_TYPE', `content type '${type.slice(0, 100)}' is not supported: use text/plain, application/json or application/msgpack`);
      return;
    }
    const limit = ctx.config.server.max_body_bytes;
    ctx.bodyDeadline(x);
    readBody(res, framing.length, limit, (outcome) => {
      if (x.done) return;
      if (!outcome.ok) {
        sendError(x, 413, 'KG_ERR_TOO_LARGE', `request body exceeds the limit of ${limit} bytes`, { connection: 'close' });
        return;
      }
      void who.then(async (p) => {
        const signature = ctx.verifySignature(x, signed, 'POST', '/v1/scan', outcome.bytes, p?.clientId);
        if (signature && await ctx.admit(x, p, 'scan', signature.nonce)) return answer(ctx, x, format, outcome.bytes, p?.clientId);
      }, (e) => ctx.guard.reject(x, e));
    });
  };
}

async function answer(ctx: GatewayContext, x: Exchange, format: Format, bytes: Uint8Array, clientId: string | undefined): Promise<void> {
  const started = performance.now();
  let result: ScanResult;
  try {
    result = await scan(ctx, x, format, bytes);
  } catch (err) {
    if (x.done) return;
    const e = err as KindlyGuardError;
    if (e instanceof BadRequestError || e.code === 'KG_ERR_BAD_REQUEST') return sendError(x, 400, 'KG_ERR_BAD_REQUEST', e.message);
    if (e.code === 'KG_ERR_MEDIA_TYPE') return sendError(x, 415, e.code, e.message);
    if (e.code === 'KG_ERR_INPUT_TOO_LARGE') return sendError(x, 413, e.code, e.message);
    const failed = ctx.engineFailure(e);
    if (failed === 'closed') return sendError(x, 503, e.code ?? 'KG_ERR_ENGINE', `scan unavailable: ${e.message}`, { 'retry-after': '1' });
    // fail_mode open: let it through, and say so.
    result = { threats: [], blocked: false, bytes: bytes.length, unscanned: true } as ScanResult & { unscanned: boolean };
  }
  if (x.done) return; // the client left while we scanned
  // Route and client policy (policy.routes.scan, policy.clients.<client>, max_threat_level) decide `blocked`.
  result.blocked = ctx.settle(x, 'scan', 'http', clientId, result.threats, (performance.now() - started) / 1000).refused;
  if (format === 'msgpack') send(x, 200, pack(result), 'application/msgpack');
  else sendJson(x, 200, result);
}

const MAX_MSGPACK_DEPTH = 1000;

/** True when no container in v is nested `limit` levels deep (an explicit stack: the check itself cannot overflow). */
function shallowerThan(v: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (x === null || typeof x !== 'object' || x instanceof Uint8Array) continue;
    if (d >= limit) return false;
    const children = Array.isArray(x) ? x : x instanceof Set ? [...x] : x instanceof Map ? [...x.keys(), ...x.values()] : Object.values(x);
    for (const c of children) stack.push([c, d + 1]);
  }
  return true;
}

function scan(ctx: GatewayContext, x: Exchange, format: Format, bytes: Uint8Array): Promise<ScanResult> {
  const opts = { signal: x.signal, transfer: true };
  if (format !== 'msgpack' && foreignBom(bytes)) throw new KindlyGuardError('KG_ERR_MEDIA_TYPE', 'the body starts with a UTF-16 or UTF-32 byte order mark: send UTF-8');
  if (format === 'text') return ctx.pool.scan(bytes, opts);
  // JSON is parsed on a worker (engine/scan-request.ts); msgpack here, where msgpackr lives.
  if (format === 'json') return ctx.pool.scanRequestJson(bytes, opts);
  let doc: unknown;
  try { doc = unpack(bytes); } catch (e) { throw new BadRequestError(`malformed msgpack: ${(e as Error).message.slice(0, 200)}`); }
  // The decoded value is cloned to a worker, and a clone recurses: refuse what would overflow it (a JSON body is
  // parsed on the worker and has no such limit).
  if (!shallowerThan(doc, MAX_MSGPACK_DEPTH)) throw new BadRequestError(`msgpack value nested deeper than ${MAX_MSGPACK_DEPTH} levels: send it as JSON`);
  const body = parseScanRequest(doc);
  return 'text' in body ? ctx.pool.scan(body.text, { signal: x.signal }) : ctx.pool.scanJson(body.value, { signal: x.signal });
}
