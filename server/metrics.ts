/**
 * Prometheus metrics (prom-client) for the gateway. Every label value comes from a fixed set (transport, route
 * names, threat types, severities, status codes), never from user input, so series stay bounded.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ScanPool } from '../engine/pool/pool.js';
import type { Threat } from '../engine/threats.js';

/** The documented latency buckets (seconds). */
export const SCAN_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0];

export type Transport = 'http' | 'websocket' | 'mcp_http' | 'mcp_stdio' | 'ext_authz';

export interface GatewayMetrics {
  registry: Registry;
  observeScan(transport: Transport, seconds: number, threats: Threat[], blocked: boolean): void;
  /** Threats counted apart from a scan's timing (the MCP proxy decides after both directions are scanned). */
  countThreats(threats: Threat[], blocked: boolean): void;
  request(route: string, status: number): void;
  failOpen(reason: 'overloaded' | 'timeout' | 'error'): void;
  /** clientId: a configured client's id, or 'unknown'. */
  authAttempt(clientId: string, success: boolean): void;
  /** A request refused by a rate limit (clientId as for authAttempt; method from a fixed set). */
  rateLimitHit(clientId: string, method: string): void;
  /** The upstream circuit breaker's state. */
  breakerState(state: 'closed' | 'open' | 'half_open'): void;
  /** A decision taken without the shared state (Redis slow or down): kind of state, and refused or allowed. */
  stateDegraded(kind: string, decision: 'refused' | 'allowed' | 'dropped'): void;
  /** The shared state backend is reachable (1) or not (0). */
  stateUp(up: boolean): void;
}

export function createMetrics(pool: ScanPool): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'kindlyguard_scan_duration_seconds', help: 'Time from a request body (or message) complete to its scan result.',
    labelNames: ['transport'], buckets: SCAN_BUCKETS, registers: [registry],
  });
  const threats = new Counter({
    name: 'kindlyguard_threats_detected_total', help: 'Threats found, by type, severity and whether the request was blocked.',
    labelNames: ['threat_type', 'severity', 'blocked'], registers: [registry],
  });
  const requests = new Counter({
    name: 'kindlyguard_http_requests_total', help: 'HTTP requests answered, by route and status (499: client went away).',
    labelNames: ['route', 'status'], registers: [registry],
  });
  const failOpen = new Counter({
    name: 'kindlyguard_fail_open_total', help: 'Requests let through unscanned because the engine could not answer (fail_mode: open).',
    labelNames: ['reason'], registers: [registry],
  });
  const auth = new Counter({
    name: 'kindlyguard_auth_attempts_total', help: 'Client authentications and token checks, by configured client (else unknown) and outcome.',
    labelNames: ['client_id', 'success'], registers: [registry],
  });
  const limited = new Counter({
    name: 'kindlyguard_rate_limit_hits_total', help: 'Requests refused by a rate limit (429), by configured client (else unknown) and method.',
    labelNames: ['client_id', 'method'], registers: [registry],
  });
  const breaker = new Gauge({
    name: 'kindlyguard_upstream_circuit_state', help: 'Upstream MCP circuit breaker: 0 closed, 1 half-open, 2 open.', registers: [registry],
  });
  const degraded = new Counter({
    name: 'kindlyguard_state_degraded_total', help: 'Decisions taken without the shared state (slow or down), by kind of state and decision (fail_mode).',
    labelNames: ['kind', 'decision'], registers: [registry],
  });
  const stateUp = new Gauge({ name: 'kindlyguard_state_up', help: 'The shared state backend answers (1) or not (0); memory is always 1.', registers: [registry] });
  stateUp.set(1);
  new Gauge({
    name: 'kindlyguard_scan_queue_depth', help: 'Scans accepted by the pool and not yet answered.', registers: [registry],
    collect() { this.set(pool.pending); },
  });
  new Gauge({
    name: 'kindlyguard_pool_utilization', help: 'Share of the worker threads\' time spent scanning (0..1).', registers: [registry],
    collect() { this.set(pool.utilization); },
  });
  new Gauge({ name: 'kindlyguard_pool_threads', help: 'Scan worker threads.', registers: [registry], collect() { this.set(pool.threads); } });
  // Labelled children are looked up once and kept: prom-client builds a key from the labels on every call, which
  // costs more than the increment on a path taken by every request.
  const children = new Map<string, { inc(): void } | { observe(v: number): void }>();
  const child = <T>(key: string, make: () => T): T => {
    let c = children.get(key) as T | undefined;
    if (!c) { c = make(); children.set(key, c as never); }
    return c;
  };
  const countThreats = (found: Threat[], blocked: boolean) => {
    for (const t of found) child(`t|${t.type}|${t.severity}|${blocked}`, () => threats.labels(t.type, t.severity, String(blocked))).inc();
  };
  return {
    registry,
    observeScan(transport, seconds, found, blocked) {
      child(`d|${transport}`, () => duration.labels(transport)).observe(seconds);
      countThreats(found, blocked);
    },
    countThreats,
    request(route, status) { child(`r|${route}|${status}`, () => requests.labels(route, String(status))).inc(); },
    failOpen(reason) { failOpen.inc({ reason }); },
    breakerState(state) { breaker.set(state === 'closed' ? 0 : state === 'half_open' ? 1 : 2); },
    rateLimitHit(clientId, method) { child(`l|${clientId}|${method}`, () => limited.labels(clientId, method)).inc(); },
    stateDegraded(kind, decision) { degraded.inc({ kind, decision }); },
    stateUp(up) { stateUp.set(up ? 1 : 0); },
    authAttempt(clientId, success) { child(`a|${clientId}|${success}`, () => auth.labels(clientId, String(success))).inc(); },
  };
}
