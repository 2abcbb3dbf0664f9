/**
 * Log outputs besides stderr: a file that rotates by size (keeping `max_backups` files, none older than
 * `max_age_days`), and syslog (RFC 5424 messages over TCP with octet-counting framing, RFC 6587; TLS optional,
 * RFC 5425). Both take pino's JSON lines. Syslog never blocks logging: while the connection is down, up to 1000
 * lines wait and older ones are dropped (and counted in the next message that gets through).
 */
import { closeSync, existsSync, fstatSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { hostname } from 'node:os';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface FileOutput { path: string; max_size: number; max_backups: number; max_age_days: number }

/** A pino destination writing to `path`, rotated to path.1, path.2, ... when it passes max_size. */
export function rotatingFile(o: FileOutput): { write(line: string): void; end(): void } {
  let fd = openSync(o.path, 'a', 0o640);
  let size = fstatSync(fd).size;
  const rotate = () => {
    closeSync(fd);
    for (let i = o.max_backups - 1; i >= 1; i--) if (existsSync(`${o.path}.${i}`)) renameSync(`${o.path}.${i}`, `${o.path}.${i + 1}`);
    if (o.max_backups > 0) renameSync(o.path, `${o.path}.1`); else unlinkSync(o.path);
    if (existsSync(`${o.path}.${o.max_backups + 1}`)) unlinkSync(`${o.path}.${o.max_backups + 1}`);
    // Backups past max_age_days go too.
    const oldest = Date.now() - o.max_age_days * 86_400_000;
    for (const f of readdirSync(dirname(o.path))) {
      if (!f.startsWith(`${basename(o.path)}.`)) continue;
      const p = join(dirname(o.path), f);
      if (statSync(p).mtimeMs < oldest) unlinkSync(p);
    }
    fd = openSync(o.path, 'a', 0o640);
    size = 0;
  };
  return {
    write(line: string) {
      const bytes = Buffer.byteLength(line);
      if (size > 0 && size + bytes > o.max_size) rotate();
      writeSync(fd, line);
      size += bytes;
    },
    end() { closeSync(fd); },
  };
}

export interface SyslogOutput { host: string; port: number; tls: boolean; app_name: string }

const SEVERITY: Record<number, number> = { 10: 7, 20: 7, 30: 6, 40: 4, 50: 3, 60: 2 }; // pino level -> syslog severity
const FACILITY = 16; // local0

/** One pino JSON line as an RFC 5424 message, octet-counted. */
export function syslogFrame(line: string, app: string, host = hostname()): string {
  let level = 30, time = Date.now(), event = '-';
  try {
    const o = JSON.parse(line) as { level?: number; time?: number; event?: string };
    level = o.level ?? 30; time = o.time ?? time; event = o.event ? o.event.replace(/[^\x21-\x7e]/g, '').slice(0, 32) || '-' : '-';
  } catch { /* not JSON: sent as is */ }
  const pri = FACILITY * 8 + (SEVERITY[level] ?? 6);
  const msg = `<${pri}>1 ${new Date(time).toISOString()} ${host.replace(/\s/g, '')} ${app} ${process.pid} ${event} - ${line.replace(/\n$/, '')}`;
  return `${Buffer.byteLength(msg)} ${msg}`;
}

export function syslogStream(o: SyslogOutput): { write(line: string): void; end(): void } {
  let socket: Socket | undefined;
  let connected = false;
  let closed = false;
  let dropped = 0;
  const waiting: string[] = [];
  let retry = 500;
  const open = () => {
    if (closed) return;
    const s = o.tls ? tlsConnect({ host: o.host, port: o.port, servername: o.host }) : tcpConnect({ host: o.host, port: o.port });
    socket = s;
    s.on(o.tls ? 'secureConnect' : 'connect', () => {
      connected = true;
      retry = 500;
      for (const f of waiting.splice(0)) s.write(f);
    });
    s.on('error', () => {});
    s.on('close', () => {
      connected = false;
      if (!closed) setTimeout(open, retry).unref();
      retry = Math.min(retry * 2, 30_000);
    });
    s.unref();
  };
  open();
  return {
    write(line: string) {
      let frame = syslogFrame(line, o.app_name);
      if (dropped && connected) { frame = syslogFrame(JSON.stringify({ level: 40, event: 'log_dropped', dropped }), o.app_name) + frame; dropped = 0; }
      if (connected && socket) { socket.write(frame); return; }
      waiting.push(frame);
      if (waiting.length > 1000) { waiting.shift(); dropped++; }
    },
    end() { closed = true; socket?.end(); },
  };
}
