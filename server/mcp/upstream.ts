/** An upstream MCP server as the proxy sees it, whatever the transport. */
import type { Notification, Request, Response } from './jsonrpc.js';
import type { McpSession } from './server.js';

export interface UpstreamReply {
  message: Response;
  /** The reply as received (scanned as it came, not as re-serialized). */
  raw: Uint8Array;
}

export interface ProxySession extends McpSession {
  /** The upstream's own session id (HTTP upstreams); never logged. */
  upstreamSession?: string;
}

export interface Upstream {
  /**
   * true: one upstream connection serves every client (a spawned process), so the proxy does the upstream
   * handshake once and answers each client's `initialize` from it.
   */
  readonly shared: boolean;
  /** The upstream's initialize result (shared upstreams). */
  handshake?(): Promise<unknown>;
  request(msg: Request, session: ProxySession): Promise<UpstreamReply>;
  notify(msg: Notification, session: ProxySession): Promise<void>;
  endSession?(session: ProxySession): Promise<void>;
  close(): Promise<void>;
}

export class UpstreamError extends Error {
  constructor(message: string) { super(message); this.name = 'UpstreamError'; }
}
