/**
 * An upstream MCP server spawned as a child process, newline-delimited JSON-RPC on its stdin/stdout. One process
 * serves every client: request ids are rewritten to the proxy's own (so two clients' id 1 cannot collide) and
 * restored on the way back. The proxy initializes it once. If it exits, requests in flight fail and the next
 * request starts it again. Its stderr is drained and never logged (it may print secrets).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import type { UpstreamConfig } from '../config.js';
import { PROTOCOL_VERSIONS, SERVER_INFO } from './server.js';
import { validate, isResponse, type Response } from './jsonrpc.js';
import { UpstreamError, type Upstream, type UpstreamReply } from './upstream.js';

interface Pending { resolve(r: UpstreamReply): void; reject(e: Error): void; timer: NodeJS.Timeout }

/**
 * The upstream's environment: what a program needs to run (PATH, HOME, locale, temp dir) plus `upstream.env`, never
 * the gateway's own variables (they hold its secrets: client hashes, webhook URLs, *_FILE paths).
 */
export function upstreamEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'SYSTEMROOT', 'NODE_PATH'];
  const base: NodeJS.ProcessEnv = {};
  for (const k of keep) if (process.env[k] !== undefined) base[k] = process.env[k];
  return { ...base, ...extra };
}

export function stdioUpstream(cfg: UpstreamConfig, log: Logger): Upstream {
  let child: ChildProcessWithoutNullStreams | undefined;
  let handshake: Promise<unknown> | undefined;
  const pending = new Map<number, Pending>();
  let nextId = 1;

  function fail(all: Error) {
    for (const p of pending.values()) { clearTimeout(p.timer); p.reject(all); }
    pending.clear();
  }

  function start(): ChildProcessWithoutNullStreams {
    const c = spawn(cfg.command!, cfg.args, { env: upstreamEnv(cfg.env), stdio: ['pipe', 'pipe', 'pipe'] });
    c.stderr.resume();
    c.on('error', (e) => { log.error({ err: e.message }, 'upstream MCP process failed to start'); });
    c.on('exit', (code, signal) => {
      log.warn({ code, signal }, 'upstream MCP process exited');
      if (child === c) { child = undefined; handshake = undefined; }
      fail(new UpstreamError(`upstream process exited (${signal ?? code})`));
    });
    c.stdin.on('error', () => {}); // EPIPE after exit: the exit handler reports it
    createInterface({ input: c.stdout, crlfDelay: Infinity }).on('line', (line) => {
      if (!line.trim()) return;
      let parsed: unknown;
      try { parsed = JSON.parse(line); } catch { log.warn('upstream sent a line that is not JSON; ignored'); return; }
      const msg = validate(parsed);
      // Requests and notifications from the upstream to clients (sampling, progress) are not relayed yet.
      if (typeof msg === 'string' || !isResponse(msg)) return;
      const p = typeof msg.id === 'number' ? pending.get(msg.id) : undefined;
      if (!p) return;
      pending.delete(msg.id as number);
      clearTimeout(p.timer);
      p.resolve({ message: msg, raw: Buffer.from(line) });
    });
    return c;
  }

  function call(method: string, params: Record<string, unknown> | undefined): Promise<UpstreamReply> {
    child ??= start();
    const id = nextId++;
    const c = child;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { pending.delete(id); reject(new UpstreamError(`upstream did not answer ${method} within ${cfg.timeout_ms} ms`)); }, cfg.timeout_ms);
      pending.set(id, { resolve, reject, timer });
      c.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, ...(params && { params }) }) + '\n');
    });
  }

  function ensureHandshake(): Promise<unknown> {
    handshake ??= call('initialize', { protocolVersion: PROTOCOL_VERSIONS[0], capabilities: {}, clientInfo: { name: `${SERVER_INFO.name}-proxy`, version: SERVER_INFO.version } })
      .then((r) => {
        if ('error' in r.message) throw new UpstreamError(`upstream refused initialize: ${r.message.error.message}`);
        child?.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
        return r.message.result;
      });
    handshake.catch(() => { handshake = undefined; });
    return handshake;
  }

  return {
    shared: true,
    handshake: ensureHandshake,
    async request(msg) {
      await ensureHandshake();
      const reply = await call(msg.method, msg.params);
      // Restore the client's id (the raw bytes keep the proxy's: they are only scanned).
      const message = { ...reply.message, id: msg.id } as Response;
      return { message, raw: reply.raw };
    },
    async notify(msg) {
      if (msg.method === 'notifications/initialized') return; // the proxy sent its own
      await ensureHandshake();
      child?.stdin.write(JSON.stringify(msg) + '\n');
    },
    async close() {
      const c = child;
      child = undefined;
      fail(new UpstreamError('proxy is shutting down'));
      if (c && c.exitCode === null) {
        c.stdin.end();
        const exited = new Promise((r) => c.once('exit', r));
        const timer = setTimeout(() => c.kill('SIGKILL'), 2000);
        c.kill('SIGTERM');
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
