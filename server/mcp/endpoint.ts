/**
 * The MCP endpoint the transports talk to: KindlyGuard's own MCP server, or, with `upstream:` configured, the
 * proxy in front of that server. The gateway's admin methods (`security/*`) are answered by KindlyGuard either way.
 */
import type { Logger } from 'pino';
import type { GatewayContext } from '../context.js';
import { createMcpServer } from './server.js';
import { createMcpProxy } from './proxy.js';
import { httpUpstream } from './upstream-http.js';
import { stdioUpstream } from './upstream-stdio.js';
import type { ProxySession } from './upstream.js';
import { withBreaker } from './breaker.js';
import { isRequest, type Message, type Response } from './jsonrpc.js';

export interface McpEndpoint {
  readonly mode: 'server' | 'proxy';
  handle(msg: Message, session: ProxySession, raw?: Uint8Array): Promise<Response | undefined>;
  endSession(session: ProxySession): Promise<void>;
  close(): Promise<void>;
}

export function createMcpEndpoint(ctx: GatewayContext, log: Logger): McpEndpoint {
  const server = createMcpServer(ctx, ctx.activity);
  const up = ctx.config.upstream;
  if (!up) {
    return { mode: 'server', handle: (m, s) => server.handle(m, s), endSession: async () => {}, close: async () => {} };
  }
  const upstream = withBreaker(up.url ? httpUpstream(up) : stdioUpstream(up, log), {
    failures: up.breaker_failures, openSecs: up.breaker_open_secs,
    onState: (state) => { ctx.metrics.breakerState(state); log.warn({ event: 'circuit_breaker', state }, 'upstream circuit breaker'); },
  });
  const proxy = createMcpProxy(ctx, upstream, log);
  return {
    mode: 'proxy',
    handle(m, s, raw) {
      if (isRequest(m) && m.method.startsWith('security/')) return server.handle(m, s);
      return proxy.handle(m, s, raw);
    },
    endSession: async (s) => { await proxy.endSession(s); },
    close: () => proxy.close(),
  };
}
