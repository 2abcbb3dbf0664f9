/**
 * State of one process: maps with expiry (bounded: the oldest entries go first when full), blocked clients and
 * threat events in the SQLite store (so `kindly-guard unblock` and `export-threats` reach a running server).
 */
import type { ThreatStore, ThreatQuery, ThreatRecord } from '../store/threat-store.js';
import type { StateKind } from './config.js';
import type { Admission, AdmitResult, BlockEntry, Bucket, SharedState } from './state.js';
import { stepBucket, type BucketState } from './bucket.js';

const MAX_ENTRIES = 200_000;

/** A Map whose entries expire; full, it drops expired entries, then the oldest. */
class ExpiringMap<V> {
  private readonly m = new Map<string, { v: V; exp: number }>();

  get(key: string, now = Date.now()): V | undefined {
    const e = this.m.get(key);
    if (!e) return undefined;
    if (e.exp <= now) { this.m.delete(key); return undefined; }
    return e.v;
  }

  set(key: string, v: V, ttlMs: number, now = Date.now()): void {
    if (this.m.size >= MAX_ENTRIES && !this.m.has(key)) {
      for (const [k, e] of this.m) if (e.exp <= now) this.m.delete(k);
      while (this.m.size >= MAX_ENTRIES) this.m.delete(this.m.keys().next().value!);
    }
    this.m.set(key, { v, exp: now + ttlMs });
  }

  delete(key: string): boolean { return this.m.delete(key); }
}

export class MemoryState implements SharedState {
  readonly backend = 'memory';
  readonly healthy = true;
  private readonly values = new ExpiringMap<string>();
  private readonly sets = new ExpiringMap<Set<string>>();
  private readonly buckets = new ExpiringMap<BucketState>();
  private readonly windows = new ExpiringMap<number[]>();

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
    // An idle bucket is full again after burst/rate; a minute past that it is not worth keeping.
    this.buckets.set(b.key, r.state, Math.ceil(b.burst / (b.rpm / 60_000)) + 60_000, now);
    return r;
  }

  standing(clientId: string, jti: string) {
    return Promise.resolve({ revoked: jti !== '' && this.values.get(`rev:${jti}`) !== undefined, blocked: this.store.isBlocked(clientId) });
  }

  put(_kind: StateKind, key: string, value: string, ttlMs: number) { this.values.set(key, value, ttlMs); return Promise.resolve(); }
  get(_kind: StateKind, key: string) { return Promise.resolve(this.values.get(key)); }
  take(_kind: StateKind, key: string) {
    const v = this.values.get(key);
    this.values.delete(key);
    return Promise.resolve(v);
  }
  claim(_kind: StateKind, key: string, value: string, ttlMs: number) {
    const v = this.values.get(key);
    if (v === undefined) this.values.set(key, value, ttlMs);
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
