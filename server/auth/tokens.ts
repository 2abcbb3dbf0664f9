/**
 * Access tokens: EdDSA-signed JWTs (jose) naming the client (`sub`, `client_id`), its scopes and one audience (the
 * resource indicator). Verification checks signature, `kid`, algorithm, issuer, audience, expiry and not-before;
 * verified tokens are cached until they expire (a hit costs a map lookup). Revocations live in the shared state
 * (`rev:<jti>`, until the token would have expired anyway), so every gateway instance refuses a revoked token; the
 * check itself is the guard's (or the request's admission), not verify's.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, decodeProtectedHeader, errors } from 'jose';
import type { SigningKey } from './keys.js';
import type { SharedState } from '../state/state.js';

export interface Principal {
  clientId: string;
  scopes: Set<string>;
  audience: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  jti: string;
}

export class AuthError extends Error {
  /** `error` as RFC 6750 / RFC 6749 name it; status 401 unless said otherwise. */
  constructor(readonly error: string, readonly description: string, readonly status = 401) { super(description); }
}

const MAX_CACHE = 10_000;

export class TokenService {
  private readonly cache = new Map<string, Principal>();

  constructor(private readonly keys: SigningKey[], readonly issuer: string, private readonly lifetimeSecs: number,
    private readonly state: SharedState) {}

  async issue(clientId: string, scopes: string[], audience: string): Promise<{ token: string; expiresIn: number; jti: string }> {
    const key = this.keys[0]!;
    const jti = randomUUID();
    const token = await new SignJWT({ scope: scopes.join(' '), client_id: clientId })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' })
      .setIssuer(this.issuer).setSubject(clientId).setAudience(audience).setJti(jti)
      .setIssuedAt().setExpirationTime(`${this.lifetimeSecs}s`)
      .sign(key.privateKey);
    return { token, expiresIn: this.lifetimeSecs, jti };
  }

  /** Revokes access tokens by jti (a refresh-token family that was compromised). */
  async revokeJtis(jtis: string[]): Promise<void> {
    await Promise.all(jtis.map((jti) => this.state.put('tokens', `rev:${jti}`, '1', this.lifetimeSecs * 1000)));
  }

  /**
   * The principal of a token that is genuine, unexpired and for `audience`; an AuthError otherwise (never a hint of
   * what the token held). Whether it was revoked is the shared state's to say (SharedState.admit / standing).
   */
  async verify(token: string, audience: string): Promise<Principal> {
    const now = Date.now() / 1000;
    const hit = this.cache.get(token);
    if (hit) {
      if (hit.exp <= now) this.cache.delete(token);
      else if (hit.audience !== audience) throw new AuthError('invalid_token', 'token is for another resource');
      else return hit;
    }
    const p = await this.decode(token, audience);
    if (this.cache.size >= MAX_CACHE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(token, p);
    return p;
  }

  /** RFC 7009: a valid token of `clientId` is revoked; anything else is ignored (the endpoint answers 200 either way). */
  async revoke(token: string, clientId: string): Promise<boolean> {
    let p: Principal;
    try { p = await this.decode(token, undefined); } catch { return false; }
    if (p.clientId !== clientId) return false;
    await this.state.put('tokens', `rev:${p.jti}`, '1', Math.max(1, p.exp * 1000 - Date.now()));
    this.cache.delete(token);
    return true;
  }

  /** RFC 7662: what a token is, for an authenticated caller; inactive for anything invalid, revoked or expired. */
  async introspect(token: string): Promise<Record<string, unknown>> {
    try {
      const p = await this.decode(token, undefined);
      if (await this.state.get('tokens', `rev:${p.jti}`) !== undefined) return { active: false };
      return { active: true, scope: [...p.scopes].join(' '), client_id: p.clientId, sub: p.clientId, aud: p.audience, iss: this.issuer,
        exp: p.exp, jti: p.jti, token_type: 'Bearer' };
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      return { active: false };
    }
  }

  private async decode(token: string, audience: string | undefined): Promise<Principal> {
    let kid: unknown;
    try { kid = decodeProtectedHeader(token).kid; } catch { throw new AuthError('invalid_token', 'malformed token'); }
    const key = this.keys.find((k) => k.kid === kid);
    if (!key) throw new AuthError('invalid_token', 'token signed by an unknown key');
    try {
      const { payload } = await jwtVerify(token, key.publicKey, {
        algorithms: ['EdDSA'], issuer: this.issuer, ...(audience !== undefined && { audience }), requiredClaims: ['exp', 'iat', 'jti', 'sub'],
      });
      const aud = Array.isArray(payload.aud) ? payload.aud[0] : payload.aud;
      return { clientId: payload.sub!, scopes: new Set(String(payload.scope ?? '').split(' ').filter(Boolean)), audience: String(aud),
        exp: payload.exp!, jti: payload.jti! };
    } catch (e) {
      if (e instanceof errors.JWTExpired) throw new AuthError('invalid_token', 'token expired');
      if (e instanceof errors.JWTClaimValidationFailed) throw new AuthError('invalid_token', `token rejected: ${e.claim} check failed`);
      throw new AuthError('invalid_token', 'token signature or format invalid');
    }
  }
}
