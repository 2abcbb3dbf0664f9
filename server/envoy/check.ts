/**
 * One ext_authz decision, whichever transport asked (Envoy's HTTP service or its gRPC Authorization/Check): bearer
 * token (scope `ext_authz.scope`), request signature over the original method and path, the admission (revocation,
 * block, nonce, rate limit `ext_authz`), then scans of the body (JSON-aware for JSON) and of the query. The answer
 * is written to the exchange: 200 with x-kindly-guard-* headers to allow, else the denial (401/403/413/429/503, or
 * 403 with a JSON reason naming the threats). A `neutralize` policy cannot rewrite a body through ext_authz: what it
 * would neutralize is refused instead.
 */
import { isDetection, type ScanResult, type Threat } from '../../engine/threats.js';
import type { SignatureHeaders } from '../auth/signing.js';
import { send, sendError, type Exchange } from '../http/respond.js';
import { foreignBom, foreignCharset } from '../http/body.js';
import type { GatewayContext } from '../context.js';

export interface CheckInput {
  method: string;
  /** The original path, without the query. */
  path: string;
  query: string;
  authorization: string;
  /** The Content-Type header as sent (its charset matters). */
  contentType: string;
  /** Content-Encoding, '' when absent. */
  contentEncoding: string;
  /** The client's address as Envoy reports it (rate limits by address); undefined: the caller's. */
  address?: string;
  signed: SignatureHeaders;
  /** Envoy cut the body at max_request_bytes. */
  partial: boolean;
  body: Uint8Array;
}

type Placed = Threat & { where: 'body' | 'query' };

/** Threats as a denial states them: type, severity, where (never the matched text). */
function summary(threats: Placed[]) {
  return threats.filter(isDetection).map((t) => ({ type: t.type, severity: t.severity, ...(t.path !== undefined && { path: t.path }), where: t.where }));
}

export async function check(ctx: GatewayContext, x: Exchange, c: CheckInput): Promise<void> {
  const cfg = ctx.config.ext_authz;
  let principal;
  try { principal = await ctx.guard.check(c.authorization, cfg.scope, true); } catch (e) { ctx.guard.reject(x, e); return; }
  // What /v1/scan refuses as unreadable is refused here too: a body that is not UTF-8 text would hide its content.
  const charset = foreignCharset(c.contentType);
  if (charset) { sendError(x, 415, 'KG_ERR_MEDIA_TYPE', `charset ${charset} is not accepted: only UTF-8 bodies can be checked`); return; }
  const encoding = c.contentEncoding.trim().toLowerCase();
  if (encoding && encoding !== 'identity') { sendError(x, 415, 'KG_ERR_MEDIA_TYPE', `Content-Encoding ${encoding.slice(0, 40)} cannot be checked: send the body unencoded`); return; }
  if (foreignBom(c.body)) { sendError(x, 415, 'KG_ERR_MEDIA_TYPE', 'the body starts with a UTF-16 or UTF-32 byte order mark: only UTF-8 bodies can be checked'); return; }
  if (c.address) x.address = c.address;
  if (c.partial && !cfg.allow_partial_body) {
    sendError(x, 413, 'KG_ERR_TOO_LARGE', 'the body was cut short by Envoy (with_request_body.max_request_bytes): unscanned bytes are not let through');
    return;
  }
  const signature = ctx.verifySignature(x, c.signed, c.method, c.path, c.body, principal?.clientId);
  if (!signature || !(await ctx.admit(x, principal, 'ext_authz', signature.nonce))) return;
  const clientId = principal?.clientId;
  const started = performance.now();
  let threats: Placed[];
  try {
    const opts = { signal: x.signal };
    const type = c.contentType.split(';')[0]!.trim().toLowerCase();
    const json = type === 'application/json' || type.endsWith('+json');
    const scans: Array<Promise<ScanResult>> = [];
    // A body that says JSON but is not is scanned as text: the decision rests on its content either way.
    if (c.body.length) scans.push(json ? ctx.pool.scanJsonBytes(c.body, opts).catch(() => ctx.pool.scan(c.body, opts)) : ctx.pool.scan(c.body, opts));
    // The query string carries attacks as well as a body does (the engine decodes its %-escapes).
    if (c.query) scans.push(ctx.pool.scan(c.query, opts));
    const results = await Promise.all(scans);
    threats = results.flatMap((r, i) => r.threats.map((t): Placed => ({ ...t, where: i === 0 && c.body.length ? 'body' : 'query' })));
  } catch (err) {
    if (x.done) return;
    const e = err as { code?: string; message: string };
    if (ctx.engineFailure(e) === 'closed') return sendError(x, 503, e.code ?? 'KG_ERR_ENGINE', `scan unavailable: ${e.message}`, { 'retry-after': '1' });
    threats = [];
  }
  if (x.done) return;
  const d = ctx.settle(x, 'ext_authz', 'ext_authz', clientId, threats, (performance.now() - started) / 1000, (dd) => dd.block || dd.neutralize);
  const found = threats.filter(isDetection);
  if (d.refused) {
    send(x, 403, JSON.stringify({ error: { code: 'KG_ERR_BLOCKED', message: `request blocked by kindly-guard: ${[...new Set(found.map((t) => t.type))].join(', ') || 'policy'}` },
      threats: summary(threats) }), 'application/json');
    return;
  }
  send(x, 200, '', 'text/plain', {
    'x-kindly-guard-decision': d.wouldBlock ? 'report' : 'allow',
    'x-kindly-guard-threats': String(found.length),
    // Always set, so a client cannot pass its own x-kindly-guard-client to the upstream (Envoy overwrites it).
    'x-kindly-guard-client': clientId ?? 'anonymous',
  });
}
