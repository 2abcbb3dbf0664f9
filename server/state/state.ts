/**
 * The state gateway processes share. One interface, two implementations: MemoryState (one process; blocked
 * clients and threat events in the SQLite store) and RedisState (many processes, on several machines). The request
 * path makes one call, `admit`, which checks a token's revocation, the client's block, a signature nonce and takes
 * from a rate-limit bucket at once (one round trip to Redis). The rest are small key-value operations with expiry,
 * so nothing grows without bound.
 */
import type { ThreatQuery, ThreatRecord } from '../store/threat-store.js';
import type { StateKind } from './config.js';

export interface Bucket { key: string; rpm: number; burst: number; cost: number }

export interface Admission {
  /** The authenticated client (blocked clients are refused). */
  clientId?: string;
  /** The access token's id (revoked tokens are refused). */
  jti?: string;
  /** A verified signature's nonce: refused when seen within ttlMs. */
  nonce?: { key: string; ttlMs: number };
  bucket?: Bucket;
}

export type AdmitResult =
  | { ok: true; tokens?: number }
  | { ok: false; reason: 'revoked' | 'blocked' | 'replay' }
  | { ok: false; reason: 'limited'; tokens: number };

export interface BlockEntry { client_id: string; reason: string; since: string; until?: string }

export interface SharedState {
  readonly backend: 'memory' | 'redis';
  /** The checks of one request, in this order: revoked token, blocked client, replayed nonce, rate limit. */
  admit(a: Admission): Promise<AdmitResult>;
  /** Extra bucket cost after the fact (the bucket may go into debt). */
  charge(b: Bucket): Promise<void>;
  /** Revoked and blocked, for routes that take no bucket (WebSocket upgrade, introspection). */
  standing(clientId: string, jti: string): Promise<{ revoked: boolean; blocked: boolean }>;

  /**
   * Key-value with expiry (grants, revocations, pins); `kind` says whose fail_mode applies. `claim` sets only if
   * absent and returns the value found.
   */
  put(kind: StateKind, key: string, value: string, ttlMs: number): Promise<void>;
  get(kind: StateKind, key: string): Promise<string | undefined>;
  /** Get and delete at once (single-use authorization codes). */
  take(kind: StateKind, key: string): Promise<string | undefined>;
  claim(kind: StateKind, key: string, value: string, ttlMs: number): Promise<string | undefined>;
  /** A set with expiry (access-token ids of a refresh family). */
  addMember(kind: StateKind, key: string, member: string, ttlMs: number): Promise<void>;
  members(kind: StateKind, key: string): Promise<string[]>;

  /**
   * Adds `n` events to a sliding window and returns how many are inside it (incident rules); a window that reaches
   * `fireAt` starts again empty, at once for every instance (one of them fires).
   */
  countWithin(key: string, n: number, windowMs: number, fireAt: number): Promise<number>;

  block(clientId: string, reason: string, untilMs?: number): Promise<void>;
  unblock(clientId: string): Promise<boolean>;
  blocked(): Promise<BlockEntry[]>;

  /** Threat events every instance can read (memory: this process's SQLite store). */
  publishThreats(records: ThreatRecord[]): void;
  threats(q: ThreatQuery): Promise<ThreatRecord[]>;

  /** Up (memory: always) — /ready says not ready while a `closed` kind cannot be decided. */
  readonly healthy: boolean;
  close(): Promise<void>;
}

/** The store could not answer and fail_mode for `kind` is closed. */
export class StateUnavailableError extends Error {
  readonly code = 'KG_ERR_STATE_UNAVAILABLE';
  constructor(readonly kind: StateKind, cause: string) { super(`shared state unavailable (${kind}): ${cause}`); }
}
