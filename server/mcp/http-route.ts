/**
 * MCP Streamable HTTP at /mcp. POST carries one JSON-RPC message or a batch; `initialize` opens a session whose id
 * comes back in `Mcp-Session-Id` and must accompany every later request (unknown or expired: 404). Answers are
 * JSON, or a one-event stream for a client that accepts only text/event-stream; notifications alone get 202.
 * GET (server-initiated streams) is not offered: 405. DELETE ends the session. Session ids are never logged.
 */
import { randomBytes } from 'node:crypto';
import type { HttpRequest, HttpResponse, TemplatedApp } from 'uWebSockets.js';
import type { GatewayContext } from '../context.js';
import { bodyFraming, readBody } from '../http/body.js';
import { decodeUtf8 } from '../../engine/utf8.js';
import { signatureHeaders } from '../auth/signing.js';
import { send, sendError, sendJson } from '../http/respond.js';
import type { McpEndpoint } from './endpoint.js';
import { PROTOCOL_VERSIONS } from './server.js';
import { dispatch, parsePayload } from './dispatch.js';
import { BLOCKED, failure, INVALID_REQUEST } from './jsonrpc.js';
import type { ProxySession } from './upstream.js';
import { AuthError, type Principal } from '../auth/tokens.js';

/** Methods with a rate-limit bucket of their own; any other method shares 'other' (bounded metric labels). */
const LIMITED_METHODS = new Set(['initialize', 'ping', 'tools/list', 'tools/call', 'resources/list', 'resources/read', 'prompts/list',
  'prompts/get', 'security/threats', 'security/client_activity', 'security/status']);

/** Scopes MCP methods need beyond a valid token. */
const METHOD_SCOPES = new Map<string, string>([
  ['tools/call', 'tools:execute'], ['resources/read', 'resources:read'], ['prompts/get', 'prompts:read'],
  ['security/threats', 'admin'], ['security/client_activity', 'admin'], ['security/status', 'admin'],
]);

/** Sessions idle this long are ended. */
const SESSION_IDLE_MS = 60 * 60 * 1000;
const MAX_SESSIONS = 10_000;
/** Sessions one authenticated client may hold: past it, that client's own oldest session ends, not someone else's. */
const MAX_SESSIONS_PER_CLIENT = 100;

interface Entry { session: ProxySession; lastSeen: number }


export function mcpRoutes(app: TemplatedApp, ctx: GatewayContext, endpoint: McpEndpoint): { close(): void } {
  const sessions = new Map<string, Entry>();
  const end = (id: string) => {
    const e = sessions.get(id);
    if (!e) return;
    sessions.delete(id);
    void endpoint.endSession(e.session).catch(() => {});
  };
  const sweep = setInterval(() => {
    const old = Date.now() - SESSION_IDLE_MS;
    for (const [id, e] of sessions) if (e.lastSeen < old) end(id);
  }, 60_000);
  sweep.unref();

  app.post('/mcp', (res: HttpResponse, req: HttpRequest) => {
    const x = ctx.begin(res, 'mcp');
    if (!x) return;
    const type = req.getHeader('content-type').split(';')[0]!.trim().toLowerCase();
    const accept = req.getHeader('accept');
    const sessionId = req.getHeader('mcp-session-id');
    const version = req.getHeader('mcp-protocol-version');
    const framing = bodyFraming(req);
    const who = ctx.guard.check(req.getHeader('authorization'), undefined, true);
    who.catch(() => {});
    const signed = signatureHeaders(req);
    if (!framing.ok) { sendError(x, framing.status, 'KG_ERR_BAD_REQUEST', framing.message, { connection: 'close' }); return; }
    if (type !== 'application/json') { sendError(x, 415, 'KG_ERR_MEDIA_TYPE', 'MCP messages are application/json'); return; }
    const sse = accept !== '' && !/application\/json|\*\/\*/.test(accept) && accept.includes('text/event-stream');
    if (accept !== '' && !sse && !/application\/json|\*\/\*/.test(accept)) { sendError(x, 406, 'KG_ERR_NOT_ACCEPTABLE', 'accept application/json or text/event-stream'); return; }
    if (version !== '' && !PROTOCOL_VERSIONS.includes(version)) {
      sendError(x, 400, 'KG_ERR_PROTOCOL_VERSION', `unsupported MCP-Protocol-Version (supported: ${PROTOCOL_VERSIONS.join(', ')})`);
      return;
    }
    ctx.bodyDeadline(x);
    readBody(res, framing.length, ctx.config.server.max_body_bytes, (outcome) => {
      if (x.done) return;
      if (!outcome.ok) { sendError(x, 413, 'KG_ERR_TOO_LARGE', `request body exceeds ${ctx.config.server.max_body_bytes} bytes`, { connection: 'close' }); return; }
      void who.then((p) => answer(outcome.bytes, p), (e) => ctx.guard.reject(x, e));
    });

    async function answer(bytes: Uint8Array, principal: Principal | undefined) {
      const signature = ctx.verifySignature(x!, signed, 'POST', '/mcp', bytes, principal?.clientId);
      if (!signature) return;
      const text = decodeUtf8(bytes);
      if (text === undefined) { sendJson(x!, 400, failure(null, INVALID_REQUEST, 'body is not valid UTF-8')); return; }
      const parsed = parsePayload(text);
      if ('error' in parsed) { sendJson(x!, 400, parsed.error); return; }
      const initializing = !Array.isArray(parsed.value) && (parsed.value as { method?: unknown } | null)?.method === 'initialize';
      const messages = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
      const methods = messages.map((m) => (m as { method?: unknown } | null)?.method).filter((m): m is string => typeof m === 'string');
      for (const method of methods) {
        // Each method's scope (tools/call needs tools:execute, ...), for every message of a batch.
        const needed = METHOD_SCOPES.get(method);
        if (principal && needed && !principal.scopes.has(needed)) { ctx.guard.reject(x!, new AuthError('insufficient_scope', `the token lacks the scope: ${needed}`, 403)); return; }
      }
      // Admission (revocation, block, nonce) with each method's rate limit: a bucket per client and method. The
      // nonce is spent once, with the first.
      const limits = methods.length ? methods.map((m) => (LIMITED_METHODS.has(m) ? m : 'other')) : [undefined];
      for (let i = 0; i < limits.length; i++) {
        if (!(await ctx.admit(x!, principal, limits[i], i === 0 ? signature.nonce : undefined))) return;
      }
      let entry: Entry | undefined;
      const headers: Record<string, string> = {};
      if (sessionId) {
        entry = sessions.get(sessionId);
        // A session belongs to the client that opened it: another client's token does not find it.
        if (!entry || (principal && entry.session.clientId !== principal.clientId)) {
          sendJson(x!, 404, failure(null, INVALID_REQUEST, 'unknown or expired session: initialize again'));
          return;
        }
      } else if (initializing) {
        if (principal) {
          const own = [...sessions].filter(([, e]) => e.session.authenticated && e.session.clientId === principal.clientId);
          if (own.length >= MAX_SESSIONS_PER_CLIENT) end(own[0]![0]);
        }
        if (sessions.size >= MAX_SESSIONS) end(sessions.keys().next().value!);
        const id = randomBytes(18).toString('base64url');
        entry = { session: principal ? { clientId: principal.clientId, authenticated: true, initialized: false } : { clientId: 'anonymous', initialized: false }, lastSeen: 0 };
        sessions.set(id, entry);
        headers['mcp-session-id'] = id;
      } else {
        sendJson(x!, 400, failure(null, INVALID_REQUEST, 'Mcp-Session-Id header required (send initialize first)'));
        return;
      }
      entry.lastSeen = Date.now();
      let out;
      try {
        out = await dispatch(endpoint, parsed.value, entry.session, bytes);
      } catch (e) {
        ctx.log.error({ err: (e as Error).message }, 'MCP request failed');
        sendJson(x!, 500, failure(null, -32603, 'internal error'));
        return;
      }
      if (x!.done) return;
      // A message blocked for its threats costs the client threat_penalty_multiplier tokens.
      ctx.penalize(x!, principal?.clientId, 'tools/call', out.responses.filter((r) => 'error' in r && r.error.code === BLOCKED).length);
      if (!out.responses.length) { send(x!, 202, '', 'application/json', headers); return; }
      const body = JSON.stringify(out.batch ? out.responses : out.responses[0]);
      if (sse) send(x!, 200, `event: message\ndata: ${body}\n\n`, 'text/event-stream', { ...headers, 'cache-control': 'no-cache' });
      else send(x!, 200, body, 'application/json', headers);
    }
  });

  app.get('/mcp', (res) => {
    const x = ctx.begin(res, 'mcp');
    if (x) sendError(x, 405, 'KG_ERR_METHOD', 'server-initiated streams are not offered: POST messages to /mcp', { allow: 'POST, DELETE' });
  });

  app.del('/mcp', (res, req) => {
    const x = ctx.begin(res, 'mcp');
    if (!x) return;
    const id = req.getHeader('mcp-session-id');
    void ctx.guard.check(req.getHeader('authorization'), undefined).then((principal) => {
      const entry = sessions.get(id);
      if (!id || !entry || (principal && entry.session.clientId !== principal.clientId)) { sendError(x, 404, 'KG_ERR_SESSION', 'unknown session'); return; }
      end(id);
      send(x, 204, '', 'application/json');
    }, (e) => ctx.guard.reject(x, e));
  });

  return { close() { clearInterval(sweep); for (const id of [...sessions.keys()]) end(id); } };
}
