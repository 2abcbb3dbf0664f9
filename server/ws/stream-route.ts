/**
 * WebSocket /v1/stream: msgpack frames `{ id, seq, chunk: bin | text, end? }` in, result frames
 * `{ id, seq, threats, blocked, bytes, end? }` out, one per frame, with the threats new since the last one.
 * Each message is scanned as a stream (engine/stream.ts), so an attack split across frames is found.
 *
 * Limits: frames over max_frame_bytes close the connection (uWS); a message over max_message_bytes, a seq out of
 * order or more than max_open_messages open messages get an error frame and the message is dropped. A client
 * that sends faster than it reads its results is paused (frames wait) while its send buffer drains, and
 * disconnected (1013) once more than max_message_bytes of its frames wait.
 */
import type { TemplatedApp, WebSocket } from 'uWebSockets.js';
import { pack, unpack } from 'msgpackr';
import { StreamScan } from '../../engine/stream.js';
import type { GatewayContext } from '../context.js';
import { AuthError } from '../auth/tokens.js';
import { StateUnavailableError } from '../state/state.js';

interface Message { scan: StreamScan; nextSeq: number; bytes: number; blocked: boolean }
interface Conn {
  messages: Map<string, Message>;
  queue: Buffer[];
  queuedBytes: number;
  busy: boolean;
  paused: boolean;
  closed: boolean;
  /** The authenticated client (undefined with auth off). */
  clientId?: string;
}
interface Frame { id: string | number; seq: number; chunk?: Uint8Array | string; end?: boolean }

/** Output waiting in the socket beyond which a connection's frames are held back until it drains. */
const HIGH_WATER = 256 * 1024;

class FrameError extends Error {
  constructor(readonly code: string, message: string, readonly id?: string | number, readonly dropMessage = false) { super(message); }
}

function parseFrame(bytes: Buffer): Frame {
  let f: unknown;
  try { f = unpack(bytes); } catch (e) { throw new FrameError('KG_ERR_BAD_FRAME', `frame is not msgpack: ${(e as Error).message.slice(0, 120)}`); }
  if (f === null || typeof f !== 'object' || Array.isArray(f)) throw new FrameError('KG_ERR_BAD_FRAME', 'frame must be a map {id, seq, chunk, end?}');
  const { id, seq, chunk, end } = f as Record<string, unknown>;
  if (!((typeof id === 'string' && id.length > 0 && id.length <= 128) || Number.isSafeInteger(id))) {
    throw new FrameError('KG_ERR_BAD_FRAME', 'id must be a string of 1-128 characters or an integer');
  }
  const fid = id as string | number;
  if (!Number.isSafeInteger(seq) || (seq as number) < 0) throw new FrameError('KG_ERR_BAD_FRAME', 'seq must be an integer >= 0', fid);
  if (chunk !== undefined && typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) throw new FrameError('KG_ERR_BAD_FRAME', 'chunk must be binary or text', fid);
  if (end !== undefined && typeof end !== 'boolean') throw new FrameError('KG_ERR_BAD_FRAME', 'end must be a boolean', fid);
  if (chunk === undefined && !end) throw new FrameError('KG_ERR_BAD_FRAME', 'a frame needs a chunk, or end: true', fid);
  return { id: fid, seq: seq as number, chunk: chunk as Frame['chunk'], end: end as boolean | undefined };
}

export function streamRoute(app: TemplatedApp, ctx: GatewayContext, sockets: Set<WebSocket<Conn>>): void {
  const limits = ctx.config.server.websocket;

  function send(ws: WebSocket<Conn>, value: unknown): void {
    const conn = ws.getUserData();
    if (conn.closed) return;
    ws.send(pack(value), true);
    if (ws.getBufferedAmount() > HIGH_WATER) conn.paused = true;
  }

  async function handle(ws: WebSocket<Conn>, bytes: Buffer): Promise<void> {
    const conn = ws.getUserData();
    const frame = parseFrame(bytes);
    const key = `${typeof frame.id}:${frame.id}`;
    let msg = conn.messages.get(key);
    if (!msg) {
      if (frame.seq !== 0) throw new FrameError('KG_ERR_SEQUENCE', `message ${frame.id} is not open: its first frame must have seq 0`, frame.id);
      if (conn.messages.size >= limits.max_open_messages) {
        throw new FrameError('KG_ERR_TOO_MANY_MESSAGES', `at most ${limits.max_open_messages} messages may be open at once`, frame.id);
      }
      msg = { scan: new StreamScan((b) => ctx.pool.scan(b)), nextSeq: 0, bytes: 0, blocked: false };
      conn.messages.set(key, msg);
    }
    if (frame.seq !== msg.nextSeq) throw new FrameError('KG_ERR_SEQUENCE', `expected seq ${msg.nextSeq}, got ${frame.seq}`, frame.id, true);
    msg.nextSeq++;
    const chunk = typeof frame.chunk === 'string' ? Buffer.from(frame.chunk, 'utf8') : frame.chunk ?? new Uint8Array(0);
    msg.bytes += chunk.length;
    if (msg.bytes > limits.max_message_bytes) {
      throw new FrameError('KG_ERR_TOO_LARGE', `message exceeds ${limits.max_message_bytes} bytes`, frame.id, true);
    }
    const started = performance.now();
    const update = await msg.scan.push(chunk, frame.end === true);
    // The stream route's policy (policy.routes.stream, policy.clients) and the client's threat ceiling decide
    // `blocked`, once true for the rest of the message; findings are reported like any other route's.
    msg.blocked ||= ctx.decide('stream', conn.clientId, update.threats).block;
    ctx.metrics.observeScan('websocket', (performance.now() - started) / 1000, update.threats, msg.blocked);
    if (update.threats.length) ctx.report(conn.clientId ?? 'anonymous', 'stream', update.threats, msg.blocked);
    if (frame.end) conn.messages.delete(key);
    send(ws, { id: frame.id, seq: frame.seq, threats: update.threats, blocked: msg.blocked, bytes: update.bytes, ...(frame.end && { end: true }) });
  }

  /** Frames of one connection are handled in order, one at a time (a message's chunks depend on each other). */
  async function pump(ws: WebSocket<Conn>): Promise<void> {
    const conn = ws.getUserData();
    if (conn.busy) return;
    conn.busy = true;
    while (conn.queue.length && !conn.paused && !conn.closed) {
      const bytes = conn.queue.shift()!;
      conn.queuedBytes -= bytes.length;
      try {
        await handle(ws, bytes);
      } catch (err) {
        if (err instanceof FrameError) {
          if (err.dropMessage && err.id !== undefined) conn.messages.delete(`${typeof err.id}:${err.id}`);
          send(ws, { ...(err.id !== undefined && { id: err.id }), error: { code: err.code, message: err.message } });
        } else {
          const e = err as Error & { code?: string };
          // The engine could not answer (overload, timeout, worker crash): say so. fail_mode does not apply to a
          // stream (nothing is let through unscanned), so nothing is counted as failed open.
          send(ws, { error: { code: e.code ?? 'KG_ERR_ENGINE', message: `scan unavailable: ${e.message}` } });
          ctx.log.warn({ event: 'scan_unavailable', route: 'stream', code: e.code }, 'stream scan failed');
        }
      }
    }
    conn.busy = false;
  }

  app.ws<Conn>('/v1/stream', {
    maxPayloadLength: limits.max_frame_bytes,
    idleTimeout: limits.idle_timeout_secs,
    maxBackpressure: 4 * HIGH_WATER,
    upgrade: (res, req, context) => {
      if (ctx.draining) { res.writeStatus('503 Service Unavailable').end(); return; }
      // Headers live only during this call; the token check is asynchronous, so the upgrade completes later.
      const key = req.getHeader('sec-websocket-key'), protocol = req.getHeader('sec-websocket-protocol');
      const extensions = req.getHeader('sec-websocket-extensions');
      let aborted = false;
      res.onAborted(() => { aborted = true; });
      ctx.guard.check(req.getHeader('authorization'), 'scan').then((principal) => {
        if (aborted) return;
        const conn: Conn = { messages: new Map(), queue: [], queuedBytes: 0, busy: false, paused: false, closed: false, clientId: principal?.clientId };
        res.cork(() => res.upgrade(conn, key, protocol, extensions, context));
      }, (e: unknown) => {
        if (aborted) return;
        if (!(e instanceof AuthError)) {
          // The shared state could not answer (fail_mode closed), or something failed: no upgrade, and say why.
          const unavailable = e instanceof StateUnavailableError ? e : undefined;
          if (!unavailable) ctx.log.error({ event: 'handler_error', err: (e as Error)?.message }, 'WebSocket upgrade failed');
          res.cork(() => res.writeStatus(unavailable ? '503 Service Unavailable' : '500 Internal Server Error').writeHeader('content-type', 'application/json')
            .writeHeader('retry-after', '1').end(JSON.stringify({ error: unavailable ? { code: unavailable.code, message: unavailable.message } : { code: 'KG_ERR_INTERNAL', message: 'internal error' } })));
          return;
        }
        const code = e.error === 'client_blocked' ? 'KG_ERR_CLIENT_BLOCKED' : e.status === 403 ? 'KG_ERR_FORBIDDEN' : 'KG_ERR_UNAUTHORIZED';
        res.cork(() => res.writeStatus(e.status === 403 ? '403 Forbidden' : '401 Unauthorized').writeHeader('www-authenticate', ctx.guard.challenge(e))
          .writeHeader('content-type', 'application/json').end(JSON.stringify({ error: { code, message: e.description } })));
      });
    },
    open: (ws) => { sockets.add(ws); },
    message: (ws, message) => {
      const conn = ws.getUserData();
      // The ArrayBuffer is only valid during this call: copy it out once.
      const bytes = Buffer.from(new Uint8Array(message));
      conn.queuedBytes += bytes.length;
      if (conn.queuedBytes > limits.max_message_bytes) {
        conn.closed = true;
        ws.end(1013, 'too many frames waiting: read your results');
        return;
      }
      conn.queue.push(bytes);
      void pump(ws);
    },
    drain: (ws) => {
      const conn = ws.getUserData();
      if (conn.paused && ws.getBufferedAmount() < HIGH_WATER / 2) {
        conn.paused = false;
        void pump(ws);
      }
    },
    close: (ws) => {
      const conn = ws.getUserData();
      conn.closed = true;
      conn.queue.length = 0;
      conn.messages.clear();
      sockets.delete(ws);
    },
  });
}

export type StreamConn = Conn;
