/**
 * Envoy external authorization, HTTP service mode (the ext_authz filter's `http_service`): Envoy sends each
 * request's method, its path under `path_prefix`, the headers it is told to forward and, with `with_request_body`,
 * the body. The answer is 200 to let the request through (with x-kindly-guard-* headers Envoy may pass upstream via
 * `allowed_upstream_headers`), or a denial Envoy sends to the client as it is. The decision itself is check.ts's,
 * shared with the gRPC service (grpc-authz.ts).
 */
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import { bool, oneOf, sectionOf, validateSection } from '../../engine/config.js';
import { int, type Check } from '../../engine/config.js';
import { SCOPES } from '../auth/config.js';
import { signatureHeaders } from '../auth/signing.js';
import { bodyFraming, readBody } from '../http/body.js';
import { sendError } from '../http/respond.js';
import type { GatewayContext } from '../context.js';
import { check } from './check.js';

export interface ExtAuthzConfig {
  enabled: boolean;
  /** Envoy's http_service.path_prefix: the original path follows it. */
  path_prefix: string;
  /** The scope a caller's token needs. */
  scope: string;
  /** A body Envoy cut at max_request_bytes (x-envoy-auth-partial-body: true) is refused unless this is true. */
  allow_partial_body: boolean;
  /** Envoy's gRPC Authorization/Check service on this port (server.host; TLS with server.tls); 0: off. */
  grpc_port: number;
  /**
   * A header Envoy sets to the client's address (x-forwarded-for, x-envoy-external-address), for per-address rate
   * limits with auth off; unset, the address is Envoy's own. gRPC checks use the source address Envoy sends.
   */
  client_address_header?: string;
}

export const DEFAULT_EXT_AUTHZ: ExtAuthzConfig = { enabled: false, path_prefix: '/ext_authz', scope: 'scan', allow_partial_body: false, grpc_port: 0 };

export function validateExtAuthz(input: unknown, bad: (path: string, msg: string) => void): ExtAuthzConfig {
  const cfg = { ...DEFAULT_EXT_AUTHZ };
  validateSection(sectionOf(input, 'ext_authz', bad), {
    enabled: bool, allow_partial_body: bool, scope: oneOf(SCOPES), grpc_port: int(0, 65535) as Check,
    client_address_header: (v) => (typeof v === 'string' && /^[a-z0-9-]{1,64}$/.test(v) ? null : 'must be a lower-case header name'),
    path_prefix: (v) => (typeof v === 'string' && /^\/[\w\-./]*[^/]$/.test(v) ? null : 'must be a path such as /ext_authz (no trailing slash)'),
  }, 'ext_authz', cfg as unknown as Record<string, unknown>, bad);
  return cfg;
}

/** The client's address from a header Envoy sets (the last X-Forwarded-For entry is the one Envoy appended). */
function clientAddress(value: string): string | undefined {
  const last = value.split(',').pop()?.trim();
  return last ? last.slice(0, 64) : undefined;
}

export function extAuthzRoutes(app: TemplatedApp, ctx: GatewayContext): void {
  const cfg = ctx.config.ext_authz;
  if (!cfg.enabled) return;
  const handler = (res: HttpResponse, req: HttpRequest) => {
    const x = ctx.begin(res, 'ext_authz');
    if (!x) return;
    // Headers live only during this call: read them now.
    const input = {
      method: req.getMethod().toUpperCase(), path: req.getUrl().slice(cfg.path_prefix.length) || '/', query: req.getQuery() ?? '',
      authorization: req.getHeader('authorization'), contentType: req.getHeader('content-type'), contentEncoding: '',
      signed: signatureHeaders(req), partial: req.getHeader('x-envoy-auth-partial-body') === 'true',
      address: cfg.client_address_header ? clientAddress(req.getHeader(cfg.client_address_header)) : undefined,
    };
    // bodyFraming refuses a Content-Encoding other than identity (Envoy forwards it when allowed_headers says so).
    const framing = bodyFraming(req);
    if (!framing.ok) { sendError(x, framing.status, 'KG_ERR_BAD_REQUEST', framing.message); return; }
    // Always read: a chunked body has no Content-Length (uWS calls back once, empty, for a request without a body).
    ctx.bodyDeadline(x);
    readBody(res, framing.length ?? (req.getHeader('transfer-encoding') ? undefined : 0), ctx.config.server.max_body_bytes, (outcome) => {
      if (x.done) return;
      if (!outcome.ok) { sendError(x, 413, 'KG_ERR_TOO_LARGE', `request body exceeds ${ctx.config.server.max_body_bytes} bytes`, { connection: 'close' }); return; }
      void check(ctx, x, { ...input, body: outcome.bytes });
    });
  };
  app.any(cfg.path_prefix, handler);
  app.any(`${cfg.path_prefix}/*`, handler);
}
