/**
 * The OAuth 2.0 authorization server: POST /oauth/token (client_credentials, client_secret_basic or
 * client_secret_post, scopes narrowed to the client's, RFC 8707 resource indicators), POST /oauth/revoke (RFC 7009),
 * POST /oauth/introspect (RFC 7662), and the metadata MCP clients discover: RFC 8414, RFC 9728, JWKS.
 * Errors are RFC 6749's names; a secret never reaches a log or an error.
 */
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { GatewayContext } from '../context.js';
import { readBody } from '../http/body.js';
import { send, sendJson, type Exchange } from '../http/respond.js';
import type { AuthConfig } from './config.js';
import { SCOPES } from './config.js';
import type { ClientRegistry } from './clients.js';
import type { TokenService } from './tokens.js';
import type { SigningKey } from './keys.js';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const FORM_LIMIT = 16 * 1024;

export interface OAuthDeps {
  auth: AuthConfig;
  issuer: string;
  resources: string[];
  clients: ClientRegistry;
  tokens: TokenService;
  keys: SigningKey[];
  onAttempt(clientId: string | undefined, ok: boolean): void;
  isBlocked(clientId: string): boolean;
}

function oauthError(x: Exchange, status: number, error: string, description: string, basic = false): void {
  sendJson(x, status, { error, error_description: description }, { ...NO_STORE, ...(basic && { 'www-authenticate': 'Basic realm="kindly-guard"' }) });
}

/** Client credentials from Basic auth or the form, not both (RFC 6749 2.3). */
function credentials(authorization: string, form: URLSearchParams): { id: string; secret: string; basic: boolean } | string {
  const inForm = form.has('client_id') || form.has('client_secret');
  const m = /^Basic\s+([A-Za-z0-9+/]+=*)$/i.exec(authorization);
  if (m && inForm) return 'use one client authentication method, not two';
  if (m) {
    const text = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon < 0) return 'malformed Basic credentials';
    try {
      return { id: decodeURIComponent(text.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(text.slice(colon + 1).replace(/\+/g, ' ')), basic: true };
    } catch { return 'malformed Basic credentials'; }
  }
  const id = form.get('client_id'), secret = form.get('client_secret');
  if (!id || !secret) return 'client authentication is required';
  return { id, secret, basic: false };
}

export function oauthRoutes(app: TemplatedApp, ctx: GatewayContext, d: OAuthDeps): void {
  /** A form POST with client authentication, then `handle`. */
  function formRoute(route: string, handle: (x: Exchange, form: URLSearchParams, clientId: string, resources: string[]) => Promise<void>) {
    return (res: HttpResponse, req: HttpRequest) => {
      const x = ctx.begin(res, route);
      if (!x) return;
      const type = req.getHeader('content-type').split(';')[0]!.trim().toLowerCase();
      const authorization = req.getHeader('authorization');
      if (type !== 'application/x-www-form-urlencoded') { oauthError(x, 400, 'invalid_request', 'the body must be application/x-www-form-urlencoded'); return; }
      ctx.bodyDeadline(x);
      readBody(res, undefined, FORM_LIMIT, (outcome) => {
        if (x.done) return;
        if (!outcome.ok) { oauthError(x, 400, 'invalid_request', 'request too large'); return; }
        const form = new URLSearchParams(Buffer.from(outcome.bytes).toString('utf8'));
        const creds = credentials(authorization, form);
        if (typeof creds === 'string') { oauthError(x, 401, 'invalid_client', creds, true); return; }
        // Attempts per client id and per address, before any bcrypt work: guessing secrets stays slow.
        if (route === 'oauth_token' && !ctx.admitTokenRequest(x, creds.id)) return;
        void d.clients.authenticate(creds.id, creds.secret).then(async (client) => {
          if (x.done) return;
          d.onAttempt(client ? client.client_id : undefined, client !== undefined);
          if (!client) { oauthError(x, 401, 'invalid_client', 'client authentication failed', creds.basic); return; }
          await handle(x, form, client.client_id, client.allowed_resources ?? d.resources);
        }).catch((e: Error) => {
          ctx.log.error({ err: e.message, route }, 'oauth request failed');
          if (!x.done) oauthError(x, 500, 'server_error', 'internal error');
        });
      });
    };
  }

  app.post('/oauth/token', formRoute('oauth_token', async (x, form, clientId, resources) => {
    const client = d.clients.get(clientId)!;
    if (d.isBlocked(clientId)) return oauthError(x, 400, 'unauthorized_client', 'this client is blocked by incident response');
    const grant = form.get('grant_type');
    if (!grant) return oauthError(x, 400, 'invalid_request', 'grant_type is required');
    if (grant !== 'client_credentials') return oauthError(x, 400, 'unsupported_grant_type', `grant_type ${grant.slice(0, 40)} is not supported`);
    const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const scopes = asked.length ? asked : client.allowed_scopes;
    const refused = scopes.filter((s) => !(client.allowed_scopes as string[]).includes(s));
    if (refused.length) return oauthError(x, 400, 'invalid_scope', `scope not allowed for this client: ${refused.join(' ').slice(0, 200)}`);
    const wanted = form.getAll('resource');
    if (wanted.length > 1) return oauthError(x, 400, 'invalid_target', 'one resource per token');
    if (!wanted.length && d.auth.require_resource_indicators) return oauthError(x, 400, 'invalid_target', 'resource is required');
    const audience = wanted[0] ?? d.issuer;
    if (!resources.includes(audience)) return oauthError(x, 400, 'invalid_target', 'resource not allowed');
    const { token, expiresIn } = await d.tokens.issue(clientId, scopes, audience);
    sendJson(x, 200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' ') }, NO_STORE);
  }));

  app.post('/oauth/revoke', formRoute('oauth_revoke', async (x, form, clientId) => {
    const token = form.get('token');
    if (!token) return oauthError(x, 400, 'invalid_request', 'token is required');
    await d.tokens.revoke(token, clientId);
    send(x, 200, '', 'application/json', NO_STORE); // RFC 7009: 200 whether or not there was anything to revoke
  }));

  app.post('/oauth/introspect', formRoute('oauth_introspect', async (x, form) => {
    const token = form.get('token');
    if (!token) return oauthError(x, 400, 'invalid_request', 'token is required');
    sendJson(x, 200, await d.tokens.introspect(token), NO_STORE);
  }));

  const base = d.issuer.replace(/\/$/, '');
  const metadata = {
    issuer: d.issuer,
    token_endpoint: `${base}/oauth/token`,
    revocation_endpoint: `${base}/oauth/revoke`,
    introspection_endpoint: `${base}/oauth/introspect`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: SCOPES,
    response_types_supported: [],
  };
  const resourceMetadata = { resource: d.issuer, authorization_servers: [d.issuer], scopes_supported: SCOPES, bearer_methods_supported: ['header'] };
  const json = (route: string, body: () => unknown) => (res: HttpResponse) => {
    const x = ctx.begin(res, route);
    if (x) sendJson(x, 200, body(), { 'cache-control': 'max-age=300' });
  };
  app.get('/.well-known/oauth-authorization-server', json('oauth_metadata', () => metadata));
  app.get('/.well-known/oauth-protected-resource', json('oauth_metadata', () => resourceMetadata));
  app.get('/.well-known/jwks.json', json('oauth_metadata', () => ({ keys: d.keys.map((k) => k.publicJwk) })));
}
