/**
 * What every route shares: configuration, the scan pool, metrics, the logger, and the request lifecycle (in-flight
 * count for draining, client aborts, body deadlines, what to do when the engine cannot answer).
 */
import type { HttpResponse } from 'uWebSockets.js';
import type { Logger } from 'pino';
import { createScanPool, type ScanPool } from '../engine/pool/pool.js';
import type { GatewayConfig } from './config.js';
import type { GatewayMetrics, Transport } from './metrics.js';
import { sendError, type Exchange } from './http/respond.js';
import { ThreatStore } from './store/threat-store.js';
import { IncidentResponse } from './incidents.js';
import { isDetection, type Threat } from '../engine/threats.js';
import { createGuard, standingError, type Guard } from './auth/guard.js';
import { refusal, requestRule, type RateRule } from './ratelimit.js';
import { threatRecords } from './store/threat-store.js';
import { Permissions } from './permissions.js';
import { decide, type Decision, type Route } from './policy.js';
import { SignatureVerifier, type NonceClaim, type SignatureHeaders } from './auth/signing.js';
import { AuthError, type Principal } from './auth/tokens.js';
import { openState } from './state/open.js';
import type { Admission, AdmitResult, SharedState } from './state/state.js';

export interface GatewayContext {
  config: GatewayConfig;
  pool: ScanPool;
  metrics: GatewayMetrics;
  log: Logger;
  /** Threat events, per-client activity and blocked clients (the durable store of this instance). */
  activity: ThreatStore;
  /** What gateway instances share: buckets, revocations, grants, nonces, blocks, pins, threat events. */
  state: SharedState;
  /** Resolves when the shared state answers (rejects after ms). */
  stateReady(ms: number): Promise<void>;
  /** Records a request's outcome for a client and lets incident response see it. */
  report(clientId: string, route: string, threats: Threat[], blocked: boolean): void;
  /** Bearer-token checks for the API routes (set once the server knows its address). */
  guard: Guard;
  /** Tool permissions and threat ceilings per client. */
  permissions: Permissions;
  /** What the policy of `route` (and the client's overrides and max_threat_level) does with these threats. */
  decide(route: Route, clientId: string | undefined, threats: Threat[]): Decision;
  /**
   * A request's scan result settled: the policy decides, the scan is counted (refused per `refuses`, by default the
   * decision's block), threats are recorded and a request that carried detections pays the threat penalty.
   */
  settle(x: Exchange, route: Route, transport: Transport, clientId: string | undefined, threats: Threat[], seconds: number,
    refuses?: (d: Decision) => boolean): Decision & { refused: boolean };
  /**
   * Checks a request's signature (when signed, or when signing is required); on failure answers 401 and returns
   * false, else the nonce that admit must spend. Signature headers are read while the request's handler runs.
   */
  verifySignature(x: Exchange, h: SignatureHeaders, method: string, path: string, body: Uint8Array, clientId: string | undefined): false | { nonce?: NonceClaim };
  /**
   * A request's admission, one call to the shared state: the token not revoked, the client not blocked, the
   * signature's nonce not seen before, and a token from the rate limit of the client (the address with auth off)
   * for `method` (none when undefined). On refusal answers (401, 403, 429, or 503 when the state cannot answer and
   * fail_mode is closed) and resolves false. Callers check the token with `guard.check(..., admitted = true)`.
   */
  admit(x: Exchange, who: Principal | undefined, method: string | undefined, nonce?: NonceClaim): Promise<boolean>;
  /** After a scan: a request that carried threats costs threat_penalty_multiplier tokens in all. */
  penalize(x: Exchange, who: string | undefined, method: string, threats: number): void;
  /** The /oauth/token attempt limits (per client id and per address); on refusal answers 429 and resolves false. */
  admitTokenRequest(x: Exchange, clientId: string): Promise<boolean>;
  /** Unauthenticated routes that store something (/oauth/authorize): token_endpoint_per_address_rpm per address. */
  admitAddress(x: Exchange, method: string): Promise<boolean>;
  /** Requests begun and not yet answered (or abandoned). */
  readonly inFlight: number;
  draining: boolean;
  /** Starts a request: abort handling, metrics on finish. Undefined when the server is draining (503 sent). */
  begin(res: HttpResponse, route: string): Exchange | undefined;
  /** A body that has not arrived within request_timeout_secs is answered 408 and the connection closed. */
  bodyDeadline(x: Exchange): void;
  /** The engine could not answer (overload, timeout, crashed worker): counts it and says what fail_mode wants. */
  engineFailure(e: { code?: string }): 'closed' | 'open';
  close(): Promise<void>;
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
  const rule = requestRule(rl);
  const tokenRule = (rpm: number): RateRule => ({ rpm, burst: Math.max(1, Math.round(rpm / 2)) });
  const byClient = tokenRule(rl.token_endpoint_per_client_rpm), byAddress = tokenRule(rl.token_endpoint_per_address_rpm);
  const configured = new Set(config.auth.allowed_clients.map((c) => c.client_id));
  const limited = (x: Exchange, r: RateRule, tokens: number, who: string | undefined, method: string) => {
    const v = refusal(r, tokens);
    const client = who !== undefined && configured.has(who) ? who : 'unknown';
    metrics.rateLimitHit(client, method);
    log.info({ event: 'rate_limited', client_id: client, method, retry_after: v.retryAfter }, 'rate limit reached');
    sendError(x, 429, 'KG_ERR_RATE_LIMITED', `rate limit reached: retry in ${v.retryAfter} s`, v.headers);
  };
  /** The bucket of a client (the address with auth off) for a method. */
  const bucketKey = (x: Exchange, clientId: string | undefined, method: string) => `${clientId ?? `address:${x.address}`}\u0000${method}`;
  /** One call to the shared state; false when it answered a refusal (or could not answer, fail_mode closed: 503). */
  const admitted = async (x: Exchange, a: Admission, who: Principal | undefined, method: string, r?: RateRule): Promise<boolean> => {
    let out: AdmitResult;
    try {
      out = await state.admit(a);
    } catch (e) {
      ctx.guard.reject(x, e); // a state outage (fail_mode closed) is a 503 there; anything else is rethrown
      return false;
    }
    if (out.ok) return !x.done;
    if (out.reason === 'limited') limited(x, r!, out.tokens, who?.clientId, method);
    else if (out.reason === 'replay') sendError(x, 401, 'KG_ERR_SIGNATURE', 'nonce already used (replay)');
    else {
      log.info({ event: 'admission_refused', reason: out.reason, client_id: who?.clientId, method }, 'request refused');
      ctx.guard.reject(x, standingError(out.reason));
    }
    return false;
  };

  const permissions = new Permissions(config.permissions);
  const signatures = new SignatureVerifier(config.signing, (clientId) => permissions.requiresSigning(clientId));

  const store = openStore(config);
  const opened = openState(config.state, store, metrics, log);
  const state = opened.state;
  const incidents = new IncidentResponse(config.incident_response, state, log, config.auth.enabled);
  const shareThreats = state.backend !== 'memory';
  const ctx: GatewayContext = {
    config, pool, metrics, log, draining: false, activity: store, state, stateReady: opened.ready,
    report(clientId, route, threats, blocked) {
      const time = Date.now();
      store.record(clientId, route, threats, blocked, time);
      if (shareThreats) state.publishThreats(threatRecords(clientId, route, threats, blocked, time));
      incidents.observe(clientId, threats);
      const found = threats.filter(isDetection);
      if (found.length) log.info({ event: 'threat', client_id: clientId, route, blocked, types: [...new Set(found.map((t) => t.type))] }, 'threat detected');
    },
    guard: createGuard(undefined, 'http://localhost', () => {}),
    permissions,
    decide: (route, clientId, threats) => decide(config.policy, route, clientId, threats, permissions.maxThreatLevel(clientId)),
    settle(x, route, transport, clientId, threats, seconds, refuses = (d) => d.block) {
      const d = ctx.decide(route, clientId, threats);
      const refused = refuses(d);
      metrics.observeScan(transport, seconds, threats, refused);
      if (threats.length) ctx.report(clientId ?? 'anonymous', route, threats, refused);
      ctx.penalize(x, clientId, route, threats.filter(isDetection).length);
      return { ...d, refused };
    },
    verifySignature(x, h, method, path, body, clientId) {
      try {
        return { nonce: signatures.check(h, method, path, body, clientId) };
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
    admit(x, who, method, nonce) {
      const r = method !== undefined && rl.enabled ? rule(who?.clientId) : undefined;
      // With auth off there is no token to have revoked and no client to have blocked.
      const authed = ctx.guard.enabled && who !== undefined;
      return admitted(x, {
        clientId: authed ? who.clientId : undefined, jti: authed ? who.jti : undefined, nonce,
        bucket: r && { key: bucketKey(x, who?.clientId, method!), rpm: r.rpm, burst: r.burst, cost: 1 },
      }, who, method ?? 'other', r);
    },
    penalize(x, who, method, threats) {
      if (!rl.enabled || threats <= 0) return;
      const r = rule(who);
      void state.charge({ key: bucketKey(x, who, method), rpm: r.rpm, burst: r.burst, cost: config.rate_limit.threat_penalty_multiplier - 1 });
    },
    async admitTokenRequest(x, clientId) {
      if (!rl.enabled) return true;
      const take = (key: string, r: RateRule) => ({ key: `${key}\u0000oauth_token`, rpm: r.rpm, burst: r.burst, cost: 1 });
      return await admitted(x, { bucket: take(`token:${clientId}`, byClient) }, { clientId } as Principal, 'oauth_token', byClient)
        && ctx.admitAddress(x, 'oauth_token');
    },
    async admitAddress(x, method) {
      if (!rl.enabled) return true;
      return admitted(x, { bucket: { key: `token-address:${x.address}\u0000${method}`, rpm: byAddress.rpm, burst: byAddress.burst, cost: 1 } }, undefined, method, byAddress);
    },
    async close() { clearInterval(sweep); await state.close(); ctx.activity.close(); },
  };
  return ctx;
}
