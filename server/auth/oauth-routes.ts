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
import { pkceOk, type Grants } from './grants.js';
import { StateUnavailableError, type SharedState } from '../state/state.js';

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
  state: SharedState;
  grants: Grants;
}

function oauthError(x: Exchange, status: number, error: string, description: string, basic = false): void {
  sendJson(x, status, { error, error_description: description }, { ...NO_STORE, ...(basic && { 'www-authenticate': 'Basic realm="kindly-guard"' }) });
}

/** Client credentials from Basic auth or the form, not both (RFC 6749 2.3); a public client sends its id alone. */
function credentials(authorization: string, form: URLSearchParams): { id: string; secret?: string; basic: boolean } | string {
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
  if (!id) return 'client authentication is required';
  return { id, secret: secret ?? undefined, basic: false };
}

export function oauthRoutes(app: TemplatedApp, ctx: GatewayContext, d: OAuthDeps): void {
  /** The shared state could not answer (fail_mode closed): try again later; anything else is a server error. */
  function failed(x: Exchange, route: string, e: Error): void {
    if (e instanceof StateUnavailableError) { if (!x.done) oauthError(x, 503, 'temporarily_unavailable', 'shared state unavailable: try again shortly'); return; }
    ctx.log.error({ err: e.message, route }, 'oauth request failed');
    if (!x.done) oauthError(x, 500, 'server_error', 'internal error');
  }

  /** A form POST with client authentication, then `handle`. */
  /** `publicOk`: a public client (client_id alone) may use this route; introspection needs a confidential client. */
  function formRoute(route: string, handle: (x: Exchange, form: URLSearchParams, clientId: string, resources: string[]) => Promise<void>, publicOk = true) {
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
        void (async () => {
          // Attempts per client id and per address, before any bcrypt work: guessing secrets stays slow.
          if (route === 'oauth_token' && !(await ctx.admitTokenRequest(x, creds.id))) return;
          // A public client is identified, not authenticated: only the grants that prove themselves (PKCE, a refresh
          // token) accept it.
          const pub = d.clients.get(creds.id);
          const client = creds.secret === undefined ? (pub?.public && publicOk ? pub : undefined) : await d.clients.authenticate(creds.id, creds.secret);
          if (x.done) return;
          d.onAttempt(client ? client.client_id : undefined, client !== undefined);
          if (!client) { oauthError(x, 401, 'invalid_client', 'client authentication failed', creds.basic); return; }
          await handle(x, form, client.client_id, client.allowed_resources ?? d.resources);
        })().catch((e: Error) => failed(x, route, e));
      });
    };
  }

  app.post('/oauth/token', formRoute('oauth_token', async (x, form, clientId, resources) => {
    const client = d.clients.get(clientId)!;
    if ((await d.state.standing(clientId, '')).blocked) return oauthError(x, 400, 'unauthorized_client', 'this client is blocked by incident response');
    const grant = form.get('grant_type');
    if (!grant) return oauthError(x, 400, 'invalid_request', 'grant_type is required');
    if (grant === 'authorization_code') return codeGrant(x, form, clientId);
    if (grant === 'refresh_token') return refreshGrant(x, form, clientId);
    if (grant !== 'client_credentials') return oauthError(x, 400, 'unsupported_grant_type', `grant_type ${grant.slice(0, 40)} is not supported`);
    if (client.public) return oauthError(x, 400, 'unauthorized_client', 'a public client uses authorization_code with PKCE');
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

  /** Access token plus a rotating refresh token (authorization_code and refresh_token grants). */
  async function issueWithRefresh(x: Exchange, clientId: string, scopes: string[], audience: string, family?: string) {
    const { token, expiresIn, jti } = await d.tokens.issue(clientId, scopes, audience);
    const refresh = await d.grants.newRefresh({ clientId, scopes, audience }, family);
    await d.grants.noteAccessToken(refresh.family, jti);
    // Another instance may have revoked the family (reuse detected) between our use of the old token and the note
    // above, reading the family's tokens before this one was in it: then this one is revoked here.
    if (family !== undefined && await d.grants.familyRevoked(family)) {
      await d.tokens.revokeJtis([jti]);
      return oauthError(x, 400, 'invalid_grant', 'the grant was revoked');
    }
    sendJson(x, 200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: scopes.join(' '), refresh_token: refresh.token }, NO_STORE);
  }

  async function codeGrant(x: Exchange, form: URLSearchParams, clientId: string) {
    const code = form.get('code'), redirectUri = form.get('redirect_uri'), verifier = form.get('code_verifier');
    if (!code || !redirectUri || !verifier) return oauthError(x, 400, 'invalid_request', 'code, redirect_uri and code_verifier are required');
    const g = await d.grants.takeCode(code);
    if (!g || g.clientId !== clientId || g.redirectUri !== redirectUri || !pkceOk(verifier, g.challenge)) {
      return oauthError(x, 400, 'invalid_grant', 'the code is invalid, expired, used, or not for this client, redirect_uri and verifier');
    }
    await issueWithRefresh(x, clientId, g.scopes, g.audience);
  }

  async function refreshGrant(x: Exchange, form: URLSearchParams, clientId: string) {
    const token = form.get('refresh_token');
    if (!token) return oauthError(x, 400, 'invalid_request', 'refresh_token is required');
    const g = await d.grants.useRefresh(token);
    if (g && 'reused' in g) {
      await d.tokens.revokeJtis(g.reused);
      ctx.log.warn({ event: 'refresh_token_reuse', client_id: clientId }, 'a rotated refresh token was used again: its grant is revoked');
      return oauthError(x, 400, 'invalid_grant', 'refresh token reuse detected: the grant is revoked');
    }
    if (!g || g.clientId !== clientId) return oauthError(x, 400, 'invalid_grant', 'unknown or expired refresh token');
    const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (asked.some((s) => !g.scopes.includes(s))) return oauthError(x, 400, 'invalid_scope', 'a refresh cannot widen the grant');
    await issueWithRefresh(x, clientId, asked.length ? asked : g.scopes, g.audience, g.family);
  }

  app.post('/oauth/revoke', formRoute('oauth_revoke', async (x, form, clientId) => {
    const token = form.get('token');
    if (!token) return oauthError(x, 400, 'invalid_request', 'token is required');
    // An access token (a JWT), or a refresh token: then its whole grant, access tokens included.
    if (!(await d.tokens.revoke(token, clientId))) {
      const jtis = await d.grants.revokeRefresh(token, clientId);
      if (jtis) await d.tokens.revokeJtis(jtis);
    }
    send(x, 200, '', 'application/json', NO_STORE); // RFC 7009: 200 whether or not there was anything to revoke
  }));

  app.post('/oauth/introspect', formRoute('oauth_introspect', async (x, form, clientId) => {
    const token = form.get('token');
    if (!token) return oauthError(x, 400, 'invalid_request', 'token is required');
    // A client learns about its own tokens; another client's only with the admin scope.
    const info = await d.tokens.introspect(token);
    const mayRead = info.client_id === clientId || (d.clients.get(clientId)?.allowed_scopes as string[] | undefined)?.includes('admin');
    sendJson(x, 200, info.active && !mayRead ? { active: false } : info, NO_STORE);
  }, false));

  // Authorization endpoint. There are no user accounts here: a configured client is authorized by configuration, and
  // PKCE plus the exact redirect URI make sure only the party that started the flow can redeem the code. Put an
  // authenticating proxy in front of this route when people, not programs, must approve.
  app.get('/oauth/authorize', (res, req) => {
    const x = ctx.begin(res, 'oauth_authorize');
    if (!x) return;
    authorize(x, new URLSearchParams(req.getQuery() ?? '')).catch((e: Error) => failed(x, 'oauth_authorize', e));
  });

  async function authorize(x: Exchange, q: URLSearchParams): Promise<void> {
    // Anyone may call this and each call stores a code: per address, as the token endpoint.
    if (!(await ctx.admitAddress(x, 'oauth_authorize'))) return;
    const client = d.clients.get(q.get('client_id') ?? '');
    const redirect = q.get('redirect_uri') ?? (client?.redirect_uris?.length === 1 ? client.redirect_uris[0] : undefined);
    // Errors about the client or its redirect URI are answered here, never sent to an unverified URI (RFC 6749 4.1.2.1).
    if (!client?.redirect_uris) return oauthError(x, 400, 'invalid_request', 'unknown client_id, or a client without redirect_uris');
    if (!redirect || !client.redirect_uris.includes(redirect)) return oauthError(x, 400, 'invalid_request', 'redirect_uri is not registered for this client');
    const back = (params: Record<string, string>) => {
      const u = new URL(redirect);
      for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
      const state = q.get('state');
      if (state !== null) u.searchParams.set('state', state);
      u.searchParams.set('iss', d.issuer); // RFC 9207
      send(x, 302, '', 'text/plain', { location: u.toString(), 'cache-control': 'no-store' });
    };
    if (q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
    const challenge = q.get('code_challenge');
    if (!challenge || q.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
      return back({ error: 'invalid_request', error_description: 'PKCE is required: code_challenge with code_challenge_method=S256' });
    }
    if ((await d.state.standing(client.client_id, '')).blocked) return back({ error: 'access_denied', error_description: 'client blocked' });
    const asked = (q.get('scope') ?? '').split(' ').filter(Boolean);
    const scopes = asked.length ? asked : client.allowed_scopes;
    if (scopes.some((sc) => !(client.allowed_scopes as string[]).includes(sc))) return back({ error: 'invalid_scope' });
    const audience = q.get('resource') ?? (d.auth.require_resource_indicators ? undefined : d.issuer);
    if (!audience || !(client.allowed_resources ?? d.resources).includes(audience)) return back({ error: 'invalid_target' });
    back({ code: await d.grants.newCode({ clientId: client.client_id, redirectUri: redirect, challenge, scopes, audience }) });
  }

  const base = d.issuer.replace(/\/$/, '');
  const metadata = {
    issuer: d.issuer,
    token_endpoint: `${base}/oauth/token`,
    revocation_endpoint: `${base}/oauth/revoke`,
    introspection_endpoint: `${base}/oauth/introspect`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    authorization_endpoint: `${base}/oauth/authorize`,
    grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: SCOPES,
    response_types_supported: ['code'],
    authorization_response_iss_parameter_supported: true,
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
