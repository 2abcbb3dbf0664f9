/**
 * The shared-state contract, run against both backends (memory, and a real Redis): admission (revoked, blocked,
 * replay, rate limit, in that order), bucket refill and debt, key-value with expiry, set-if-absent, sets, incident
 * windows, blocks, threat events; then fail_mode when Redis is gone, and recovery when it returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { ThreatStore, threatRecords } from '../server/store/threat-store.js';
import { MemoryState } from '../server/state/memory.js';
import { RedisState } from '../server/state/redis.js';
import { FailSafeState } from '../server/state/fail-safe.js';
import { DEFAULT_STATE, validateState, type StateConfig } from '../server/state/config.js';
import { StateUnavailableError, type SharedState } from '../server/state/state.js';
import { startRedis, type TestRedis } from '../scripts/redis-server.js';

const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let redis: TestRedis;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis?.stop(); });

interface Backend { state: SharedState; store: ThreatStore; close(): Promise<void> }
let prefixes = 0;

function redisConfig(over: Partial<StateConfig> = {}): StateConfig {
  // A prefix per backend instance: tests do not see each other's keys.
  return { ...DEFAULT_STATE, backend: 'redis', url: redis.url, key_prefix: `t${prefixes++}:`, ...over };
}

const backends: Record<string, () => Promise<Backend>> = {
  memory: async () => {
    const store = new ThreatStore({ path: ':memory:', retentionDays: 1, maxEvents: 10_000 });
    return { state: new MemoryState(store), store, close: async () => store.close() };
  },
  redis: async () => {
    const store = new ThreatStore({ path: ':memory:', retentionDays: 1, maxEvents: 10_000 });
    const r = new RedisState(redisConfig(), { onDropped() {}, onConnection() {} });
    await r.ready(5000);
    return { state: r, store, close: async () => { await r.close(); store.close(); } };
  },
};

describe.each(Object.keys(backends))('shared state: %s', (name) => {
  let b: Backend;
  beforeAll(async () => { b = await backends[name]!(); });
  afterAll(async () => { await b.close(); });

  it('a bucket lets burst requests through, then refuses; it refills at rpm/60 a second', async () => {
    const bucket = { key: 'c\u0000scan', rpm: 600, burst: 3, cost: 1 };
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await b.state.admit({ bucket }));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(results[3]).toMatchObject({ reason: 'limited' });
    await sleep(250); // 600 rpm: 10 a second, so 2 are back
    expect((await b.state.admit({ bucket })).ok).toBe(true);
    // Another key (client or method) has its own bucket.
    expect((await b.state.admit({ bucket: { ...bucket, key: 'd\u0000scan' } })).ok).toBe(true);
  });

  it('charge puts a bucket into debt that refill must pay back first', async () => {
    const bucket = { key: 'debtor', rpm: 60, burst: 2, cost: 1 };
    expect((await b.state.admit({ bucket })).ok).toBe(true);
    await b.state.charge({ ...bucket, cost: 4 });
    const r = await b.state.admit({ bucket });
    expect(r).toMatchObject({ ok: false, reason: 'limited' });
    expect((r as { tokens: number }).tokens).toBeLessThan(-2);
  });

  it('admission checks a revoked token, a blocked client and a replayed nonce, in that order, before the bucket', async () => {
    const bucket = { key: 'order', rpm: 60, burst: 1, cost: 1 };
    await b.state.put('tokens', 'rev:j1', '1', 10_000);
    expect(await b.state.admit({ clientId: 'ok-client', jti: 'j1', bucket })).toEqual({ ok: false, reason: 'revoked' });
    await b.state.block('bad-client', 'test');
    expect(await b.state.admit({ clientId: 'bad-client', jti: 'j2', bucket })).toEqual({ ok: false, reason: 'blocked' });
    const nonce = { key: 'nonce:1:x:abc', ttlMs: 10_000 };
    expect((await b.state.admit({ clientId: 'ok-client', jti: 'j2', nonce, bucket })).ok).toBe(true);
    expect(await b.state.admit({ clientId: 'ok-client', jti: 'j2', nonce, bucket })).toEqual({ ok: false, reason: 'replay' });
    // None of the refusals took from the bucket before it: the one admitted request did, so it is now empty.
    expect(await b.state.admit({ bucket })).toMatchObject({ ok: false, reason: 'limited' });
    expect(await b.state.standing('bad-client', 'j1')).toEqual({ revoked: true, blocked: true });
    expect(await b.state.standing('ok-client', '')).toEqual({ revoked: false, blocked: false });
  });

  it('values expire; take reads once; claim sets only when absent and answers what was there', async () => {
    await b.state.put('tokens', 'short', 'v', 50);
    expect(await b.state.get('tokens', 'short')).toBe('v');
    await sleep(120);
    expect(await b.state.get('tokens', 'short')).toBeUndefined();
    await b.state.put('tokens', 'code', 'grant', 10_000);
    expect(await b.state.take('tokens', 'code')).toBe('grant');
    expect(await b.state.take('tokens', 'code')).toBeUndefined();
    expect(await b.state.claim('pins', 'pin', 'h1', 10_000)).toBeUndefined();
    expect(await b.state.claim('pins', 'pin', 'h2', 10_000)).toBe('h1');
    expect(await b.state.get('pins', 'pin')).toBe('h1');
    await b.state.addMember('tokens', 'fam', 'a', 10_000);
    await b.state.addMember('tokens', 'fam', 'b', 10_000);
    await b.state.addMember('tokens', 'fam', 'a', 10_000);
    expect((await b.state.members('tokens', 'fam')).sort()).toEqual(['a', 'b']);
    expect(await b.state.members('tokens', 'nothing')).toEqual([]);
  });

  it('an incident window counts within its span and starts again once it reaches the count', async () => {
    expect(await b.state.countWithin('inc:r:c', 1, 10_000, 3)).toBe(1);
    expect(await b.state.countWithin('inc:r:c', 1, 10_000, 3)).toBe(2);
    expect(await b.state.countWithin('inc:r:c', 2, 10_000, 3)).toBe(4); // fires
    expect(await b.state.countWithin('inc:r:c', 1, 10_000, 3)).toBe(1); // a new window
    expect(await b.state.countWithin('inc:short:c', 2, 50, 10)).toBe(2);
    await sleep(120);
    expect(await b.state.countWithin('inc:short:c', 1, 50, 10)).toBe(1); // the old ones left the window
  });

  it('blocks: listed, timed ones lapse, unblock lifts (and says whether there was a block)', async () => {
    await b.state.block('timed', 'rule-a', Date.now() + 100);
    await b.state.block('forever', 'rule-b');
    const ids = (await b.state.blocked()).map((e) => e.client_id);
    expect(ids).toEqual(expect.arrayContaining(['timed', 'forever']));
    expect((await b.state.blocked()).find((e) => e.client_id === 'forever')).toMatchObject({ reason: 'rule-b' });
    await sleep(250);
    if (name === 'memory') b.store.unblock('nobody'); // the store re-reads its list after a change
    expect((await b.state.standing('timed', '')).blocked).toBe(false);
    expect((await b.state.blocked()).map((e) => e.client_id)).not.toContain('timed');
    expect(await b.state.unblock('forever')).toBe(true);
    expect(await b.state.unblock('forever')).toBe(false);
    expect((await b.state.standing('forever', '')).blocked).toBe(false);
  });

  it('threat events come back newest first, filtered by client and severity', async () => {
    const now = Date.now();
    const events = [
      threatRecords('alice', 'scan', [{ type: 'xss', severity: 'high', offset: 0, length: 1, description: 'x' }], true, now),
      threatRecords('bob', 'scan', [{ type: 'sql_injection', severity: 'medium', offset: 0, length: 1, description: 'y' }], false, now + 1),
    ];
    for (const [i, recs] of events.entries()) {
      // The memory backend's events are the SQLite store's; Redis gets them published (as ctx.report does).
      if (name === 'memory') b.store.record(recs[0]!.client_id, 'scan', [{ type: recs[0]!.type, severity: recs[0]!.severity, offset: 0, length: 1, description: recs[0]!.description }], recs[0]!.blocked, now + i);
      else b.state.publishThreats(recs);
    }
    await sleep(400);
    const all = await b.state.threats({ limit: 10 });
    expect(all.map((r) => r.client_id)).toEqual(['bob', 'alice']);
    expect((await b.state.threats({ client_id: 'alice' })).map((r) => r.type)).toEqual(['xss']);
    expect((await b.state.threats({ severity: 'high' })).map((r) => r.client_id)).toEqual(['alice']);
  });
});

describe('memory state under pressure', () => {
  it('a flood of unauthenticated codes cannot evict a revocation or a pin (codes are capped on their own)', async () => {
    const store = new ThreatStore({ path: ':memory:', retentionDays: 1, maxEvents: 10_000 });
    const m = new MemoryState(store);
    await m.put('tokens', 'rev:victim', '1', 60_000);
    await m.claim('pins', 'pin:u:tool', 'h1', 60_000);
    const t0 = performance.now();
    for (let i = 0; i < 250_000; i++) await m.put('tokens', `code:${i}`, 'g', 60_000);
    const perPut = (performance.now() - t0) / 250_000;
    expect(await m.standing('c', 'victim')).toEqual({ revoked: true, blocked: false });
    expect(await m.claim('pins', 'pin:u:tool', 'h2', 60_000)).toBe('h1');
    expect(await m.get('tokens', 'code:0')).toBeUndefined(); // the oldest codes went
    expect(await m.get('tokens', 'code:249999')).toBe('g');
    // No walk of the whole map per write once it is full (a walk is at most once a second).
    expect(perPut).toBeLessThan(0.1);
    store.close();
  });
});

describe('fail_mode when Redis is slow or gone', () => {
  const degraded: string[] = [];
  const report = { stateDegraded: (kind: string, decision: string) => { degraded.push(`${kind}:${decision}`); } };

  it('closed (the default) refuses with StateUnavailableError; open lets through; each decision is counted', async () => {
    const dead = new RedisState({ ...redisConfig(), url: 'redis://127.0.0.1:1', timeout_ms: 50 }, { onDropped() {}, onConnection() {} });
    try {
      const closed = new FailSafeState(dead, DEFAULT_STATE.fail_mode, report, silent);
      await expect(closed.admit({ clientId: 'c', jti: 'j', bucket: { key: 'k', rpm: 1, burst: 1, cost: 1 } })).rejects.toBeInstanceOf(StateUnavailableError);
      expect(degraded).toEqual(['tokens:refused', 'blocks:refused', 'rate_limit:refused']);
      degraded.length = 0;
      const open = new FailSafeState(dead, { ...DEFAULT_STATE.fail_mode, rate_limit: 'open', tokens: 'open', blocks: 'open' }, report, silent);
      expect(await open.admit({ clientId: 'c', jti: 'j', bucket: { key: 'k', rpm: 1, burst: 1, cost: 1 } })).toEqual({ ok: true });
      expect(degraded).toEqual(['tokens:allowed', 'blocks:allowed', 'rate_limit:allowed']);
      // Mixed: one closed kind involved is enough to refuse.
      const mixed = new FailSafeState(dead, { ...DEFAULT_STATE.fail_mode, rate_limit: 'open' }, report, silent);
      await expect(mixed.admit({ nonce: { key: 'n', ttlMs: 1000 }, bucket: { key: 'k', rpm: 1, burst: 1, cost: 1 } })).rejects.toMatchObject({ kind: 'replay' });
      expect(await mixed.admit({ bucket: { key: 'k', rpm: 1, burst: 1, cost: 1 } })).toEqual({ ok: true });
      await expect(closed.claim('pins', 'p', 'h', 1000)).rejects.toBeInstanceOf(StateUnavailableError);
      // Writes are refused whatever the mode: a revocation answered as done must not be lost.
      await expect(open.put('tokens', 'rev:j', '1', 1000)).rejects.toBeInstanceOf(StateUnavailableError);
      await expect(open.block('c', 'rule')).rejects.toBeInstanceOf(StateUnavailableError);
    } finally { await dead.close(); }
  });

  it('Redis killed mid-run: refused at once (no queue), then decisions resume when it is back', async () => {
    const ups: boolean[] = [];
    const r = new RedisState(redisConfig({ timeout_ms: 200 }), { onDropped() {}, onConnection: (up) => ups.push(up) });
    const s = new FailSafeState(r, DEFAULT_STATE.fail_mode, report, silent);
    try {
      await r.ready(5000);
      const bucket = { key: 'k', rpm: 6000, burst: 100, cost: 1 };
      expect((await s.admit({ bucket })).ok).toBe(true);
      await redis.stop();
      await sleep(100);
      expect(r.healthy).toBe(false);
      const t0 = performance.now();
      await expect(s.admit({ bucket })).rejects.toBeInstanceOf(StateUnavailableError);
      expect(performance.now() - t0).toBeLessThan(1000); // failed, not queued until a timeout far away
      await redis.start();
      await r.ready(10_000);
      expect((await s.admit({ bucket })).ok).toBe(true);
      expect(ups).toEqual([true, false, true]);
    } finally { await r.close(); }
  });
});

describe('state config', () => {
  it('defaults to memory, fail_mode closed for every kind; accepts one mode or one per kind; names bad keys', () => {
    const bad: string[] = [];
    const push = (p: string, m: string) => bad.push(`${p}: ${m}`);
    expect(validateState({}, push)).toEqual(DEFAULT_STATE);
    expect(validateState({ state: { backend: 'redis', fail_mode: 'open' } }, push).fail_mode.replay).toBe('open');
    expect(validateState({ state: { fail_mode: { rate_limit: 'open' } } }, push).fail_mode).toMatchObject({ rate_limit: 'open', tokens: 'closed' });
    expect(bad).toEqual([]);
    validateState({ state: { backend: 'mongo', url: 'http://x', fail_mode: { nonces: 'open' }, timeout: 5 } }, push);
    expect(bad).toEqual([
      'state.backend: must be one of memory, redis', 'state.url: must be a redis:// or rediss:// URL', 'state.timeout: unknown key',
      'state.fail_mode.nonces: unknown key',
    ]);
  });
});
