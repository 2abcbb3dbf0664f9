/**
 * The gateway's logger: pino, JSON lines on stderr, level from KINDLY_GUARD_LOG_LEVEL (or `logging.level`). Keys
 * that hold credentials are redacted wherever they appear, and string values matching
 * `log_sanitization.redact_patterns` are masked: a secret must not reach a log line even by mistake. Events that
 * operators alert on carry a stable `event` field (threat, auth_failure, rate_limited, client_blocked, incident, ...).
 */
import pino, { type Logger } from 'pino';
import { bool, int, validateSection, oneOf, type Check } from '../engine/config.js';
import { rotatingFile, syslogStream, type FileOutput, type SyslogOutput } from './log-outputs.js';

export interface LoggingConfig { level: string; redact_patterns: string[]; file?: FileOutput; syslog?: SyslogOutput }

export const DEFAULT_LOGGING: LoggingConfig = { level: 'info', redact_patterns: [] };

const FILE_KEYS: Record<string, Check> = {
  path: (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a file path'),
  max_size: int(4096, 1 << 30), max_backups: int(0, 1000), max_age_days: int(1, 3650),
};
const SYSLOG_KEYS: Record<string, Check> = {
  host: (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a host name or address'),
  port: int(1, 65535), tls: bool, app_name: (v) => (typeof v === 'string' && /^[\x21-\x7e]{1,48}$/.test(v) ? null : 'must be 1-48 printable characters'),
};

const REDACTED_KEYS = ['authorization', 'password', 'passwd', 'secret', 'client_secret', 'token', 'access_token', 'refresh_token', 'api_key',
  'apikey', 'cookie', 'set-cookie', 'private_key', 'session_id', 'mcp-session-id'];

const patterns: Check = (v) => {
  if (!Array.isArray(v) || !v.every((p) => typeof p === 'string' && p.length > 0 && p.length <= 200)) return 'must be a list of regular expressions';
  for (const p of v as string[]) { try { new RegExp(p); } catch { return `not a valid regular expression: ${p.slice(0, 40)}`; } }
  return null;
};

export function validateLogging(input: unknown, bad: (path: string, msg: string) => void): LoggingConfig {
  const cfg: LoggingConfig = structuredClone(DEFAULT_LOGGING);
  const root = input as { logging?: unknown; log_sanitization?: unknown } | null;
  const { file, syslog, ...rest } = (root?.logging ?? {}) as Record<string, unknown>;
  validateSection(rest, { level: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']) }, 'logging', cfg as unknown as Record<string, unknown>, bad);
  if (file !== undefined && file !== null) {
    const f: Partial<FileOutput> = { max_size: 10 * 1024 * 1024, max_backups: 5, max_age_days: 14 };
    validateSection(file, FILE_KEYS, 'logging.file', f as Record<string, unknown>, bad);
    if (f.path) cfg.file = f as FileOutput; else bad('logging.file.path', 'is required');
  }
  if (syslog !== undefined && syslog !== null) {
    const y: Partial<SyslogOutput> = { port: 6514, tls: true, app_name: 'kindly-guard' };
    validateSection(syslog, SYSLOG_KEYS, 'logging.syslog', y as Record<string, unknown>, bad);
    if (y.host) cfg.syslog = y as SyslogOutput; else bad('logging.syslog.host', 'is required');
  }
  validateSection(root?.log_sanitization, { redact_patterns: patterns }, 'log_sanitization', cfg as unknown as Record<string, unknown>, bad);
  return cfg;
}

/** Masks configured patterns in every string of a log record (keys named like credentials are already removed). */
function sanitizer(list: string[]): ((o: Record<string, unknown>) => Record<string, unknown>) | undefined {
  if (!list.length) return undefined;
  const res = list.map((p) => new RegExp(p, 'g'));
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return res.reduce((s, re) => s.replace(re, '[REDACTED]'), v);
    if (depth > 8 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, depth + 1)]));
  };
  return (o) => walk(o, 0) as Record<string, unknown>;
}

export function createLogger(cfg: LoggingConfig, destination: pino.DestinationStream = pino.destination(2)): Logger {
  const mask = sanitizer(cfg.redact_patterns);
  // Every output gets the same redacted lines: stderr always, a rotating file and syslog when configured.
  const outputs: pino.StreamEntry[] = [{ level: 'trace', stream: destination }];
  if (cfg.file) outputs.push({ level: 'trace', stream: rotatingFile(cfg.file) });
  if (cfg.syslog) outputs.push({ level: 'trace', stream: syslogStream(cfg.syslog) });
  const instance = process.env.KINDLY_GUARD_INSTANCE;
  return pino({
    level: process.env.KINDLY_GUARD_LOG_LEVEL ?? cfg.level,
    // Under `serve --instances N`, each line says which instance wrote it.
    ...(instance !== undefined && { base: { pid: process.pid, instance: Number(instance) } }),
    // Up to three levels deep (fast-redact wildcards match one level each); keys with '-' in bracket form.
    redact: { paths: REDACTED_KEYS.flatMap((k) => { const key = /^\w+$/.test(k) ? k : `["${k}"]`; const sep = key.startsWith('[') ? '' : '.';
      return [key, `*${sep}${key}`, `*.*${sep}${key}`]; }), censor: '[REDACTED]' },
    // The record's fields through the formatter, the message text through the hook.
    ...(mask && {
      formatters: { log: mask },
      hooks: { logMethod(args: unknown[], method: (...a: unknown[]) => void) { method.apply(this, args.map((a) => (typeof a === 'string' ? (mask({ m: a }).m as string) : a))); } },
    }),
  }, outputs.length === 1 ? destination : pino.multistream(outputs));
}
