/**
 * Bearer tokens on the API routes (RFC 6750): every route and WebSocket upgrade needs a valid token for this
 * resource, with the scope the route names. Missing or invalid: 401 with a `WWW-Authenticate` challenge pointing at
 * the protected-resource metadata (RFC 9728, as MCP clients expect); valid but without the scope: 403.
 */
import type { Exchange } from '../http/respond.js';
import { sendError } from '../http/respond.js';
import type { TokenService, Principal } from './tokens.js';
import { AuthError } from './tokens.js';
import { StateUnavailableError, type SharedState } from '../state/state.js';

/** A revoked token or a blocked client, as the answer to a request says it. */
export function standingError(reason: 'revoked' | 'blocked'): AuthError {
  return reason === 'revoked' ? new AuthError('invalid_token', 'token revoked') : new AuthError('client_blocked', 'this client is blocked by incident response', 403);
}

export interface Guard {
  readonly enabled: boolean;
  readonly resource: string;
  /**
   * Checks an Authorization header value for `scope` (undefined: any valid token). With `admitted` the caller's
   * admission (SharedState.admit, one round trip with the rate limit) checks revocation and blocks instead.
   */
  check(authorization: string, scope: string | undefined, admitted?: boolean): Promise<Principal | undefined>;
  /** Answers an AuthError (401/403 with the challenge) or a state outage (503); anything else is rethrown. */
  reject(x: Exchange, e: unknown): void;
  /** The challenge header for a failed check. */
  challenge(e: AuthError): string;
}

export function createGuard(tokens: TokenService | undefined, resource: string, onAttempt: (clientId: string | undefined, ok: boolean) => void,
  state?: SharedState): Guard {
  const metadata = `${resource.replace(/\/$/, '')}/.well-known/oauth-protected-resource`;
  const challenge = (e: AuthError) => {
    const parts = [`realm="kindly-guard"`, `resource_metadata="${metadata}"`];
    // No error code when no credentials were sent at all (RFC 6750 3.1).
    if (e.error !== 'missing_token') parts.push(`error="${e.error}"`, `error_description="${e.description.replace(/"/g, "'")}"`);
    if (e.error === 'insufficient_scope') parts.push(`scope="${e.message.split(': ')[1] ?? ''}"`);
    return `Bearer ${parts.join(', ')}`;
  };
  return {
    enabled: tokens !== undefined,
    resource,
    async check(authorization, scope, admitted = false) {
      if (!tokens) return undefined;
      const m = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(authorization);
      if (!m) {
        onAttempt(undefined, false);
        throw authorization ? new AuthError('invalid_request', 'Authorization must be "Bearer <token>"', 400) : new AuthError('missing_token', 'a bearer token is required');
      }
      let p: Principal;
      try { p = await tokens.verify(m[1]!, resource); } catch (e) { onAttempt(undefined, false); throw e; }
      if (scope !== undefined && !p.scopes.has(scope)) {
        onAttempt(p.clientId, false);
        throw new AuthError('insufficient_scope', `the token lacks the scope: ${scope}`, 403);
      }
      if (!admitted && state) {
        // Revoked (on any instance), or blocked by incident response: its tokens stop working until unblocked.
        const s = await state.standing(p.clientId, p.jti);
        if (s.revoked || s.blocked) { onAttempt(p.clientId, false); throw standingError(s.revoked ? 'revoked' : 'blocked'); }
      }
      onAttempt(p.clientId, true);
      return p;
    },
    reject(x, e) {
      // The shared state could not say whether the token is revoked or the client blocked (fail_mode closed).
      if (e instanceof StateUnavailableError) { sendError(x, 503, e.code, `shared state unavailable (${e.kind}): try again shortly`, { 'retry-after': '1' }); return; }
      if (!(e instanceof AuthError)) throw e;
      if (e.error === 'client_blocked') { sendError(x, 403, 'KG_ERR_CLIENT_BLOCKED', e.description); return; }
      const code = e.error === 'insufficient_scope' ? 'KG_ERR_FORBIDDEN' : 'KG_ERR_UNAUTHORIZED';
      sendError(x, e.status, code, e.description, { 'www-authenticate': challenge(e) });
    },
    challenge,
  };
}
