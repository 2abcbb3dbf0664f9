/**
 * What every route shares: configuration, the scan pool, metrics, the logger, and the request lifecycle (in-flight
 * count for draining, client aborts, body deadlines, what to do when the engine cannot answer).
 */
import type { HttpResponse } from 'uWebSockets.js';
import type { Logger } from 'pino';
import { createScanPool, type ScanPool } from '../engine/pool/pool.js';
import type { GatewayConfig } from './config.js';
import type { GatewayMetrics } from './metrics.js';
import { sendError, type Exchange } from './http/respond.js';
import { ThreatStore } from './store/threat-store.js';
import { IncidentResponse } from './incidents.js';
import { isDetection, type Threat } from '../engine/threats.js';
import { createGuard, type Guard } from './auth/guard.js';
import { Limiter, requestLimiter, type Verdict } from './ratelimit.js';
import { Permissions } from './permissions.js';
import { decide, type Decision, type Route } from './policy.js';
import { SignatureVerifier, type SignatureHeaders } from './auth/signing.js';
import { AuthError } from './auth/tokens.js';

export interface GatewayContext {
  config: GatewayConfig;
  pool: ScanPool;
  metrics: GatewayMetrics;
  log: Logger;
  /** Threat events, per-client activity and blocked clients (the durable store). */
  activity: ThreatStore;
  /** Records a request's outcome for a client and lets incident response see it. */
  report(clientId: string, route: string, threats: Threat[], blocked: boolean): void;
  /** Bearer-token checks for the API routes (set once the server knows its address). */
  guard: Guard;
  /** Tool permissions and threat ceilings per client. */
  permissions: Permissions;
  /** What the policy of `route` (and the client's overrides and max_threat_level) does with these threats. */
  decide(route: Route, clientId: string | undefined, threats: Threat[]): Decision;
  /**
   * Checks a request's signature (when signed, or when signing is required); on failure answers 401 and returns
   * false. Signature headers are read while the request's handler runs (see readSignature).
   */
  verifySignature(x: Exchange, h: SignatureHeaders, method: string, path: string, body: Uint8Array, clientId: string | undefined): boolean;
  /**
   * Takes a request from the rate limit of `who` (the client id; the address with auth off) for `method`; on refusal
   * answers 429 and returns false.
   */
  admit(x: Exchange, who: string | undefined, method: string): boolean;
  /** After a scan: a request that carried threats costs threat_penalty_multiplier tokens in all. */
  penalize(x: Exchange, who: string | undefined, method: string, threats: number): void;
  /** The /oauth/token attempt limits (per client id and per address); on refusal answers 429 and returns false. */
  admitTokenRequest(x: Exchange, clientId: string): boolean;
  /** Requests begun and not yet answered (or abandoned). */
  readonly inFlight: number;
  draining: boolean;
  /** Starts a request: abort handling, metrics on finish. Undefined when the server is draining (503 sent). */
  begin(res: HttpResponse, route: string): Exchange | undefined;
  /** A body that has not arrived within request_timeout_secs is answered 408 and the connection closed. */
  bodyDeadline(x: Exchange): void;
  /** The engine could not answer (overload, timeout, crashed worker): counts it and says what fail_mode wants. */
  engineFailure(e: { code?: string }): 'closed' | 'open';
  close(): void;
}

/** The threat store where storage: says (its directory is created). */
export function openStore(config: GatewayConfig): ThreatStore {
  const st = config.storage;
  return new ThreatStore({ path: st.path, retentionDays: st.retention_days, maxEvents: st.max_events });
}

/** The scan pool as the server: section configures it. */
export function createGatewayPool(config: GatewayConfig): ScanPool {
  const s = config.server;
  return createScanPool({
    threads: s.threads || undefined, maxQueue: s.max_queue, taskTimeoutMs: s.scan_timeout_ms, inlineBelowBytes: s.inline_below_bytes,
    config: { scanner: config.scanner, policy: config.policy },
  });
}

export function createContext(config: GatewayConfig, pool: ScanPool, metrics: GatewayMetrics, log: Logger): GatewayContext {
  let inFlight = 0;
  // Bodies still arriving, swept by one timer (a timer per request would cost more than the request at full load).
  const waitingBodies = new Map<Exchange, number>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [x, deadline] of waitingBodies) {
      if (x.done) { waitingBodies.delete(x); continue; }
      if (now < deadline) continue;
      waitingBodies.delete(x);
      sendError(x, 408, 'KG_ERR_TIMEOUT', `request body did not arrive within ${config.server.request_timeout_secs} s`, { connection: 'close' });
    }
  }, Math.min(250, config.server.request_timeout_secs * 250));
  sweep.unref();

  const rl = config.rate_limit;
  const requests = rl.enabled ? requestLimiter(rl) : undefined;
  const tokenByClient = new Limiter(() => ({ rpm: rl.token_endpoint_per_client_rpm, burst: Math.max(1, Math.round(rl.token_endpoint_per_client_rpm / 2)) }));
  const tokenByAddress = new Limiter(() => ({ rpm: rl.token_endpoint_per_address_rpm, burst: Math.max(1, Math.round(rl.token_endpoint_per_address_rpm / 2)) }));
  const configured = new Set(config.auth.allowed_clients.map((c) => c.client_id));
  const refuseIfLimited = (x: Exchange, v: Verdict, who: string | undefined, method: string) => {
    if (v.ok) return true;
    const client = who !== undefined && configured.has(who) ? who : 'unknown';
    metrics.rateLimitHit(client, method);
    log.info({ event: 'rate_limited', client_id: client, method, retry_after: v.retryAfter }, 'rate limit reached');
    sendError(x, 429, 'KG_ERR_RATE_LIMITED', `rate limit reached: retry in ${v.retryAfter} s`, v.headers);
    return false;
  };

  const permissions = new Permissions(config.permissions);
  const signatures = new SignatureVerifier(config.signing, (clientId) => permissions.requiresSigning(clientId));

  const store = openStore(config);
  const incidents = new IncidentResponse(config.incident_response, store, log, config.auth.enabled);

  const ctx: GatewayContext = {
    config, pool, metrics, log, draining: false, activity: store,
    report(clientId, route, threats, blocked) {
      store.record(clientId, route, threats, blocked);
      incidents.observe(clientId, threats);
      const found = threats.filter(isDetection);
      if (found.length) log.info({ event: 'threat', client_id: clientId, route, blocked, types: [...new Set(found.map((t) => t.type))] }, 'threat detected');
    },
    guard: createGuard(undefined, 'http://localhost', () => {}),
    permissions,
    decide: (route, clientId, threats) => decide(config.policy, route, clientId, threats, permissions.maxThreatLevel(clientId)),
    verifySignature(x, h, method, path, body, clientId) {
      try {
        signatures.check(h, method, path, body, clientId);
        return true;
      } catch (e) {
        if (!(e instanceof AuthError)) throw e;
        sendError(x, 401, 'KG_ERR_SIGNATURE', e.description, { 'accept-signature': 'sig1=("@method" "@path" "content-digest");alg="ed25519"' });
        return false;
      }
    },
    get inFlight() { return inFlight; },
    begin(res, route) {
      // The abort signal is made only if a scan asks for it (inline scans never do).
      let controller: AbortController | undefined;
      const x: Exchange = {
        res, done: false, route, address: Buffer.from(res.getRemoteAddressAsText()).toString(),
        get signal() { return (controller ??= new AbortController()).signal; },
      };
      inFlight++;
      let finished = false;
      x.onFinish = (status) => {
        if (finished) return;
        finished = true;
        inFlight--;
        waitingBodies.delete(x);
        metrics.request(route, status);
      };
      res.onAborted(() => {
        if (x.done) return;
        x.done = true;
        controller?.abort(new Error('client went away'));
        x.onFinish!(499);
      });
      if (ctx.draining) {
        sendError(x, 503, 'KG_ERR_SHUTTING_DOWN', 'server is shutting down', { connection: 'close', 'retry-after': '1' });
        return undefined;
      }
      return x;
    },
    bodyDeadline(x) {
      waitingBodies.set(x, Date.now() + config.server.request_timeout_secs * 1000);
    },
    engineFailure(e) {
      const reason = e.code === 'KG_ERR_OVERLOADED' ? 'overloaded' : e.code === 'KG_ERR_TIMEOUT' ? 'timeout' : 'error';
      if (reason === 'error') log.error({ code: e.code }, 'scan engine failed');
      if (config.server.fail_mode === 'open') { metrics.failOpen(reason); return 'open'; }
      return 'closed';
    },
    admit(x, who, method) {
      if (!requests) return true;
      const key = who ?? `address:${x.address}`;
      return refuseIfLimited(x, requests.take(key, method), who, method);
    },
    penalize(x, who, method, threats) {
      if (requests && threats > 0) requests.charge(who ?? `address:${x.address}`, method, config.rate_limit.threat_penalty_multiplier - 1);
    },
    admitTokenRequest(x, clientId) {
      if (!rl.enabled) return true;
      return refuseIfLimited(x, tokenByClient.take(clientId, 'oauth_token'), clientId, 'oauth_token')
        && refuseIfLimited(x, tokenByAddress.take(x.address, 'oauth_token'), undefined, 'oauth_token');
    },
    close() { clearInterval(sweep); ctx.activity.close(); },
  };
  return ctx;
}
