/**
 * KindlyGuard as an MCP proxy: every client->server message (tool arguments, prompt arguments, resource URIs) and
 * every server->client response (tool descriptions and schemas in tools/list, tool results, resources, prompts) is
 * scanned, JSON-aware, as the bytes that came over the wire. By policy (route `mcp_proxy`, per client) a message is
 * passed, neutralized or blocked with a JSON-RPC error that summarizes the threats; `report` only logs. Changed
 * tools are caught by pinning. If the engine cannot answer, fail_mode decides.
 */
import type { Logger } from 'pino';
import { createScanner, type Scanner } from '../../engine/scanner.js';
import { isDetection, type ScanResult, type Threat } from '../../engine/threats.js';
import type { GatewayContext } from '../context.js';
import { ToolPins } from './pins.js';
import { StateUnavailableError } from '../state/state.js';
import { PROTOCOL_VERSIONS, clientIdFrom } from './server.js';
import { UpstreamError, type ProxySession, type Upstream } from './upstream.js';
import {
  BLOCKED, INVALID_REQUEST, NOT_PERMITTED, UNAVAILABLE, UPSTREAM_ERROR, failure, isNotification, isRequest, success,
  type Message, type Notification, type Request, type Response,
} from './jsonrpc.js';

class EngineUnavailable extends Error {}

/** What a blocked message's error carries: where and what, never the matched text itself. */
function summary(threats: Threat[]) {
  return threats.filter(isDetection).slice(0, 20).map((t) => ({ type: t.type, severity: t.severity, ...(t.path !== undefined && { path: t.path }), description: t.description }));
}

function describe(threats: Threat[]): string {
  const types = [...new Set(threats.filter(isDetection).map((t) => t.type))];
  return types.length ? types.join(', ') : 'policy';
}

export function createMcpProxy(ctx: GatewayContext, upstream: Upstream, log: Logger) {
  const up = ctx.config.upstream;
  const pins = up?.pin_tools === false ? undefined
    : new ToolPins(ctx.state, up?.url ?? [up?.command ?? '', ...(up?.args ?? [])].join(' '), ctx.config.state.pin_ttl_days * 86_400_000);
  let neutralizer: Scanner | undefined;

  /** Scans a message's bytes; undefined when the engine failed and fail_mode is open (counted by the context). */
  async function scan(raw: Uint8Array, session: ProxySession): Promise<ScanResult | undefined> {
    const t0 = performance.now();
    try {
      const r = await ctx.pool.scanJsonBytes(raw);
      ctx.metrics.observeScan(session.transport ?? 'mcp_http', (performance.now() - t0) / 1000, [], false); // threats: in apply()
      return r;
    } catch (e) {
      if (ctx.engineFailure(e as { code?: string }) === 'closed') throw new EngineUnavailable((e as Error).message);
      return undefined;
    }
  }

  /** Every string in a JSON value replaced by its neutralized form (threats removed). */
  function neutralizeValue<T>(value: T): T {
    neutralizer ??= createScanner({ scanner: ctx.config.scanner, policy: { ...ctx.config.policy, action: 'neutralize' } });
    const n = neutralizer;
    return JSON.parse(JSON.stringify(value), (_k, v) => (typeof v === 'string' ? n.neutralize(v) : v)) as T;
  }

  function bytesOf(msg: Message, raw?: Uint8Array): Uint8Array {
    return raw ?? Buffer.from(JSON.stringify(msg));
  }

  /** Applies the policy to a scan of one direction; returns the message to go on with, or an error answer. */
  function apply<T extends Message>(msg: T, r: ScanResult | undefined, extra: Threat[], session: ProxySession, direction: 'request' | 'response',
    id: Request['id'] | null): { go: T } | { stop: Response } {
    const threats = [...(r?.threats ?? []), ...extra];
    const d = ctx.decide('mcp_proxy', session.clientId, threats);
    if (threats.length) {
      ctx.report(session.clientId, 'mcp_proxy', threats, d.block);
      ctx.metrics.countThreats(threats, d.block);
    }
    if (d.wouldBlock) {
      log.warn({ event: d.block ? 'mcp_blocked' : d.neutralize ? 'mcp_neutralized' : 'mcp_would_block', client_id: session.clientId, direction, method: 'method' in msg ? msg.method : undefined, action: d.action,
        threats: [...new Set(threats.map((t) => t.type))] }, d.block ? 'MCP message blocked' : d.neutralize ? 'MCP message neutralized' : 'MCP message would be blocked (report mode)');
    }
    if (d.block) {
      return { stop: failure(id, BLOCKED, `${direction} blocked by kindly-guard: ${describe(threats)}`, { threats: summary(threats) }) };
    }
    if (d.neutralize) {
      try {
        if ('params' in msg && msg.params) return { go: { ...msg, params: neutralizeValue(msg.params) } };
        if ('result' in msg) return { go: { ...msg, result: neutralizeValue(msg.result) } };
        if ('error' in msg) return { go: { ...msg, error: neutralizeValue(msg.error) } };
      } catch {
        return { stop: failure(id, BLOCKED, `${direction} could not be neutralized and was blocked`, { threats: summary(threats) }) };
      }
    }
    return { go: msg };
  }

  async function request(msg: Request, session: ProxySession, raw?: Uint8Array): Promise<Response> {
    if (msg.method === 'initialize' && !session.authenticated) session.clientId = clientIdFrom((msg.params?.clientInfo as { name?: unknown } | undefined)?.name);
    if (msg.method === 'initialize' && upstream.shared) {
      // One upstream process for every client: answer from the proxy's own handshake, scanned like any response.
      const result = await upstream.handshake!();
      const asked = msg.params?.protocolVersion;
      session.protocolVersion = typeof asked === 'string' && PROTOCOL_VERSIONS.includes(asked) ? asked : PROTOCOL_VERSIONS[0];
      const answer = success(msg.id, { ...(result as object), protocolVersion: session.protocolVersion });
      const out = apply(answer, await scan(bytesOf(answer), session), [], session, 'response', msg.id);
      return 'stop' in out ? out.stop : out.go;
    }
    if (msg.method === 'tools/call') {
      // Deny by default: only tools the client's permissions allow reach the upstream.
      const tool = String(msg.params?.name ?? '');
      if (!ctx.permissions.toolPermitted(session.clientId, tool)) {
        log.info({ event: 'tool_denied', client_id: session.clientId, tool: tool.slice(0, 64) }, 'MCP tool call not permitted');
        return failure(msg.id, NOT_PERMITTED, `tool '${tool.slice(0, 64)}' is not permitted for this client`);
      }
    }
    const inbound = apply(msg, await scan(bytesOf(msg, raw), session), [], session, 'request', msg.id);
    if ('stop' in inbound) return inbound.stop;
    const reply = await upstream.request(inbound.go, session);
    if (msg.method === 'initialize') {
      const v = (reply.message as { result?: { protocolVersion?: unknown } }).result?.protocolVersion;
      if (typeof v === 'string') session.protocolVersion = v;
    }
    // Error answers are scanned too: an upstream's error message reaches the model like any result.
    const extra = pins && msg.method === 'tools/list' && 'result' in reply.message ? await pins.check(reply.message.result) : [];
    const outbound = apply(reply.message, await scan(reply.raw, session), extra, session, 'response', msg.id);
    if ('stop' in outbound) return outbound.stop;
    return msg.method === 'tools/list' ? permittedTools(outbound.go, session) : outbound.go;
  }

  /** A tools/list answer shows only the tools this client may call. */
  function permittedTools(res: Response, session: ProxySession): Response {
    const result = (res as { result?: { tools?: unknown } }).result;
    if (!result || !Array.isArray(result.tools)) return res;
    const tools = result.tools.filter((t) => ctx.permissions.toolPermitted(session.clientId, String((t as { name?: unknown })?.name ?? '')));
    return { ...res, result: { ...result, tools } } as Response;
  }

  async function notification(msg: Notification, session: ProxySession, raw?: Uint8Array): Promise<void> {
    const inbound = apply(msg, await scan(bytesOf(msg, raw), session), [], session, 'request', null);
    if ('go' in inbound) await upstream.notify(inbound.go, session);
  }

  return {
    async handle(msg: Message, session: ProxySession, raw?: Uint8Array): Promise<Response | undefined> {
      const id = isRequest(msg) ? msg.id : null;
      try {
        if (isRequest(msg)) return await request(msg, session, raw);
        if (isNotification(msg)) await notification(msg, session, raw);
        return undefined; // responses from a client (to server requests) are not relayed yet
      } catch (e) {
        if (id === null) { log.warn({ err: (e as Error).message }, 'MCP notification not delivered'); return undefined; }
        if (e instanceof EngineUnavailable) return failure(id, UNAVAILABLE, `scan unavailable (fail_mode closed): ${e.message}`);
        if (e instanceof StateUnavailableError) return failure(id, UNAVAILABLE, e.message);
        if (e instanceof UpstreamError) return failure(id, UPSTREAM_ERROR, e.message);
        if (e instanceof RangeError) return failure(id, INVALID_REQUEST, 'message nested too deeply');
        throw e;
      }
    },
    endSession: (session: ProxySession) => upstream.endSession?.(session),
    close: () => upstream.close(),
  };
}

export type McpProxy = ReturnType<typeof createMcpProxy>;
