/**
 * Authorization codes (PKCE, S256 only) and refresh tokens. Codes live 60 s and are single use. Refresh tokens are
 * opaque, kept only as SHA-256 hashes, rotate on every use, and belong to a family: presenting a refresh token that
 * was already rotated away (a stolen copy, or the thief's use of it) revokes the whole family, including the access
 * tokens issued from it. Kept in memory: a restart ends every grant (clients authorize again).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface CodeGrant { clientId: string; redirectUri: string; challenge: string; scopes: string[]; audience: string; exp: number }
export interface RefreshGrant { clientId: string; scopes: string[]; audience: string; family: string; exp: number; used: boolean }

const CODE_SECS = 60;
const MAX_ENTRIES = 100_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** RFC 7636 S256: BASE64URL(SHA256(verifier)) equals the challenge (compared in constant time). */
export function pkceOk(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  const a = Buffer.from(sha256(verifier).toString('base64url'));
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}

function bounded<V>(m: Map<string, V>): void {
  if (m.size >= MAX_ENTRIES) m.delete(m.keys().next().value!);
}

export class Grants {
  private readonly codes = new Map<string, CodeGrant>();
  private readonly refresh = new Map<string, RefreshGrant>();
  /** family -> access token jtis issued from it (revoked with the family). */
  private readonly familyJtis = new Map<string, string[]>();
  private readonly revokedFamilies = new Set<string>();

  constructor(private readonly refreshSecs: number) {}

  newCode(g: Omit<CodeGrant, 'exp'>): string {
    const code = randomBytes(32).toString('base64url');
    bounded(this.codes);
    this.codes.set(sha256(code).toString('hex'), { ...g, exp: Date.now() + CODE_SECS * 1000 });
    return code;
  }

  /** The code's grant, once: a second use finds nothing. */
  takeCode(code: string): CodeGrant | undefined {
    const key = sha256(code).toString('hex');
    const g = this.codes.get(key);
    this.codes.delete(key);
    return g && g.exp > Date.now() ? g : undefined;
  }

  newRefresh(g: Omit<RefreshGrant, 'exp' | 'used' | 'family'>, family = randomBytes(12).toString('base64url')): string {
    const token = randomBytes(32).toString('base64url');
    bounded(this.refresh);
    this.refresh.set(sha256(token).toString('hex'), { ...g, family, exp: Date.now() + this.refreshSecs * 1000, used: false });
    return token;
  }

  /**
   * Uses a refresh token: its grant when valid (and marks it used), 'reused' when it was already rotated away (the
   * family is then revoked and its access tokens' jtis returned for revocation), undefined when unknown or expired.
   */
  useRefresh(token: string): RefreshGrant | { reused: string[] } | undefined {
    const g = this.refresh.get(sha256(token).toString('hex'));
    if (!g || g.exp <= Date.now() || this.revokedFamilies.has(g.family)) return undefined;
    if (g.used) {
      this.revokedFamilies.add(g.family);
      return { reused: this.familyJtis.get(g.family) ?? [] };
    }
    g.used = true;
    return g;
  }

  /** RFC 7009 for refresh tokens: the token's whole family ends; returns the access-token jtis to revoke (or undefined). */
  revokeRefresh(token: string, clientId: string): string[] | undefined {
    const g = this.refresh.get(sha256(token).toString('hex'));
    if (!g || g.clientId !== clientId) return undefined;
    this.revokedFamilies.add(g.family);
    return this.familyJtis.get(g.family) ?? [];
  }

  /** The family of a refresh token just issued. */
  familyOf(token: string): string | undefined {
    return this.refresh.get(sha256(token).toString('hex'))?.family;
  }

  noteAccessToken(family: string, jti: string): void {
    const list = this.familyJtis.get(family) ?? [];
    list.push(jti);
    if (!this.familyJtis.has(family)) { bounded(this.familyJtis); this.familyJtis.set(family, list); }
  }
}
