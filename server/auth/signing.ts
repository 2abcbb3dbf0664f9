/**
 * Request signing after RFC 9421 (HTTP Message Signatures), the subset a gateway client needs: Ed25519 over the
 * signature base of `"@method"`, `"@path"` and `"content-digest"` (RFC 9530, sha-256 of the body), with the
 * parameters `created`, `nonce`, `keyid` (the client id) and `alg="ed25519"`. The server checks the digest, the
 * signature with the client's public key from config, `created` within `timestamp_tolerance_secs`, and that the nonce
 * was not seen before (in the shared state, remembered until it is too old to pass the time check anyway).
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { bool, int, validateSection, type Check, sectionOf } from '../../engine/config.js';
import { AuthError } from './tokens.js';

export interface SigningConfig {
  require_signed_requests: boolean;
  timestamp_tolerance_secs: number;
  /** client id -> Ed25519 public key (SPKI PEM, or its base64 body). */
  public_keys: Record<string, string>;
}

export const DEFAULT_SIGNING: SigningConfig = { require_signed_requests: false, timestamp_tolerance_secs: 60, public_keys: {} };

function toKey(text: string): KeyObject {
  const pem = text.includes('BEGIN') ? text : `-----BEGIN PUBLIC KEY-----\n${text.replace(/\s+/g, '')}\n-----END PUBLIC KEY-----\n`;
  return createPublicKey(pem);
}

const publicKey: Check = (v) => {
  if (typeof v !== 'string') return 'must be an Ed25519 public key (SPKI PEM or base64)';
  try { return toKey(v).asymmetricKeyType === 'ed25519' ? null : 'must be an Ed25519 key'; } catch { return 'must be an Ed25519 public key (SPKI PEM or base64)'; }
};

export function validateSigning(input: unknown, bad: (path: string, msg: string) => void): SigningConfig {
  const cfg: SigningConfig = structuredClone(DEFAULT_SIGNING);
  const section = sectionOf(input, 'signing', bad);
  if (!section) return cfg;
  const { public_keys, ...rest } = section;
  validateSection(rest, { require_signed_requests: bool, timestamp_tolerance_secs: int(1, 3600) }, 'signing', cfg as unknown as Record<string, unknown>, bad);
  if (public_keys !== undefined && public_keys !== null) {
    if (typeof public_keys !== 'object' || Array.isArray(public_keys)) bad('signing.public_keys', 'must be a mapping of client id to public key');
    else validateSection(public_keys, Object.fromEntries(Object.keys(public_keys).map((k) => [k, publicKey])), 'signing.public_keys', cfg.public_keys, bad);
  }
  return cfg;
}

export function contentDigest(body: Uint8Array): string {
  return `sha-256=:${createHash('sha256').update(body).digest('base64')}:`;
}

const COMPONENTS = ['@method', '@path', 'content-digest'];

function signatureBase(method: string, path: string, digest: string, params: string): string {
  return `"@method": ${method.toUpperCase()}\n"@path": ${path}\n"content-digest": ${digest}\n"@signature-params": ${params}`;
}

/** Headers that sign a request (for clients and tests): Content-Digest, Signature-Input, Signature. */
export function signRequest(o: { method: string; path: string; body: Uint8Array; keyid: string; privateKey: KeyObject; nonce: string; created?: number }) {
  const digest = contentDigest(o.body);
  const params = `(${COMPONENTS.map((c) => `"${c}"`).join(' ')});created=${o.created ?? Math.floor(Date.now() / 1000)};nonce="${o.nonce}";keyid="${o.keyid}";alg="ed25519"`;
  const sig = sign(null, Buffer.from(signatureBase(o.method, o.path, digest, params)), o.privateKey).toString('base64');
  return { 'content-digest': digest, 'signature-input': `sig1=${params}`, signature: `sig1=:${sig}:` };
}

export interface SignatureHeaders { input: string; signature: string; digest: string }

/** The signature headers of a uWS request (its headers are readable only while its handler runs). */
export function signatureHeaders(req: { getHeader(name: string): string }): SignatureHeaders {
  return { input: req.getHeader('signature-input'), signature: req.getHeader('signature'), digest: req.getHeader('content-digest') };
}

/** A verified signature's nonce, to be spent once in the shared state (see SharedState.admit). */
export interface NonceClaim { key: string; ttlMs: number }

export class SignatureVerifier {
  private readonly keys: Map<string, KeyObject>;

  constructor(private readonly cfg: SigningConfig, private readonly requiredFor: (clientId: string | undefined) => boolean) {
    this.keys = new Map(Object.entries(cfg.public_keys).map(([id, k]) => [id, toKey(k)]));
  }

  get active(): boolean { return this.keys.size > 0 || this.cfg.require_signed_requests; }

  /**
   * Checks a request's signature. `clientId` is the authenticated client (undefined with auth off: then keyid names
   * the client). Throws AuthError; returns the nonce to spend (it must not have been seen while the signature is
   * fresh: the caller's admission refuses a replay), or undefined for an unsigned request allowed so.
   */
  check(h: SignatureHeaders, method: string, path: string, body: Uint8Array, clientId: string | undefined): NonceClaim | undefined {
    if (!h.input && !h.signature) {
      if (this.cfg.require_signed_requests || this.requiredFor(clientId)) throw new AuthError('invalid_request', 'this request must be signed (Signature-Input, Signature, Content-Digest)');
      return undefined;
    }
    const m = /^(\w[\w-]*)=\(([^)]*)\)((?:;[a-z]+=(?:\d+|"[^"\\]*"))+)$/.exec(h.input.trim());
    const sigm = m && new RegExp(`^${m[1]}=:([A-Za-z0-9+/]+=*):$`).exec(h.signature.trim());
    if (!m || !sigm) throw new AuthError('invalid_signature', 'malformed Signature-Input or Signature');
    const covered = m[2]!.trim().split(/\s+/).map((c) => c.replace(/^"|"$/g, ''));
    if (COMPONENTS.some((c) => !covered.includes(c)) || covered.length !== COMPONENTS.length) {
      throw new AuthError('invalid_signature', `the signature must cover exactly ${COMPONENTS.join(', ')}`);
    }
    const params = new Map([...m[3]!.matchAll(/;([a-z]+)=(\d+|"[^"\\]*")/g)].map((p) => [p[1]!, p[2]!.replace(/^"|"$/g, '')]));
    const created = Number(params.get('created')), nonce = params.get('nonce'), keyid = params.get('keyid');
    if (!Number.isSafeInteger(created) || !nonce || !keyid) throw new AuthError('invalid_signature', 'created, nonce and keyid are required');
    if (params.has('alg') && params.get('alg') !== 'ed25519') throw new AuthError('invalid_signature', 'alg must be ed25519');
    if (clientId !== undefined && keyid !== clientId) throw new AuthError('invalid_signature', 'keyid is not the authenticated client');
    const key = this.keys.get(keyid);
    if (!key) throw new AuthError('invalid_signature', 'no public key for this keyid');
    const now = Date.now() / 1000;
    if (Math.abs(now - created) > this.cfg.timestamp_tolerance_secs) throw new AuthError('invalid_signature', 'signature too old or from the future');
    if (h.digest !== contentDigest(body)) throw new AuthError('invalid_signature', 'Content-Digest does not match the body');
    const base = signatureBase(method, path, h.digest, `(${m[2]})${m[3]}`);
    if (!verify(null, Buffer.from(base), key, Buffer.from(sigm[1]!, 'base64'))) throw new AuthError('invalid_signature', 'signature does not verify');
    // Only a verified signature spends its nonce (a forged one must not block the real one); it need be remembered
    // only while the signature would pass the time check.
    return { key: `nonce:${keyid.length}:${keyid}:${nonce}`, ttlMs: Math.max(1, Math.ceil((created + this.cfg.timestamp_tolerance_secs - now) * 1000)) };
  }
}
