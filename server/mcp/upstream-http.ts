/**
 * An upstream MCP server over Streamable HTTP. Each client session gets its own upstream session (the upstream's
 * Mcp-Session-Id is kept on the proxy's session and never logged); answers come as JSON or as a server-sent event
 * stream, read until the response to our request arrives.
 */
import type { UpstreamConfig } from '../config.js';
import { validate, isResponse, type Message, type Response } from './jsonrpc.js';
import { UpstreamError, type ProxySession, type Upstream, type UpstreamReply } from './upstream.js';

async function post(cfg: UpstreamConfig, body: Message, session: ProxySession): Promise<globalThis.Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  if (session.upstreamSession) headers['mcp-session-id'] = session.upstreamSession;
  if (session.protocolVersion) headers['mcp-protocol-version'] = session.protocolVersion;
  try {
    return await fetch(cfg.url!, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(cfg.timeout_ms) });
  } catch (e) {
    throw new UpstreamError(`upstream unreachable: ${(e as Error).name === 'TimeoutError' ? `no answer within ${cfg.timeout_ms} ms` : (e as Error).message}`);
  }
}

/** Reads an event stream until a JSON-RPC response with `id` arrives; returns it and the event's data as received. */
async function fromEventStream(res: globalThis.Response, id: unknown): Promise<UpstreamReply> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (value) buf += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buf.search(/\r?\n\r?\n/)) >= 0) {
        const event = buf.slice(0, end);
        buf = buf.slice(end).replace(/^\r?\n\r?\n/, '');
        const data = event.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
        if (!data) continue;
        let parsed: unknown;
        try { parsed = JSON.parse(data); } catch { continue; }
        const msg = validate(parsed);
        if (typeof msg !== 'string' && isResponse(msg) && msg.id === id) return { message: msg, raw: Buffer.from(data) };
      }
      if (done) throw new UpstreamError('upstream event stream ended without a response');
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
}

export function httpUpstream(cfg: UpstreamConfig): Upstream {
  return {
    shared: false,
    async request(msg, session) {
      const res = await post(cfg, msg, session);
      const sid = res.headers.get('mcp-session-id');
      if (sid && msg.method === 'initialize') session.upstreamSession = sid;
      if (res.status === 404 && session.upstreamSession) throw new UpstreamError('upstream session expired: initialize again');
      const type = res.headers.get('content-type') ?? '';
      if (!res.ok && !type.includes('json')) throw new UpstreamError(`upstream answered HTTP ${res.status}`);
      if (type.includes('text/event-stream')) return fromEventStream(res, msg.id);
      const raw = new Uint8Array(await res.arrayBuffer());
      let parsed: unknown;
      try { parsed = JSON.parse(Buffer.from(raw).toString('utf8')); } catch { throw new UpstreamError('upstream answered with malformed JSON'); }
      const m = validate(Array.isArray(parsed) ? parsed[0] : parsed);
      if (typeof m === 'string' || !isResponse(m)) throw new UpstreamError(`upstream answered something that is not a JSON-RPC response${typeof m === 'string' ? `: ${m}` : ''}`);
      return { message: m as Response, raw };
    },
    async notify(msg, session) {
      const res = await post(cfg, msg, session);
      await res.arrayBuffer().catch(() => undefined);
    },
    async endSession(session) {
      if (!session.upstreamSession) return;
      await fetch(cfg.url!, { method: 'DELETE', headers: { 'mcp-session-id': session.upstreamSession }, signal: AbortSignal.timeout(cfg.timeout_ms) }).catch(() => undefined);
    },
    async close() {},
  };
}
