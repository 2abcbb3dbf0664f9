/**
 * State of one process: maps with expiry (bounded: the oldest entries go first when full), blocked clients and
 * threat events in the SQLite store (so `kindly-guard unblock` and `export-threats` reach a running server).
 */
import type { ThreatStore, ThreatQuery, ThreatRecord } from '../store/threat-store.js';
import type { StateKind } from './config.js';
import type { Admission, AdmitResult, BlockEntry, Bucket, SharedState } from './state.js';
import { msUntilFull, stepBucket, type BucketState } from './bucket.js';

/**
 * A Map whose entries expire. Past `cap` entries it sweeps expired ones (at most once a second: a sweep is a walk
 * of the map); if still full, an `evictable` map drops its oldest entry, any other keeps growing. Security records
 * (revocations, nonces, pins, refresh-token marks) live in maps that never evict: they are bounded by what
 * authenticated clients can do and by their expiry, and an attacker who could evict them could undo them.
 */
class ExpiringMap<V> {
  private readonly m = new Map<string, { v: V; exp: number }>();
  private sweptAt = 0;

  constructor(private readonly cap: number, private readonly evictable: boolean) {}

  get(key: string, now = Date.now()): V | undefined {
    const e = this.m.get(key);
    if (!e) return undefined;
    if (e.exp <= now) { this.m.delete(key); return undefined; }
    return e.v;
  }

  set(key: string, v: V, ttlMs: number, now = Date.now()): void {
    if (this.m.size >= this.cap && !this.m.has(key)) {
      if (now - this.sweptAt > 1000) {
        this.sweptAt = now;
        for (const [k, e] of this.m) if (e.exp <= now) this.m.delete(k);
      }
      if (this.evictable && this.m.size >= this.cap) this.m.delete(this.m.keys().next().value!);
    }
    this.m.set(key, { v, exp: now + ttlMs });
  }

  delete(key: string): boolean { return this.m.delete(key); }
}

/** Keys anyone can create without authenticating (authorization codes): capped, oldest dropped first. */
const EVICTABLE = /^code:/;

export class MemoryState implements SharedState {
  readonly backend = 'memory';
  readonly healthy = true;
  private readonly values = new ExpiringMap<string>(200_000, false);
  private readonly codes = new ExpiringMap<string>(100_000, true);
  private readonly sets = new ExpiringMap<Set<string>>(200_000, false);
  // A lost bucket starts full again and a lost window empty: bounded, but each is someone's limit, so kept large.
  private readonly buckets = new ExpiringMap<BucketState>(200_000, true);
  private readonly windows = new ExpiringMap<number[]>(100_000, true);

  private mapOf(key: string) { return EVICTABLE.test(key) ? this.codes : this.values; }

  constructor(private readonly store: ThreatStore) {}

  admit(a: Admission): Promise<AdmitResult> {
    const now = Date.now();
    if (a.jti !== undefined && this.values.get(`rev:${a.jti}`, now) !== undefined) return Promise.resolve({ ok: false, reason: 'revoked' });
    if (a.clientId !== undefined && this.store.isBlocked(a.clientId)) return Promise.resolve({ ok: false, reason: 'blocked' });
    if (a.nonce) {
      if (this.values.get(a.nonce.key, now) !== undefined) return Promise.resolve({ ok: false, reason: 'replay' });
      this.values.set(a.nonce.key, '1', a.nonce.ttlMs, now);
    }
    if (!a.bucket) return Promise.resolve({ ok: true });
    const { state, ok } = this.step(a.bucket, now, true);
    return Promise.resolve(ok ? { ok: true, tokens: state.tokens } : { ok: false, reason: 'limited', tokens: state.tokens });
  }

  charge(b: Bucket): Promise<void> {
    this.step(b, Date.now(), false);
    return Promise.resolve();
  }

  private step(b: Bucket, now: number, take: boolean) {
    const r = stepBucket(this.buckets.get(b.key, now), now, b.rpm, b.burst, b.cost, take);
    // Kept until it would be full again (debt included), and a minute more.
    this.buckets.set(b.key, r.state, msUntilFull(r.state.tokens, b.rpm, b.burst) + 60_000, now);
    return r;
  }

  standing(clientId: string, jti: string) {
    return Promise.resolve({ revoked: jti !== '' && this.values.get(`rev:${jti}`) !== undefined, blocked: this.store.isBlocked(clientId) });
  }

  put(_kind: StateKind, key: string, value: string, ttlMs: number) { this.mapOf(key).set(key, value, ttlMs); return Promise.resolve(); }
  get(_kind: StateKind, key: string) { return Promise.resolve(this.mapOf(key).get(key)); }
  take(_kind: StateKind, key: string) {
    const map = this.mapOf(key);
    const v = map.get(key);
    map.delete(key);
    return Promise.resolve(v);
  }
  claim(_kind: StateKind, key: string, value: string, ttlMs: number) {
    const map = this.mapOf(key);
    const v = map.get(key);
    if (v === undefined) map.set(key, value, ttlMs);
    return Promise.resolve(v);
  }
  addMember(_kind: StateKind, key: string, member: string, ttlMs: number) {
    const s = this.sets.get(key) ?? new Set<string>();
    s.add(member);
    this.sets.set(key, s, ttlMs);
    return Promise.resolve();
  }
  members(_kind: StateKind, key: string) { return Promise.resolve([...(this.sets.get(key) ?? [])]); }

  countWithin(key: string, n: number, windowMs: number, fireAt: number) {
    const now = Date.now();
    const times = (this.windows.get(key, now) ?? []).filter((t) => now - t < windowMs);
    for (let i = 0; i < n; i++) times.push(now);
    const count = times.length;
    this.windows.set(key, count >= fireAt ? [] : times, windowMs, now);
    return Promise.resolve(count);
  }

  block(clientId: string, reason: string, untilMs?: number) { this.store.block(clientId, reason, untilMs); return Promise.resolve(); }
  unblock(clientId: string) { return Promise.resolve(this.store.unblock(clientId)); }
  blocked(): Promise<BlockEntry[]> { return Promise.resolve(this.store.blockedClients()); }

  /** The store already holds this process's events. */
  publishThreats(_records: ThreatRecord[]): void {}
  threats(q: ThreatQuery) { return Promise.resolve(this.store.threats(q)); }

  close() { return Promise.resolve(); }
}
