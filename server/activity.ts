/**
 * Recent threats and per-client activity, in memory and bounded (a ring of threat records, a capped map of
 * clients), for `security/threats`, `security/client_activity` and `security/status`. Persistent storage arrives
 * with the operations issue; this is what the running process has seen.
 */
import { severityRank, type Severity, type Threat } from '../engine/threats.js';

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

export interface ThreatQuery { limit?: number; since?: string; severity?: Severity; client_id?: string }

const MAX_RECORDS = 10_000;
const MAX_CLIENTS = 10_000;

export class ActivityLog {
  private readonly ring: ThreatRecord[] = [];
  private next = 0;
  private readonly clients = new Map<string, ClientActivity>();
  private readonly started = new Date();
  private totals = { requests: 0, threats: 0, blocked: 0 };

  record(clientId: string, route: string, threats: Threat[], blocked: boolean): void {
    const now = new Date().toISOString();
    this.totals.requests++;
    if (blocked) this.totals.blocked++;
    let c = this.clients.get(clientId);
    if (c) this.clients.delete(clientId); // re-insert: the map's order is least recently seen first
    else {
      if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
      c = { client_id: clientId, first_seen: now, last_seen: now, requests: 0, threats: 0, blocked: 0, by_type: {} };
    }
    this.clients.set(clientId, c);
    c.last_seen = now;
    c.requests++;
    if (blocked) c.blocked++;
    for (const t of threats) {
      this.totals.threats++;
      c.threats++;
      c.by_type[t.type] = (c.by_type[t.type] ?? 0) + 1;
      const rec: ThreatRecord = { time: now, client_id: clientId, route, type: t.type, severity: t.severity, blocked, description: t.description,
        ...(t.rule && { rule: t.rule }), ...(t.path !== undefined && { path: t.path }) };
      if (this.ring.length < MAX_RECORDS) this.ring.push(rec); else this.ring[this.next] = rec;
      this.next = (this.next + 1) % MAX_RECORDS;
    }
  }

  /** Newest first. */
  threats(q: ThreatQuery = {}): ThreatRecord[] {
    const limit = Math.max(1, Math.min(q.limit ?? 100, MAX_RECORDS));
    const since = q.since ? Date.parse(q.since) : undefined;
    const min = q.severity ? severityRank(q.severity) : 0;
    const out: ThreatRecord[] = [];
    for (let i = 0; i < this.ring.length && out.length < limit; i++) {
      const r = this.ring[(this.next - 1 - i + this.ring.length * 2) % this.ring.length]!;
      if (since !== undefined && Date.parse(r.time) < since) break;
      if (q.client_id !== undefined && r.client_id !== q.client_id) continue;
      if (severityRank(r.severity) < min) continue;
      out.push(r);
    }
    return out;
  }

  client(clientId: string): ClientActivity | undefined {
    return this.clients.get(clientId);
  }

  status() {
    return { started: this.started.toISOString(), uptime_secs: Math.round((Date.now() - this.started.getTime()) / 1000),
      ...this.totals, clients: this.clients.size };
  }
}

