/**
 * Envoy external authorization, HTTP service mode (the ext_authz filter's `http_service`): Envoy sends each
 * request's method, its path under `path_prefix`, the headers it is told to forward and, with `with_request_body`,
 * the body. The answer is 200 to let the request through (with x-kindly-guard-* headers Envoy may pass upstream via
 * `allowed_upstream_headers`), or a denial Envoy sends to the client as it is: 401/403 for auth, 429 for rate
 * limits, 403 with a JSON reason for threats, 413 for a body Envoy cut short. The same checks as /v1/scan apply:
 * bearer token (scope `ext_authz.scope`), request signature (over the original method and path), the admission
 * (revocation, block, nonce, rate limit `ext_authz`), then a scan of the body (JSON-aware for JSON) and the query.
 * A `neutralize` policy cannot rewrite a body through ext_authz: what it would neutralize is refused instead.
 */
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { bool, oneOf, sectionOf, validateSection } from '../../engine/config.js';
import { isDetection, type ScanResult, type Threat } from '../../engine/threats.js';
import { SCOPES } from '../auth/config.js';
import { signatureHeaders } from '../auth/signing.js';
import { bodyFraming, readBody } from '../http/body.js';
import { send, sendError, type Exchange } from '../http/respond.js';
import type { GatewayContext } from '../context.js';

export interface ExtAuthzConfig {
  enabled: boolean;
  /** Envoy's http_service.path_prefix: the original path follows it. */
  path_prefix: string;
  /** The scope a caller's token needs. */
  scope: string;
  /** A body Envoy cut at max_request_bytes (x-envoy-auth-partial-body: true) is refused unless this is true. */
  allow_partial_body: boolean;
}

export const DEFAULT_EXT_AUTHZ: ExtAuthzConfig = { enabled: false, path_prefix: '/ext_authz', scope: 'scan', allow_partial_body: false };

export function validateExtAuthz(input: unknown, bad: (path: string, msg: string) => void): ExtAuthzConfig {
  const cfg = { ...DEFAULT_EXT_AUTHZ };
  validateSection(sectionOf(input, 'ext_authz', bad), {
    enabled: bool, allow_partial_body: bool, scope: oneOf(SCOPES),
    path_prefix: (v) => (typeof v === 'string' && /^\/[\w\-./]*[^/]$/.test(v) ? null : 'must be a path such as /ext_authz (no trailing slash)'),
  }, 'ext_authz', cfg as unknown as Record<string, unknown>, bad);
  return cfg;
}

const NO_BODY = new Uint8Array(0);

/** Threats as a denial states them: type, severity, where (never the matched text). */
type Placed = Threat & { where: 'body' | 'query' };

function summary(threats: Placed[]) {
  return threats.filter(isDetection).map((t) => ({ type: t.type, severity: t.severity, ...(t.path !== undefined && { path: t.path }), where: t.where }));
}

export function extAuthzRoutes(app: TemplatedApp, ctx: GatewayContext): void {
  const cfg = ctx.config.ext_authz;
  if (!cfg.enabled) return;
  const handler = (res: HttpResponse, req: HttpRequest) => {
    const x = ctx.begin(res, 'ext_authz');
    if (!x) return;
    const method = req.getMethod().toUpperCase();
    const path = req.getUrl().slice(cfg.path_prefix.length) || '/';
    const query = req.getQuery() ?? '';
    const type = req.getHeader('content-type').split(';')[0]!.trim().toLowerCase();
    const partial = req.getHeader('x-envoy-auth-partial-body') === 'true';
    const framing = bodyFraming(req);
    const who = ctx.guard.check(req.getHeader('authorization'), cfg.scope, true);
    who.catch(() => {});
    const signed = signatureHeaders(req);
    if (!framing.ok) { sendError(x, framing.status, 'KG_ERR_BAD_REQUEST', framing.message); return; }
    if (partial && !cfg.allow_partial_body) {
      sendError(x, 413, 'KG_ERR_TOO_LARGE', 'the body was cut short by Envoy (with_request_body.max_request_bytes): unscanned bytes are not let through');
      return;
    }
    const decide = (bytes: Uint8Array) => void who.then(async (p) => {
      const signature = ctx.verifySignature(x, signed, method, path, bytes, p?.clientId);
      if (!signature || !(await ctx.admit(x, p, 'ext_authz', signature.nonce))) return;
      await authorize(ctx, x, { bytes, json: type === 'application/json' || type.endsWith('+json'), query, clientId: p?.clientId });
    }, (e) => ctx.guard.reject(x, e));
    // Requests without a body (no Content-Length, or 0) are decided on their headers and query alone.
    if (!framing.length) { decide(NO_BODY); return; }
    ctx.bodyDeadline(x);
    readBody(res, framing.length, ctx.config.server.max_body_bytes, (outcome) => {
      if (x.done) return;
      if (!outcome.ok) { sendError(x, 413, 'KG_ERR_TOO_LARGE', `request body exceeds ${ctx.config.server.max_body_bytes} bytes`, { connection: 'close' }); return; }
      decide(outcome.bytes);
    });
  };
  app.any(cfg.path_prefix, handler);
  app.any(`${cfg.path_prefix}/*`, handler);
}

interface Check { bytes: Uint8Array; json: boolean; query: string; clientId: string | undefined }

async function authorize(ctx: GatewayContext, x: Exchange, c: Check): Promise<void> {
  const started = performance.now();
  let threats: Placed[];
  try {
    const scans: Array<Promise<ScanResult>> = [];
    if (c.bytes.length) scans.push(c.json ? ctx.pool.scanJsonBytes(c.bytes, { signal: x.signal }).catch(() => ctx.pool.scan(c.bytes, { signal: x.signal })) : ctx.pool.scan(c.bytes, { signal: x.signal }));
    // The query string carries attacks as well as a body does (the engine decodes its %-escapes).
    if (c.query) scans.push(ctx.pool.scan(c.query, { signal: x.signal }));
    const results = await Promise.all(scans);
    threats = results.flatMap((r, i) => r.threats.map((t): Placed => ({ ...t, where: i === 0 && c.bytes.length ? 'body' : 'query' })));
  } catch (err) {
    if (x.done) return;
    const e = err as { code?: string; message: string };
    if (ctx.engineFailure(e) === 'closed') return sendError(x, 503, e.code ?? 'KG_ERR_ENGINE', `scan unavailable: ${e.message}`, { 'retry-after': '1' });
    threats = [];
  }
  if (x.done) return;
  const d = ctx.decide('ext_authz', c.clientId, threats);
  const refused = d.block || d.neutralize;
  ctx.metrics.observeScan('ext_authz', (performance.now() - started) / 1000, threats, refused);
  if (threats.length) ctx.report(c.clientId ?? 'anonymous', 'ext_authz', threats, refused);
  const found = threats.filter(isDetection);
  ctx.penalize(x, c.clientId, 'ext_authz', found.length);
  if (refused) {
    send(x, 403, JSON.stringify({ error: { code: 'KG_ERR_BLOCKED', message: `request blocked by kindly-guard: ${[...new Set(found.map((t) => t.type))].join(', ') || 'policy'}` },
      threats: summary(threats) }), 'application/json');
    return;
  }
  send(x, 200, '', 'text/plain', {
    'x-kindly-guard-decision': d.wouldBlock ? 'report' : 'allow',
    'x-kindly-guard-threats': String(found.length),
    ...(c.clientId !== undefined && { 'x-kindly-guard-client': c.clientId }),
  });
}
