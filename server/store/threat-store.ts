/**
 * The threat store: every threat event, per-client activity and the blocked-client list in an embedded SQLite
 * database (better-sqlite3, WAL), so the server, `kindly-guard --stdio`, `export-threats` and `unblock` see the same
 * data. Writes never wait on the request path: events are buffered and written in one transaction every 200 ms (and
 * on close, so a clean shutdown loses nothing). Retention by age and by count runs with the writes.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SEVERITIES, severityRank, type Severity, type Threat } from '../../engine/threats.js';

export interface ThreatRecord {
  time: string;
  client_id: string;
  route: string;
  type: Threat['type'];
  severity: Severity;
  blocked: boolean;
  description: string;
  rule?: string;
  path?: string;
}

export interface ClientActivity {
  client_id: string;
  first_seen: string;
  last_seen: string;
  requests: number;
  threats: number;
  blocked: number;
  by_type: Record<string, number>;
}

export interface ThreatQuery { limit?: number; since?: string | number; severity?: Severity; client_id?: string }

export interface StoreOptions { path: string; retentionDays: number; maxEvents: number }

const SCHEMA = `
create table if not exists threats (id integer primary key, time integer not null, client_id text not null, route text not null,
  type text not null, severity integer not null, blocked integer not null, description text not null, rule text, path text);
create index if not exists threats_time on threats(time);
create index if not exists threats_client on threats(client_id, time);
create table if not exists clients (client_id text primary key, first_seen integer not null, last_seen integer not null,
  requests integer not null, threats integer not null, blocked integer not null);
create table if not exists client_types (client_id text not null, type text not null, count integer not null, primary key (client_id, type));
create table if not exists blocked_clients (client_id text primary key, reason text not null, since integer not null, until integer);
`;

interface Pending { time: number; clientId: string; route: string; threats: Threat[]; blocked: boolean }

/**
 * JSON keys end up in threat paths, and a key can be a secret ({"<token>": ...}, or the very secret a finding is
 * about): token-like runs (16+ characters mixing letters and digits) are not stored, only their length.
 */
export function redactPath(text: string): string {
  return text.replace(/[A-Za-z0-9_\-+/=]{16,}/g, (run) => (/[A-Za-z]/.test(run) && /\d/.test(run) ? `<redacted ${run.length}>` : run));
}

/** The records of one request's threats as stored and shared (secrets in descriptions and paths redacted). */
export function threatRecords(clientId: string, route: string, threats: Threat[], blocked: boolean, time: number): ThreatRecord[] {
  const iso = new Date(time).toISOString();
  return threats.map((t) => ({ time: iso, client_id: clientId, route, type: t.type, severity: t.severity, blocked, description: redactPath(t.description),
    ...(t.rule !== undefined && { rule: t.rule }), ...(t.path !== undefined && { path: redactPath(t.path) }) }));
}

export class ThreatStore {
  private readonly db: Database.Database;
  private pending: Pending[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly started = Date.now();
  private blocked = new Set<string>();
  private blockedReadAt = 0;
  private closed = false;
  private readonly stmt;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly o: StoreOptions) {
    if (o.path !== ':memory:') mkdirSync(dirname(o.path), { recursive: true });
    this.db = new Database(o.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.stmt = {
      threat: this.db.prepare('insert into threats (time, client_id, route, type, severity, blocked, description, rule, path) values (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      client: this.db.prepare(`insert into clients (client_id, first_seen, last_seen, requests, threats, blocked) values (?, ?, ?, 1, ?, ?)
        on conflict(client_id) do update set last_seen = excluded.last_seen, requests = requests + 1, threats = threats + excluded.threats,
        blocked = blocked + excluded.blocked`),
      type: this.db.prepare(`insert into client_types (client_id, type, count) values (?, ?, 1)
        on conflict(client_id, type) do update set count = count + 1`),
      aged: this.db.prepare('delete from threats where time < ?'),
      overflow: this.db.prepare('delete from threats where id <= (select id from threats order by id desc limit 1 offset ?)'),
    };
    this.timer = setInterval(() => this.flush(), 200);
    this.timer.unref();
  }

  /** Buffers one request's outcome; written within 200 ms. */
  record(clientId: string, route: string, threats: Threat[], blocked: boolean, time = Date.now()): void {
    if (this.closed) return;
    this.pending.push({ time, clientId, route, threats, blocked });
    if (this.pending.length >= 10_000) this.flush();
  }

  flush(): void {
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      for (const p of batch) {
        this.stmt.client.run(p.clientId, p.time, p.time, p.threats.length, p.blocked ? 1 : 0);
        // The same redacted records the shared stream gets (threatRecords).
        for (const r of threatRecords(p.clientId, p.route, p.threats, p.blocked, p.time)) {
          this.stmt.threat.run(p.time, p.clientId, p.route, r.type, severityRank(r.severity), p.blocked ? 1 : 0, r.description, r.rule ?? null, r.path ?? null);
          this.stmt.type.run(p.clientId, r.type);
        }
      }
      this.stmt.aged.run(Date.now() - this.o.retentionDays * 86_400_000);
      this.stmt.overflow.run(this.o.maxEvents);
    })();
  }

  /** Newest first. */
  threats(q: ThreatQuery = {}): ThreatRecord[] {
    this.flush();
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.since !== undefined) { where.push('time >= ?'); args.push(typeof q.since === 'number' ? q.since : Date.parse(q.since)); }
    if (q.severity) { where.push('severity >= ?'); args.push(severityRank(q.severity)); }
    if (q.client_id !== undefined) { where.push('client_id = ?'); args.push(q.client_id); }
    const rows = this.prepared(`select * from threats ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit ?`)
      .all(...args, Math.max(1, Math.min(q.limit ?? 100, 1_000_000))) as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      time: new Date(r.time as number).toISOString(), client_id: r.client_id as string, route: r.route as string, type: r.type as Threat['type'],
      severity: SEVERITIES[r.severity as number]!, blocked: r.blocked === 1, description: r.description as string,
      ...(r.rule !== null && { rule: r.rule as string }), ...(r.path !== null && { path: r.path as string }),
    }));
  }

  client(clientId: string): ClientActivity | undefined {
    this.flush();
    const c = this.prepared('select * from clients where client_id = ?').get(clientId) as Record<string, number> | undefined;
    if (!c) return undefined;
    const types = this.prepared('select type, count from client_types where client_id = ?').all(clientId) as Array<{ type: string; count: number }>;
    return { client_id: clientId, first_seen: new Date(c.first_seen!).toISOString(), last_seen: new Date(c.last_seen!).toISOString(),
      requests: c.requests!, threats: c.threats!, blocked: c.blocked!, by_type: Object.fromEntries(types.map((t) => [t.type, t.count])) };
  }

  status() {
    this.flush();
    const t = this.prepared('select count(*) clients, coalesce(sum(requests), 0) requests, coalesce(sum(threats), 0) threats, coalesce(sum(blocked), 0) blocked from clients').get() as Record<string, number>;
    return { started: new Date(this.started).toISOString(), uptime_secs: Math.round((Date.now() - this.started) / 1000), ...t,
      blocked_clients: this.blockedClients().length };
  }

  block(clientId: string, reason: string, untilMs?: number): void {
    this.prepared('insert or replace into blocked_clients (client_id, reason, since, until) values (?, ?, ?, ?)').run(clientId, reason, Date.now(), untilMs ?? null);
    this.blockedReadAt = 0;
  }

  /** True when the client was blocked (by another process too: the list is re-read every 2 s). */
  unblock(clientId: string): boolean {
    this.blockedReadAt = 0;
    return this.prepared('delete from blocked_clients where client_id = ?').run(clientId).changes > 0;
  }

  isBlocked(clientId: string): boolean {
    const now = Date.now();
    if (now - this.blockedReadAt > 2000) {
      this.blocked = new Set(this.blockedClients().map((b) => b.client_id));
      this.blockedReadAt = now;
    }
    return this.blocked.has(clientId);
  }

  blockedClients(): Array<{ client_id: string; reason: string; since: string; until?: string }> {
    const rows = this.prepared('select * from blocked_clients where until is null or until > ?').all(Date.now()) as Array<Record<string, unknown>>;
    return rows.map((r) => ({ client_id: r.client_id as string, reason: r.reason as string, since: new Date(r.since as number).toISOString(),
      ...(r.until !== null && { until: new Date(r.until as number).toISOString() }) }));
  }

  /** Statements are compiled once per text (the query shapes are few: a filter is present or not). */
  private prepared(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) { st = this.db.prepare(sql); this.statements.set(sql, st); }
    return st;
  }

  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    this.flush();
    this.closed = true;
    this.db.close();
  }
}
