/**
 * Incident response: rules over a client's findings in a sliding window (by default 3 critical findings within
 * 5 minutes, counted in the shared state, so findings on different instances add up) fire actions: `log` (one warning event), `alert` (a JSON POST to `alert_webhook`, retried with backoff,
 * never awaited by the request that triggered it) and `block_client` (the client is put on the store's block list:
 * its tokens stop working and it gets 403 until `kindly-guard unblock CLIENT`, or until block_duration_secs pass).
 * Only authenticated clients are blocked: with auth off a client id is whatever the caller declares.
 */
import type { Logger } from 'pino';
import { int, oneOf, validateSection, type Check, sectionOf } from '../engine/config.js';
import { SEVERITIES, severityRank, type Severity, type Threat } from '../engine/threats.js';
import type { SharedState } from './state/state.js';

export type IncidentAction = 'log' | 'alert' | 'block_client';

export interface IncidentRule { name: string; severity: Severity; count: number; within_secs: number; actions: IncidentAction[] }

export interface IncidentConfig {
  rules: IncidentRule[];
  alert_webhook?: string;
  /** 0: blocked until unblocked by hand. */
  block_duration_secs: number;
}

export const DEFAULT_INCIDENTS: IncidentConfig = {
  rules: [{ name: 'critical-burst', severity: 'critical', count: 3, within_secs: 300, actions: ['log', 'block_client'] }],
  block_duration_secs: 0,
};

const ACTIONS = ['log', 'alert', 'block_client'];
const RULE_KEYS: Record<string, Check> = {
  name: (v) => (typeof v === 'string' && /^[\w.-]{1,64}$/.test(v) ? null : 'must be a name of letters, digits, . _ -'),
  severity: oneOf(SEVERITIES), count: int(1, 10_000), within_secs: int(1, 86_400),
  actions: (v) => (Array.isArray(v) && v.length > 0 && v.every((a) => ACTIONS.includes(a as string)) ? null : `must be a list of ${ACTIONS.join(', ')}`),
};

export function validateIncidents(input: unknown, bad: (path: string, msg: string) => void): IncidentConfig {
  const cfg: IncidentConfig = structuredClone(DEFAULT_INCIDENTS);
  const section = sectionOf(input, 'incident_response', bad);
  if (!section) return cfg;
  const { rules, ...rest } = section;
  validateSection(rest, {
    alert_webhook: (v) => (typeof v === 'string' && /^https?:\/\/\S+$/.test(v) ? null : 'must be an http(s) URL'),
    block_duration_secs: int(0, 365 * 86_400),
  }, 'incident_response', cfg as unknown as Record<string, unknown>, bad);
  if (rules !== undefined) {
    if (!Array.isArray(rules)) { bad('incident_response.rules', 'must be a list'); return cfg; }
    cfg.rules = [];
    rules.forEach((r, i) => {
      const entry: Partial<IncidentRule> = {};
      validateSection(r, RULE_KEYS, `incident_response.rules.${i}`, entry as Record<string, unknown>, bad);
      for (const k of ['name', 'severity', 'count', 'within_secs', 'actions'] as const) if (!(k in entry) && !(r && typeof r === 'object' && k in r)) bad(`incident_response.rules.${i}.${k}`, 'is required');
      if (Object.keys(RULE_KEYS).every((k) => k in entry)) cfg.rules.push(entry as IncidentRule);
    });
  }
  if (cfg.rules.some((r) => r.actions.includes('alert')) && !cfg.alert_webhook) bad('incident_response.alert_webhook', 'is required by a rule with the alert action');
  return cfg;
}

export class IncidentResponse {
  constructor(private readonly cfg: IncidentConfig, private readonly state: SharedState, private readonly log: Logger,
    private readonly canBlock: boolean, private readonly post: (url: string, body: string) => Promise<void> = postJson) {}

  /** Counts the findings against each rule; never throws at the request (a state failure is logged by fail_mode). */
  observe(clientId: string, threats: Threat[]): void {
    if (!threats.length || !this.cfg.rules.length) return;
    for (const rule of this.cfg.rules) {
      const n = threats.filter((t) => severityRank(t.severity) >= severityRank(rule.severity)).length;
      if (!n) continue;
      this.state.countWithin(`inc:${rule.name}:${clientId}`, n, rule.within_secs * 1000, rule.count)
        .then((count) => { if (count >= rule.count) return this.fire(rule, clientId, count); })
        .catch((e: Error) => this.log.error({ event: 'incident_check_failed', rule: rule.name, client_id: clientId, err: e.message },
          'incident rule not evaluated or its block not written'));
    }
  }

  private async fire(rule: IncidentRule, clientId: string, count: number): Promise<void> {
    const event = { event: 'incident', rule: rule.name, client_id: clientId, count, within_secs: rule.within_secs, time: new Date().toISOString() };
    if (rule.actions.includes('log')) this.log.warn(event, 'incident response rule fired');
    if (rule.actions.includes('block_client') && this.canBlock) {
      await this.state.block(clientId, rule.name, this.cfg.block_duration_secs ? Date.now() + this.cfg.block_duration_secs * 1000 : undefined);
      this.log.warn({ event: 'client_blocked', client_id: clientId, rule: rule.name }, 'client blocked');
    }
    if (rule.actions.includes('alert') && this.cfg.alert_webhook) {
      void this.alert(this.cfg.alert_webhook, JSON.stringify({ ...event, event: 'kindly_guard_incident', actions: rule.actions }));
    }
  }

  /** Three attempts with backoff; failures are logged, never thrown at a request. */
  private async alert(url: string, body: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try { await this.post(url, body); return; } catch (e) {
        if (attempt === 2) { this.log.error({ event: 'alert_failed', err: (e as Error).message }, 'incident alert could not be delivered'); return; }
        await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
      }
    }
  }
}

async function postJson(url: string, body: string): Promise<void> {
  const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(5000) });
  await r.arrayBuffer().catch(() => undefined);
  if (!r.ok) throw new Error(`webhook answered HTTP ${r.status}`);
}
