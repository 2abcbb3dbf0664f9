/**
 * fail_mode for shared state: wraps a backend that can fail (Redis) so that every failed or slow read becomes a
 * decision by the fail_mode of its kind of state: `closed` throws StateUnavailableError (the request is refused
 * with 503), `open` answers as if nothing were recorded (not revoked, not blocked, nonce fresh, bucket has room).
 * Writes that cannot be made always throw. Each such decision is counted (kindlyguard_state_degraded_total) and
 * logged.
 */
import type { Logger } from 'pino';
import type { ThreatQuery, ThreatRecord } from '../store/threat-store.js';
import type { FailMode, StateKind } from './config.js';
import { StateUnavailableError, type Admission, type AdmitResult, type BlockEntry, type Bucket, type SharedState } from './state.js';

export interface DegradeReport { stateDegraded(kind: string, decision: 'refused' | 'allowed' | 'dropped'): void }

export class FailSafeState implements SharedState {
  constructor(private readonly inner: SharedState, private readonly modes: Record<StateKind, FailMode>,
    private readonly metrics: DegradeReport, private readonly log: Logger) {}

  get backend() { return this.inner.backend; }
  get healthy() { return this.inner.healthy; }

  /** Every degraded decision is counted and logged; returns the cause, for the error. */
  private degraded(kind: StateKind, op: string, decision: 'refused' | 'allowed' | 'dropped', e: unknown): string {
    const cause = (e as Error)?.message ?? String(e);
    this.metrics.stateDegraded(kind, decision);
    this.log.warn({ event: 'state_degraded', kind, op, decision, err: cause }, 'shared state unavailable: fail_mode decides');
    return cause;
  }

  /**
   * A write that cannot be made (a revocation, a grant, a block) is an error whatever fail_mode says: `open` lets
   * requests through while the store is away, it must not let a revocation be answered as done and then be lost.
   */
  private async write(kind: StateKind, op: string, f: () => Promise<void>): Promise<void> {
    try {
      await f();
    } catch (e) {
      throw new StateUnavailableError(kind, this.degraded(kind, op, 'refused', e));
    }
  }

  /** Runs op; on failure each kind involved decides: any closed one refuses, else the open answer stands. */
  private async run<T>(kinds: StateKind[], op: string, f: () => Promise<T>, open: T): Promise<T> {
    try {
      return await f();
    } catch (e) {
      let cause = '';
      for (const k of kinds) cause = this.degraded(k, op, this.modes[k] === 'closed' ? 'refused' : 'allowed', e);
      const refusing = kinds.find((k) => this.modes[k] === 'closed');
      if (refusing) throw new StateUnavailableError(refusing, cause);
      return open;
    }
  }

  admit(a: Admission): Promise<AdmitResult> {
    const kinds: StateKind[] = [];
    if (a.jti !== undefined) kinds.push('tokens');
    if (a.clientId !== undefined) kinds.push('blocks');
    if (a.nonce) kinds.push('replay');
    if (a.bucket) kinds.push('rate_limit');
    return this.run(kinds, 'admit', () => this.inner.admit(a), { ok: true });
  }

  charge(b: Bucket): Promise<void> {
    // Nothing to refuse after the fact: a lost charge is only counted.
    return this.inner.charge(b).catch((e: Error) => { this.degraded('rate_limit', 'charge', 'dropped', e); });
  }

  standing(clientId: string, jti: string) {
    return this.run(jti === '' ? ['blocks'] : ['tokens', 'blocks'], 'standing', () => this.inner.standing(clientId, jti), { revoked: false, blocked: false });
  }

  put(kind: StateKind, key: string, value: string, ttlMs: number) { return this.write(kind, 'put', () => this.inner.put(kind, key, value, ttlMs)); }
  get(kind: StateKind, key: string) { return this.run([kind], 'get', () => this.inner.get(kind, key), undefined); }
  take(kind: StateKind, key: string) { return this.run([kind], 'take', () => this.inner.take(kind, key), undefined); }
  claim(kind: StateKind, key: string, value: string, ttlMs: number) { return this.run([kind], 'claim', () => this.inner.claim(kind, key, value, ttlMs), undefined); }
  addMember(kind: StateKind, key: string, member: string, ttlMs: number) { return this.write(kind, 'add', () => this.inner.addMember(kind, key, member, ttlMs)); }
  members(kind: StateKind, key: string) { return this.run([kind], 'members', () => this.inner.members(kind, key), [] as string[]); }
  countWithin(key: string, n: number, windowMs: number, fireAt: number) {
    return this.run(['blocks'], 'count', () => this.inner.countWithin(key, n, windowMs, fireAt), 0);
  }
  block(clientId: string, reason: string, untilMs?: number) { return this.write('blocks', 'block', () => this.inner.block(clientId, reason, untilMs)); }
  /** Operator commands: a failure is an error to show, not a decision. */
  unblock(clientId: string) { return this.inner.unblock(clientId); }
  blocked(): Promise<BlockEntry[]> { return this.inner.blocked(); }
  publishThreats(records: ThreatRecord[]) { this.inner.publishThreats(records); }
  threats(q: ThreatQuery) { return this.inner.threats(q); }
  close() { return this.inner.close(); }
}
