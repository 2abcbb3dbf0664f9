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
import { ActivityLog } from './activity.js';
import { createGuard, type Guard } from './auth/guard.js';

export interface GatewayContext {
  config: GatewayConfig;
  pool: ScanPool;
  metrics: GatewayMetrics;
  log: Logger;
  /** Recent threats and per-client activity (security/threats, security/client_activity). */
  activity: ActivityLog;
  /** Bearer-token checks for the API routes (set once the server knows its address). */
  guard: Guard;
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

  const ctx: GatewayContext = {
    config, pool, metrics, log, draining: false, activity: new ActivityLog(),
    guard: createGuard(undefined, 'http://localhost', () => {}),
    get inFlight() { return inFlight; },
    begin(res, route) {
      // The abort signal is made only if a scan asks for it (inline scans never do).
      let controller: AbortController | undefined;
      const x: Exchange = {
        res, done: false, route,
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
    close() { clearInterval(sweep); },
  };
  return ctx;
}
