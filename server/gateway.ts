/**
 * The gateway: a uWebSockets.js app for the API, a second one for Prometheus metrics, the scan pool behind them,
 * and a graceful close (stop accepting, finish in-flight requests within a deadline, close the pool).
 */
import { accessSync, chmodSync, constants, lstatSync, unlinkSync } from 'node:fs';
import type { Logger } from 'pino';
import { createLogger } from './logging.js';
import { startUpdateCheck } from './update-check.js';
import { VERSION } from './version.js';
import { ConfigError } from '../engine/errors.js';
import type { TemplatedApp, us_listen_socket } from 'uWebSockets.js';
import { loadNativeUws } from './uws.js';
import type { GatewayConfig } from './config.js';
import { createMetrics } from './metrics.js';
import { createContext, createGatewayPool, type GatewayContext } from './context.js';
import { extAuthzRoutes } from './envoy/ext-authz.js';
import { startGrpcAuthz } from './envoy/grpc-authz.js';
import { scanRoute } from './http/scan-route.js';
import { streamRoute, type StreamConn } from './ws/stream-route.js';
import { mcpRoutes } from './mcp/http-route.js';
import { loadAuthKeys, setupAuth } from './auth/setup.js';
import { oauthRoutes } from './auth/oauth-routes.js';
import { createMcpEndpoint } from './mcp/endpoint.js';
import type { WebSocket } from 'uWebSockets.js';
import { guardedApp, sendError, sendJson } from './http/respond.js';

export interface Gateway {
  /** The API port actually bound (useful with port 0). */
  readonly port: number;
  /** The metrics port actually bound, or 0 when metrics are off. */
  readonly metricsPort: number;
  /** Envoy's gRPC ext_authz port, when ext_authz.grpc_port is set. */
  readonly grpcPort?: number;
  readonly context: GatewayContext;
  /** Stops accepting, lets in-flight requests finish (up to timeoutMs), closes the pool. */
  close(timeoutMs?: number): Promise<{ drained: boolean }>;
}

export interface GatewayOptions {
  log?: Logger;
}

/** The API app: HTTPS when server.tls is set (uWS reads the files; a bad file or cipher list fails construction). */
function createApp(uws: ReturnType<typeof loadNativeUws>, s: GatewayConfig['server']): TemplatedApp {
  if (!s.tls) return uws.App();
  for (const f of [s.tls.cert_file, s.tls.key_file]) {
    try { accessSync(f, constants.R_OK); } catch { throw new ConfigError(`server.tls: cannot read ${f}`); }
  }
  try {
    return uws.SSLApp({ cert_file_name: s.tls.cert_file, key_file_name: s.tls.key_file, ...(s.tls.ciphers && { ssl_ciphers: s.tls.ciphers }) });
  } catch {
    throw new ConfigError('server.tls: the certificate, key or cipher list was refused (check that the key matches the certificate)');
  }
}

/** A unix socket listener (a stale socket file from an earlier run is removed first), chmod'ed to `mode`. */
function listenUnix(app: TemplatedApp, path: string, mode: string): Promise<us_listen_socket> {
  try { if (lstatSync(path).isSocket()) unlinkSync(path); } catch { /* absent: fine */ }
  return new Promise((resolve, reject) => {
    app.listen_unix((socket) => {
      if (!socket) { reject(new Error(`cannot listen on unix socket ${path}`)); return; }
      chmodSync(path, parseInt(mode, 8));
      resolve(socket);
    }, path);
  });
}

function listen(app: TemplatedApp, host: string, port: number): Promise<us_listen_socket> {
  return new Promise((resolve, reject) => {
    app.listen(host, port, (socket) => {
      if (socket) resolve(socket);
      else reject(new Error(`cannot listen on ${host}:${port} (address in use or not available)`));
    });
  });
}

export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const log = options.log ?? createLogger(config.logging);
  const uws = loadNativeUws();
  const s = config.server;
  const pool = createGatewayPool(config);
  const metrics = createMetrics(pool);
  const ctx = createContext(config, pool, metrics, log);
  const mcpEndpoint = createMcpEndpoint(ctx, log);
  let ready = false;
  const decidesClosed = Object.values(config.state.fail_mode).includes('closed');

  const app = guardedApp(createApp(uws, s), (e) => log.error({ event: 'handler_error', err: (e as Error)?.message }, 'request handler failed'));
  const sockets = new Set<WebSocket<StreamConn>>();

  const keys = await loadAuthKeys(config).catch(async (e) => { await pool.close(); throw e; });
  let socket: us_listen_socket;
  try {
    socket = await listen(app, s.host, s.port);
  } catch (e) {
    await pool.close();
    throw e;
  }
  const port = uws.us_socket_local_port(socket as never);
  let unixSocket: us_listen_socket | undefined;
  if (s.unix_socket) {
    try {
      unixSocket = await listenUnix(app, s.unix_socket.path, s.unix_socket.mode);
    } catch (e) {
      uws.us_listen_socket_close(socket);
      await pool.close();
      throw e;
    }
  }

  // Routes once the address is known (the default token issuer and resource is this server's own URL), in the same
  // turn of the event loop as listen() returned: no request can arrive before them.
  let mcp: { close(): void };
  try {
    const auth = setupAuth(config, metrics, port, keys, ctx.state, log);
    ctx.guard = auth.guard;
    if (auth.oauth) oauthRoutes(app, ctx, auth.oauth);
    app.post('/v1/scan', scanRoute(ctx));
    streamRoute(app, ctx, sockets);
    mcp = mcpRoutes(app, ctx, mcpEndpoint);
    extAuthzRoutes(app, ctx);
    app.get('/health', (res) => {
      const x = ctx.begin(res, 'health');
      if (x) sendJson(x, 200, { status: 'ok' });
    });
    app.get('/ready', (res) => {
      const x = ctx.begin(res, 'ready');
      if (!x) return;
      // Not ready while the shared state cannot answer and some kind of it fails closed: a load balancer sends traffic
      // to instances that can decide. (All kinds open: requests are let through, so the instance stays ready.)
      if (!ready) sendJson(x, 503, { status: 'starting' });
      else if (!ctx.state.healthy && decidesClosed) sendJson(x, 503, { status: 'state_unavailable', state: ctx.state.backend });
      else sendJson(x, 200, { status: 'ready', threads: pool.threads, state: ctx.state.backend });
    });
    app.any('/*', (res, req) => {
      const x = ctx.begin(res, 'other');
      if (!x) return;
      const known = ['/v1/scan', '/v1/stream', '/mcp', '/health', '/ready'].includes(req.getUrl());
      if (known) sendError(x, 405, 'KG_ERR_METHOD', `${req.getMethod().toUpperCase()} is not allowed here`);
      else sendError(x, 404, 'KG_ERR_NOT_FOUND', 'no such route');
    });
  } catch (e) {
    uws.us_listen_socket_close(socket);
    await pool.close();
    throw e;
  }

  let metricsSocket: us_listen_socket | undefined;
  let metricsPort = 0;
  if (s.metrics) {
    const mapp = uws.App();
    mapp.get('/metrics', (res) => {
      let aborted = false;
      res.onAborted(() => { aborted = true; });
      void metrics.registry.metrics().then((text) => {
        if (!aborted) res.cork(() => res.writeHeader('content-type', metrics.registry.contentType).end(text));
      });
    });
    mapp.any('/*', (res) => { res.writeStatus('404 Not Found').end('see /metrics\n'); });
    try {
      metricsSocket = await listen(mapp, s.host, s.metrics_port);
    } catch (e) {
      uws.us_listen_socket_close(socket);
      await pool.close();
      throw e;
    }
    metricsPort = uws.us_socket_local_port(metricsSocket as never);
  }

  let grpc: Awaited<ReturnType<typeof startGrpcAuthz>>;
  try {
    grpc = await startGrpcAuthz(ctx);
  } catch (e) {
    uws.us_listen_socket_close(socket);
    if (metricsSocket) uws.us_listen_socket_close(metricsSocket);
    await pool.close();
    throw new Error(`ext_authz.grpc_port: cannot listen on ${s.host}:${config.ext_authz.grpc_port} (${(e as Error).message})`);
  }

  // Ready once the workers have loaded their scanners and answered: one scan per thread, as many at once as the
  // queue bound allows.
  void (async () => {
    const warm = 'x'.repeat(1024);
    for (let done = 0; done < pool.threads;) {
      const n = Math.min(pool.threads - done, s.max_queue);
      await Promise.all(Array.from({ length: n }, () => pool.scan(warm)));
      done += n;
    }
  })().then(() => {
    ready = true;
    log.info({ threads: pool.threads }, 'scan pool ready');
  }, (e: Error) => log.error({ err: e.message }, 'scan pool failed to start'));

  if (config.state.backend === 'redis' && config.auth.enabled && !config.auth.signing_key_files.length) {
    log.warn({ event: 'ephemeral_signing_key' }, 'shared state with an ephemeral token key: other instances refuse this one\'s tokens (set auth.signing_key_files)');
  }
  // Redis that is not there yet is not fatal: the client keeps trying, fail_mode decides meanwhile, /ready says so.
  ctx.stateReady(5000).catch((e: Error) => log.error({ event: 'state_unavailable', err: e.message }, 'shared state not reachable at start'));
  log.info({ host: s.host, port, metricsPort, ...(grpc && { grpcPort: grpc.port }), state: config.state.backend }, 'kindly-guard listening');
  const updates = startUpdateCheck(config.updates, VERSION, log);

  return {
    port, metricsPort, grpcPort: grpc?.port, context: ctx,
    async close(timeoutMs = s.shutdown_timeout_secs * 1000) {
      ctx.draining = true;
      updates.stop();
      uws.us_listen_socket_close(socket);
      if (unixSocket) uws.us_listen_socket_close(unixSocket);
      if (metricsSocket) uws.us_listen_socket_close(metricsSocket);
      const grpcClosed = grpc?.close();
      const deadline = Date.now() + timeoutMs;
      const busy = () => ctx.inFlight > 0 || [...sockets].some((ws) => ws.getUserData().busy || ws.getUserData().queue.length > 0);
      while (busy() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const drained = !busy();
      for (const ws of sockets) ws.end(1001, 'server shutting down');
      await ctx.close();
      mcp.close();
      await mcpEndpoint.close();
      await grpcClosed;
      await pool.close();
      log.info({ drained }, 'kindly-guard stopped');
      return { drained };
    },
  };
}
