/**
 * The `auth:` section: OAuth 2.0 clients (bcrypt-hashed secrets), token lifetimes, resource indicators, signing keys.
 * Auth is on by default; with no clients configured nothing but /health, /ready, metrics and the OAuth metadata
 * answers without a token.
 */
import { bool, int, validateSection, type Check, sectionOf } from '../../engine/config.js';

export const SCOPES = ['scan', 'tools:execute', 'resources:read', 'prompts:read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ClientConfig {
  client_id: string;
  /** bcrypt hash (`kindly-guard hash-secret`); the secret itself never appears in config. Absent for public clients. */
  client_secret_hash?: string;
  allowed_scopes: Scope[];
  /** Resources (audiences) this client may ask tokens for; default: the global allowed_resources. */
  allowed_resources?: string[];
  /** A public client (a desktop or browser MCP client): no secret, authorization_code with PKCE (S256) only. */
  public?: boolean;
  /** Exact redirect URIs for authorization_code (required for public clients). */
  redirect_uris?: string[];
}

export interface AuthConfig {
  enabled: boolean;
  /** Issuer URL of the tokens; default http://<host>:<port> of the server. */
  issuer?: string;
  token_lifetime_secs: number;
  /** Refresh tokens (authorization_code only) live this long and rotate on every use. */
  refresh_token_lifetime_secs: number;
  require_resource_indicators: boolean;
  /** Resource URIs tokens may be issued for; default [issuer]. A token is accepted only by the resource it names. */
  allowed_resources: string[];
  /** Ed25519 private keys (PKCS#8 PEM files); the first signs, all verify (rotation by kid). None: an ephemeral key. */
  signing_key_files: string[];
  allowed_clients: ClientConfig[];
}

export const DEFAULT_AUTH: AuthConfig = {
  enabled: true, token_lifetime_secs: 900, refresh_token_lifetime_secs: 3600, require_resource_indicators: false, allowed_resources: [], signing_key_files: [], allowed_clients: [],
};

const url: Check = (v) => (typeof v === 'string' && /^https?:\/\/\S+$/.test(v) ? null : 'must be an http(s) URL');
const urls: Check = (v) => (Array.isArray(v) && v.every((x) => url(x) === null) ? null : 'must be a list of http(s) URLs');
const strings: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string' && x.length > 0) ? null : 'must be a list of file paths');
const scopes: Check = (v) => (Array.isArray(v) && v.every((x) => SCOPES.includes(x as Scope)) ? null : `must be a list of scopes (${SCOPES.join(', ')})`);

const AUTH_KEYS: Record<string, Check> = {
  enabled: bool, issuer: url, token_lifetime_secs: int(60, 86_400), refresh_token_lifetime_secs: int(60, 90 * 86_400), require_resource_indicators: bool,
  allowed_resources: urls, signing_key_files: strings,
};
const CLIENT_KEYS: Record<string, Check> = {
  client_id: (v) => (typeof v === 'string' && /^[\w.@:-]{1,64}$/.test(v) ? null : 'must be 1-64 characters of letters, digits, . @ : _ -'),
  client_secret_hash: (v) => (typeof v === 'string' && /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/.test(v) ? null : 'must be a bcrypt hash (kindly-guard hash-secret)'),
  allowed_scopes: scopes,
  allowed_resources: urls,
  public: bool,
  // Exact strings: https anywhere, http only for loopback (RFC 8252 native apps).
  redirect_uris: (v) => (Array.isArray(v) && v.length > 0 && v.every((u) => typeof u === 'string' && /^(https:\/\/\S+|http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(:\d+)?(\/\S*)?)$/.test(u))
    ? null : 'must be a list of https URLs (or http on a loopback address)'),
};

export function validateAuth(input: unknown, bad: (path: string, msg: string) => void): AuthConfig {
  const cfg: AuthConfig = structuredClone(DEFAULT_AUTH);
  const section = sectionOf(input, 'auth', bad);
  if (!section) return cfg;
  const { allowed_clients, ...rest } = section;
  validateSection(rest, AUTH_KEYS, 'auth', cfg as unknown as Record<string, unknown>, bad);
  if (allowed_clients === undefined) return cfg;
  if (!Array.isArray(allowed_clients)) { bad('auth.allowed_clients', 'must be a list'); return cfg; }
  const seen = new Set<string>();
  allowed_clients.forEach((c, i) => {
    const path = `auth.allowed_clients.${i}`;
    const entry: Partial<ClientConfig> = {};
    validateSection(c, CLIENT_KEYS, path, entry as Record<string, unknown>, bad);
    const given = (k: string) => k in entry || (c !== null && typeof c === 'object' && k in c);
    const required = entry.public ? ['client_id', 'allowed_scopes', 'redirect_uris'] : ['client_id', 'client_secret_hash', 'allowed_scopes'];
    for (const req of required) if (!given(req)) bad(`${path}.${req}`, entry.public && req === 'redirect_uris' ? 'is required for a public client' : 'is required');
    if (entry.public && given('client_secret_hash')) bad(`${path}.client_secret_hash`, 'a public client has no secret');
    if (entry.client_id && seen.has(entry.client_id)) bad(`${path}.client_id`, 'is listed twice');
    if (entry.client_id) seen.add(entry.client_id);
    if (required.every((k) => k in entry)) cfg.allowed_clients.push(entry as ClientConfig);
  });
  return cfg;
}
