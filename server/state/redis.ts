/**
 * State in Redis (ioredis; Redis 7 or Valkey). The request path is one script call (`admit`), atomic on the server
 * and timed by the server's clock, so instances with skewed clocks still share one bucket. Commands are never
 * queued while disconnected (they fail at once and fail_mode decides); the client reconnects with backoff.
 * Every key has an expiry except permanent blocks (one per blocked client), the block index (pruned when listed or
 * unblocked) and the threat stream (trimmed to stream_max_events).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { ThreatQuery, ThreatRecord } from '../store/threat-store.js';
import { severityRank } from '../../engine/threats.js';
import type { StateConfig } from './config.js';
import type { StateKind } from './config.js';
import type { Admission, AdmitResult, BlockEntry, Bucket, SharedState } from './state.js';

// The bucket steps of bucket.ts, in Lua. Numbers leave Lua as strings (Lua numbers become integers in replies).
const BUCKET = `
local function bucket(k, rpm, burst, cost, take)
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local v = redis.call('GET', k)
  local rate = rpm / 60000
  local tokens = burst
  if v then
    local sep = string.find(v, ' ', 1, true)
    tokens = math.min(burst, tonumber(string.sub(v, 1, sep - 1)) + (now - tonumber(string.sub(v, sep + 1))) * rate)
  end
  local ok = 'ok'
  if take and tokens < 1 then ok = 'limited' else tokens = tokens - cost end
  -- One value "tokens at-ms", kept until the bucket would be full again (a missing bucket starts full).
  redis.call('SET', k, tostring(tokens) .. ' ' .. tostring(now), 'PX', math.ceil(math.max(0, burst - tokens) / rate) + 60000)
  return {ok, tostring(tokens)}
end
`;

/** ARGV[1] names the keys present, in order: r(evoked jti) b(locked client) n(once) k(bucket). */
const ADMIT = `${BUCKET}
local flags, i = ARGV[1], 0
local function has(c) if string.find(flags, c, 1, true) then i = i + 1; return KEYS[i] end end
local k = has('r'); if k and redis.call('EXISTS', k) == 1 then return {'revoked'} end
k = has('b'); if k and redis.call('EXISTS', k) == 1 then return {'blocked'} end
k = has('n'); if k and not redis.call('SET', k, '1', 'NX', 'PX', ARGV[2]) then return {'replay'} end
k = has('k'); if k then return bucket(k, tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), true) end
return {'ok'}
`;

const CHARGE = `${BUCKET}
bucket(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), false)
return 1
`;

/** KEYS[1] a sorted set of event times; ARGV: n, window ms, fire-at count, a unique id for this call's members. */
const WINDOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n, window, fireAt = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
for j = 1, n do redis.call('ZADD', KEYS[1], now, ARGV[4] .. ':' .. j) end
local count = redis.call('ZCARD', KEYS[1])
if count >= fireAt then redis.call('DEL', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], window) end
return count
`;

type Scripted = Redis & {
  kgAdmit(numKeys: number, ...args: Array<string | number>): Promise<string[]>;
  kgCharge(key: string, rpm: number, burst: number, cost: number): Promise<number>;
  kgWindow(key: string, n: number, windowMs: number, fireAt: number, id: string): Promise<number>;
};

const STREAM = 'threats';
const BLOCK_INDEX = 'blocked-index';
const MAX_PENDING_EVENTS = 10_000;

export interface RedisStateHooks {
  /** Threat events dropped because Redis could not take them (they stay in this instance's SQLite store). */
  onDropped(n: number): void;
  onConnection(up: boolean, detail: string): void;
}

export class RedisState implements SharedState {
  readonly backend = 'redis';
  private readonly redis: Scripted;
  private up = false;
  private pending: string[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly cfg: StateConfig, private readonly hooks: RedisStateHooks) {
    this.redis = new Redis(cfg.url, {
      keyPrefix: cfg.key_prefix,
      commandTimeout: cfg.timeout_ms,
      connectTimeout: Math.max(1000, cfg.timeout_ms),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      enableAutoPipelining: true,
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
      lazyConnect: false,
    }) as Scripted;
    this.redis.defineCommand('kgAdmit', { lua: ADMIT });
    this.redis.defineCommand('kgCharge', { numberOfKeys: 1, lua: CHARGE });
    this.redis.defineCommand('kgWindow', { numberOfKeys: 1, lua: WINDOW });
    this.redis.on('ready', () => { this.up = true; hooks.onConnection(true, 'connected'); });
    this.redis.on('error', (e: Error) => { if (this.up) hooks.onConnection(false, e.message); this.up = false; });
    this.redis.on('close', () => { if (this.up) hooks.onConnection(false, 'connection closed'); this.up = false; });
    this.timer = setInterval(() => this.flushThreats(), 200);
    this.timer.unref();
  }

  get healthy(): boolean { return this.up; }

  /** Resolves once connected, or rejects after `ms` (start-up: say plainly that Redis is not there). */
  ready(ms: number): Promise<void> {
    if (this.up) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => { this.redis.off('ready', ok); reject(new Error(`no answer from Redis at ${redactUrl(this.cfg.url)} within ${ms} ms`)); }, ms);
      const ok = () => { clearTimeout(t); resolve(); };
      this.redis.once('ready', ok);
    });
  }

  async admit(a: Admission): Promise<AdmitResult> {
    const keys: string[] = [];
    let flags = '';
    if (a.jti !== undefined) { flags += 'r'; keys.push(`rev:${a.jti}`); }
    if (a.clientId !== undefined) { flags += 'b'; keys.push(`blocked:${a.clientId}`); }
    if (a.nonce) { flags += 'n'; keys.push(a.nonce.key); }
    if (a.bucket) { flags += 'k'; keys.push(`tb:${a.bucket.key}`); }
    if (!keys.length) return { ok: true };
    const b = a.bucket;
    const r = await this.redis.kgAdmit(keys.length, ...keys, flags, a.nonce?.ttlMs ?? 0, b?.rpm ?? 0, b?.burst ?? 0, b?.cost ?? 0);
    const verdict = r[0];
    if (verdict === 'ok') return r[1] === undefined ? { ok: true } : { ok: true, tokens: Number(r[1]) };
    if (verdict === 'limited') return { ok: false, reason: 'limited', tokens: Number(r[1]) };
    return { ok: false, reason: verdict as 'revoked' | 'blocked' | 'replay' };
  }

  async charge(b: Bucket): Promise<void> {
    await this.redis.kgCharge(`tb:${b.key}`, b.rpm, b.burst, b.cost);
  }

  async standing(clientId: string, jti: string) {
    const [rev, blk] = await Promise.all([jti === '' ? 0 : this.redis.exists(`rev:${jti}`), this.redis.exists(`blocked:${clientId}`)]);
    return { revoked: rev === 1, blocked: blk === 1 };
  }

  async put(_kind: StateKind, key: string, value: string, ttlMs: number) { await this.redis.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs))); }
  async get(_kind: StateKind, key: string) { return (await this.redis.get(key)) ?? undefined; }
  async take(_kind: StateKind, key: string) { return (await this.redis.getdel(key)) ?? undefined; }
  async claim(_kind: StateKind, key: string, value: string, ttlMs: number) {
    // SET NX GET (Redis 7): sets only when absent, and answers what was there.
    const prev = await this.redis.call('SET', key, value, 'NX', 'GET', 'PX', String(Math.max(1, Math.ceil(ttlMs)))) as string | null;
    return prev ?? undefined;
  }
  async addMember(_kind: StateKind, key: string, member: string, ttlMs: number) {
    await this.redis.multi().sadd(key, member).pexpire(key, Math.max(1, Math.ceil(ttlMs))).exec();
  }
  async members(_kind: StateKind, key: string) { return this.redis.smembers(key); }

  async countWithin(key: string, n: number, windowMs: number, fireAt: number) {
    return this.redis.kgWindow(key, n, windowMs, fireAt, randomUUID());
  }

  async block(clientId: string, reason: string, untilMs?: number) {
    const entry = JSON.stringify({ reason, since: Date.now(), ...(untilMs !== undefined && { until: untilMs }) });
    const m = this.redis.multi();
    if (untilMs !== undefined) m.set(`blocked:${clientId}`, entry, 'PXAT', untilMs); else m.set(`blocked:${clientId}`, entry);
    await m.sadd(BLOCK_INDEX, clientId).exec();
  }

  async unblock(clientId: string) {
    const results = await this.redis.multi().del(`blocked:${clientId}`).srem(BLOCK_INDEX, clientId).exec();
    return results?.[0]?.[1] === 1;
  }

  async blocked(): Promise<BlockEntry[]> {
    const ids = await this.redis.smembers(BLOCK_INDEX);
    if (!ids.length) return [];
    const values = await this.redis.mget(ids.map((id) => `blocked:${id}`));
    const out: BlockEntry[] = [];
    const gone: string[] = [];
    ids.forEach((id, i) => {
      const v = values[i];
      if (!v) { gone.push(id); return; }
      const e = JSON.parse(v) as { reason: string; since: number; until?: number };
      out.push({ client_id: id, reason: e.reason, since: new Date(e.since).toISOString(), ...(e.until !== undefined && { until: new Date(e.until).toISOString() }) });
    });
    // Blocks that expired leave the index here (the index itself holds at most one entry per blocked client).
    if (gone.length) await this.redis.srem(BLOCK_INDEX, ...gone);
    return out;
  }

  publishThreats(records: ThreatRecord[]): void {
    for (const r of records) this.pending.push(JSON.stringify(r));
    if (this.pending.length > MAX_PENDING_EVENTS) {
      const dropped = this.pending.length - MAX_PENDING_EVENTS;
      this.pending.splice(0, dropped);
      this.hooks.onDropped(dropped);
    }
  }

  private flushThreats(): void {
    if (!this.pending.length || !this.up) return;
    const batch = this.pending;
    this.pending = [];
    const p = this.redis.pipeline();
    for (const e of batch) p.xadd(STREAM, 'MAXLEN', '~', this.cfg.stream_max_events, '*', 'e', e);
    p.exec().then((results) => {
      const failed = results?.filter(([err]) => err).length ?? batch.length;
      if (failed) this.hooks.onDropped(failed);
    }, () => this.hooks.onDropped(batch.length));
  }

  /** Newest first, from the shared stream (every instance's events). */
  async threats(q: ThreatQuery): Promise<ThreatRecord[]> {
    const limit = Math.max(1, Math.min(q.limit ?? 100, 1_000_000));
    const since = q.since === undefined ? undefined : typeof q.since === 'number' ? q.since : Date.parse(q.since);
    const out: ThreatRecord[] = [];
    let end = '+';
    for (;;) {
      const page = await this.redis.xrevrange(STREAM, end, since === undefined ? '-' : `${since}-0`, 'COUNT', 1000);
      for (const [, fields] of page) {
        const r = JSON.parse(fields[1]!) as ThreatRecord;
        if (q.severity && severityRank(r.severity) < severityRank(q.severity)) continue;
        if (q.client_id !== undefined && r.client_id !== q.client_id) continue;
        out.push(r);
        if (out.length >= limit) return out;
      }
      if (page.length < 1000) return out;
      end = `(${page[page.length - 1]![0]}`;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.flushThreats();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** A Redis URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}
