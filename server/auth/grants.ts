/**
 * Authorization codes (PKCE, S256 only) and refresh tokens, in the shared state so that any gateway instance can
 * redeem them. Codes live 60 s and are single use (get-and-delete). Refresh tokens are opaque, kept only as SHA-256
 * hashes, rotate on every use, and belong to a family: presenting a refresh token that was already rotated away (a
 * stolen copy, or the thief's use of it) revokes the whole family, including the access tokens issued from it. With
 * the memory backend a restart ends every grant (clients authorize again).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SharedState } from '../state/state.js';

export interface CodeGrant { clientId: string; redirectUri: string; challenge: string; scopes: string[]; audience: string }
export interface RefreshGrant { clientId: string; scopes: string[]; audience: string; family: string }

const CODE_MS = 60_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const hashOf = (secret: string) => sha256(secret).toString('hex');

/** RFC 7636 S256: BASE64URL(SHA256(verifier)) equals the challenge (compared in constant time). */
export function pkceOk(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  const a = Buffer.from(sha256(verifier).toString('base64url'));
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class Grants {
  private readonly refreshMs: number;
  private readonly accessMs: number;

  constructor(refreshSecs: number, accessSecs: number, private readonly state: SharedState) {
    this.refreshMs = refreshSecs * 1000;
    this.accessMs = accessSecs * 1000;
  }

  async newCode(g: CodeGrant): Promise<string> {
    const code = randomBytes(32).toString('base64url');
    await this.state.put('tokens', `code:${hashOf(code)}`, JSON.stringify(g), CODE_MS);
    return code;
  }

  /** The code's grant, once: a second use (on any instance) finds nothing. */
  async takeCode(code: string): Promise<CodeGrant | undefined> {
    const v = await this.state.take('tokens', `code:${hashOf(code)}`);
    return v === undefined ? undefined : JSON.parse(v) as CodeGrant;
  }

  /** A new refresh token (of a new family unless `family` continues one); returns the token and its family. */
  async newRefresh(g: Omit<RefreshGrant, 'family'>, family = randomBytes(12).toString('base64url')): Promise<{ token: string; family: string }> {
    const token = randomBytes(32).toString('base64url');
    await this.state.put('tokens', `rt:${hashOf(token)}`, JSON.stringify({ ...g, family }), this.refreshMs);
    return { token, family };
  }

  /**
   * Uses a refresh token: its grant when valid (and marks it used), 'reused' when it was already rotated away (the
   * family is then revoked and its access tokens' jtis returned for revocation), undefined when unknown or expired.
   */
  async useRefresh(token: string): Promise<RefreshGrant | { reused: string[] } | undefined> {
    const h = hashOf(token);
    const v = await this.state.get('tokens', `rt:${h}`);
    if (v === undefined) return undefined;
    const g = JSON.parse(v) as RefreshGrant;
    if (await this.state.get('tokens', `famrev:${g.family}`) !== undefined) return undefined;
    // Marked used atomically: of two instances presented the same token at once, one gets the grant.
    if (await this.state.claim('tokens', `rtused:${h}`, '1', this.refreshMs) !== undefined) return { reused: await this.endFamily(g.family) };
    return g;
  }

  /** RFC 7009 for refresh tokens: the token's whole family ends; returns the access-token jtis to revoke (or undefined). */
  async revokeRefresh(token: string, clientId: string): Promise<string[] | undefined> {
    const v = await this.state.get('tokens', `rt:${hashOf(token)}`);
    if (v === undefined) return undefined;
    const g = JSON.parse(v) as RefreshGrant;
    if (g.clientId !== clientId) return undefined;
    return this.endFamily(g.family);
  }

  /** Access tokens issued from a family are remembered while they can be valid (to revoke them with it). */
  async noteAccessToken(family: string, jti: string): Promise<void> {
    await this.state.addMember('tokens', `famjti:${family}`, jti, this.accessMs);
  }

  /** The family was revoked (a check after issuing: another instance may have revoked it meanwhile). */
  async familyRevoked(family: string): Promise<boolean> {
    return await this.state.get('tokens', `famrev:${family}`) !== undefined;
  }

  private async endFamily(family: string): Promise<string[]> {
    // Every refresh token of the family expires within refreshMs of now: so may the mark.
    await this.state.put('tokens', `famrev:${family}`, '1', this.refreshMs);
    return this.state.members('tokens', `famjti:${family}`);
  }
}
