/**
 * The `server:` section of the YAML config: where to listen, body and WebSocket limits, timeouts, fail mode. Same
 * rules as the engine's sections: unknown or mistyped keys are errors naming the key and its line.
 */
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../engine/errors.js';
import { validateAuth, type AuthConfig } from './auth/config.js';
import { validateRateLimit, type RateLimitConfig } from './ratelimit.js';
import { validatePermissions, type PermissionsConfig } from './permissions.js';
import { validateSigning, type SigningConfig } from './auth/signing.js';
import { validateIncidents, type IncidentConfig } from './incidents.js';
import { validateLogging, type LoggingConfig } from './logging.js';
import { validateUpdates, type UpdatesConfig } from './update-check.js';
import { validateState, type StateConfig } from './state/config.js';
import { validateExtAuthz, type ExtAuthzConfig } from './envoy/ext-authz.js';
import { bool, int, oneOf, readConfigDocument, validateConfig, validateSection, type Check, type KindlyGuardConfig } from '../engine/config.js';

export interface WebSocketConfig {
  /** Largest single frame (bytes). */
  max_frame_bytes: number;
  /** Largest message assembled from chunks (bytes). */
  max_message_bytes: number;
  /** A connection silent this long is closed. */
  idle_timeout_secs: number;
  /** Messages a connection may have open (started, not ended) at once. */
  max_open_messages: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  /** Prometheus metrics listener (GET /metrics); 0 picks a free port. */
  metrics_port: number;
  /** false: no metrics listener at all. */
  metrics: boolean;
  /** Largest request body; larger ones get 413. */
  max_body_bytes: number;
  /** A request whose body has not fully arrived after this long gets 408 (slow clients cost nothing after). */
  request_timeout_secs: number;
  /** On SIGTERM/SIGINT: stop accepting, finish in-flight work for at most this long, then exit. */
  shutdown_timeout_secs: number;
  /** Scan worker threads; 0 means one per CPU core. */
  threads: number;
  /** Scans waiting for a worker beyond which requests are refused (503) or let through, per fail_mode. */
  max_queue: number;
  /**
   * Bodies smaller than this are scanned on the event loop, where a hand-off to a worker costs more than it saves.
   * Default: 4096 on machines with two cores or fewer (the workers would compete with the event loop for the same
   * cores: `npm run load` measured 28k req/s inline vs 15k through the pool for 1 KiB bodies on 2 cores), else 256.
   */
  inline_below_bytes: number;
  /** A scan taking longer fails (and the worker is replaced). */
  scan_timeout_ms: number;
  /** When the engine cannot answer (overloaded, timed out): `closed` refuses the request, `open` lets it through. */
  fail_mode: 'closed' | 'open';
  websocket: WebSocketConfig;
  /** HTTPS and WSS on the API port (the metrics port stays plain HTTP, on its own address). */
  tls?: TlsConfig;
  /** A unix socket listener besides TCP, for a sidecar on the same host. */
  unix_socket?: { path: string; mode: string };
}

export interface TlsConfig {
  cert_file: string;
  key_file: string;
  /** TLS 1.2 cipher list in OpenSSL syntax (TLS 1.3 suites are the library's). */
  ciphers?: string;
  /** TLSv1.2 only: this uWebSockets.js build always offers 1.2 and 1.3 and cannot be limited to 1.3. */
  min_version: 'TLSv1.2';
}

/** The MCP server the gateway proxies for: an HTTP URL (Streamable HTTP) or a command spoken to over stdio. */
export interface UpstreamConfig {
  url?: string;
  command?: string;
  args: string[];
  /** Extra environment for the command (secrets may come from *_FILE variables of the gateway itself). */
  env: Record<string, string>;
  /** An upstream answer taking longer fails the request (JSON-RPC error). */
  timeout_ms: number;
  /** Record each tool's name, description and schema on first sight and report later changes ("rug pull"). */
  pin_tools: boolean;
  /** Circuit breaker: consecutive failures that open it, and seconds before a probe. */
  breaker_failures: number;
  breaker_open_secs: number;
}

export interface GatewayConfig extends KindlyGuardConfig {
  server: ServerConfig;
  upstream?: UpstreamConfig;
  auth: AuthConfig;
  rate_limit: RateLimitConfig;
  permissions: PermissionsConfig;
  signing: SigningConfig;
  storage: StorageConfig;
  incident_response: IncidentConfig;
  logging: LoggingConfig;
  updates: UpdatesConfig;
  state: StateConfig;
  ext_authz: ExtAuthzConfig;
}

export interface StorageConfig {
  /** SQLite file (":memory:" for none); default $KINDLY_GUARD_STATE_DIR or ~/.local/state/kindly-guard, then threats.db. */
  path: string;
  retention_days: number;
  /** Threat events kept at most; the oldest go first. */
  max_events: number;
}

function defaultStorage(): StorageConfig {
  const dir = process.env.KINDLY_GUARD_STATE_DIR ?? join(homedir(), '.local', 'state', 'kindly-guard');
  return { path: join(dir, 'threats.db'), retention_days: 30, max_events: 1_000_000 };
}

const STORAGE_KEYS: Record<string, Check> = {
  path: (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a file path or ":memory:"'),
  retention_days: int(1, 3650),
  max_events: int(1000, 1_000_000_000),
};

export const DEFAULT_SERVER: ServerConfig = {
  host: '127.0.0.1',
  port: 8080,
  metrics_port: 9090,
  metrics: true,
  max_body_bytes: 1024 * 1024,
  request_timeout_secs: 30,
  shutdown_timeout_secs: 10,
  threads: 0,
  max_queue: 8192,
  inline_below_bytes: availableParallelism() <= 2 ? 4096 : 256,
  scan_timeout_ms: 10_000,
  fail_mode: 'closed',
  websocket: { max_frame_bytes: 1024 * 1024, max_message_bytes: 16 * 1024 * 1024, idle_timeout_secs: 120, max_open_messages: 16 },
};

const host: Check = (v) => (typeof v === 'string' && v.length > 0 && v.length < 256 ? null : 'must be a host name or address');
const SERVER_KEYS: Record<string, Check> = {
  host,
  port: int(0, 65535),
  metrics_port: int(0, 65535),
  metrics: bool,
  max_body_bytes: int(1, 1 << 30),
  request_timeout_secs: int(1, 3600),
  shutdown_timeout_secs: int(0, 3600),
  threads: int(0, 256),
  max_queue: int(1, 1 << 20),
  inline_below_bytes: int(0, 1 << 20),
  scan_timeout_ms: int(1, 600_000),
  fail_mode: oneOf(['closed', 'open']),
};
const file: Check = (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a file path');
const TLS_KEYS: Record<string, Check> = {
  cert_file: file, key_file: file,
  ciphers: (v) => (typeof v === 'string' && /^[A-Za-z0-9:+!@_-]+$/.test(v) ? null : 'must be an OpenSSL cipher list'),
  min_version: (v) => (v === 'TLSv1.2' ? null : v === 'TLSv1.3'
    ? 'TLSv1.3 only is not supported by this uWebSockets.js build (it always offers TLS 1.2 and 1.3); use TLSv1.2 with a strict ciphers list'
    : 'must be TLSv1.2'),
};
const UNIX_KEYS: Record<string, Check> = { path: file, mode: (v) => (typeof v === 'string' && /^0?[0-7]{3}$/.test(v) ? null : 'must be an octal mode such as "0660"') };

const WS_KEYS: Record<string, Check> = {
  max_frame_bytes: int(16, 1 << 30),
  max_message_bytes: int(16, 1 << 30),
  idle_timeout_secs: int(8, 3600),
  max_open_messages: int(1, 1024),
};


function validateServer(input: unknown, where: (path: string) => string): ServerConfig {
  const cfg: ServerConfig = structuredClone(DEFAULT_SERVER);
  const problems: string[] = [];
  const bad = (path: string, msg: string) => problems.push(`${where(path)}: ${msg}`);
  const section = (input as { server?: unknown } | null)?.server;
  if (section !== undefined && section !== null) {
    if (typeof section !== 'object' || Array.isArray(section)) bad('server', 'must be a mapping');
    else {
      const { websocket, tls, unix_socket, ...rest } = section as Record<string, unknown>;
      validateSection(rest, SERVER_KEYS, 'server', cfg as unknown as Record<string, unknown>, bad);
      validateSection(websocket, WS_KEYS, 'server.websocket', cfg.websocket as unknown as Record<string, unknown>, bad);
      if (tls !== undefined && tls !== null) {
        const t: Partial<TlsConfig> = { min_version: 'TLSv1.2' };
        validateSection(tls, TLS_KEYS, 'server.tls', t as Record<string, unknown>, bad);
        if (!t.cert_file || !t.key_file) bad('server.tls', 'needs cert_file and key_file');
        else cfg.tls = t as TlsConfig;
      }
      if (unix_socket !== undefined && unix_socket !== null) {
        const u: { path?: string; mode: string } = { mode: '0660' };
        validateSection(unix_socket, UNIX_KEYS, 'server.unix_socket', u as Record<string, unknown>, bad);
        if (!u.path) bad('server.unix_socket', 'needs a path');
        else cfg.unix_socket = u as { path: string; mode: string };
      }
    }
  }
  if (problems.length) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`, problems);
  return cfg;
}

const stringList: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? null : 'must be a list of strings');
const stringMap: Check = (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')
  ? null : 'must be a mapping of strings');
const UPSTREAM_KEYS: Record<string, Check> = {
  url: (v) => (typeof v === 'string' && /^https?:\/\/[^\s]+$/.test(v) ? null : 'must be an http:// or https:// URL'),
  command: (v) => (typeof v === 'string' && v.length > 0 ? null : 'must be a command'),
  args: stringList,
  env: stringMap,
  timeout_ms: int(1, 600_000),
  pin_tools: bool,
  breaker_failures: int(1, 1000),
  breaker_open_secs: int(1, 3600),
};

function validateUpstream(input: unknown, where: (path: string) => string): UpstreamConfig | undefined {
  const section = (input as { upstream?: unknown } | null)?.upstream;
  if (section === undefined || section === null) return undefined;
  const cfg: UpstreamConfig = { args: [], env: {}, timeout_ms: 30_000, pin_tools: true, breaker_failures: 5, breaker_open_secs: 30 };
  const problems: string[] = [];
  const bad = (path: string, msg: string) => problems.push(`${where(path)}: ${msg}`);
  validateSection(section, UPSTREAM_KEYS, 'upstream', cfg as unknown as Record<string, unknown>, bad);
  if (!problems.length && (cfg.url === undefined) === (cfg.command === undefined)) bad('upstream', 'needs exactly one of url or command');
  if (problems.length) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`, problems);
  return cfg;
}

/** Every section validated; all their problems reported together, not just the first section's. */
function gatewayConfig(value: unknown, where: (path: string) => string): GatewayConfig {
  const problems: string[] = [];
  const attempt = <T>(f: () => T): T | undefined => {
    try { return f(); } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems.push(...e.problems);
      return undefined;
    }
  };
  const engine = attempt(() => validateConfig(value, where));
  const server = attempt(() => validateServer(value, where));
  const upstream = attempt(() => validateUpstream(value, where));
  const auth = validateAuth(value, (path, msg) => problems.push(`${where(path)}: ${msg}`));
  const rateLimit = validateRateLimit(value, (path, msg) => problems.push(`${where(path)}: ${msg}`));
  const permissions = validatePermissions(value, (path, msg) => problems.push(`${where(path)}: ${msg}`));
  const signing = validateSigning(value, (path, msg) => problems.push(`${where(path)}: ${msg}`));
  const incidents = validateIncidents(value, (path, msg) => problems.push(`${where(path)}: ${msg}`));
  const logging = validateLogging(value, (path, msg) => problems.push(`${where(path)}: ${msg}`));
  const updates = validateUpdates(value, (path, msg) => problems.push(`${where(path)}: ${msg}`));
  const state = validateState(value, (path, msg) => problems.push(`${where(path)}: ${msg}`));
  const extAuthz = validateExtAuthz(value, (path, msg) => problems.push(`${where(path)}: ${msg}`));
  const storage = defaultStorage();
  validateSection((value as { storage?: unknown } | null)?.storage, STORAGE_KEYS, 'storage', storage as unknown as Record<string, unknown>,
    (path, msg) => problems.push(`${where(path)}: ${msg}`));
  if (problems.length) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`, problems);
  return { ...engine!, server: server!, auth, rate_limit: rateLimit, permissions, signing, storage, incident_response: incidents, logging, updates, state, ext_authz: extAuthz, ...(upstream && { upstream }) };
}

/** The whole gateway configuration from a YAML file, or the embedded defaults without one. */
export function loadGatewayConfig(file?: string): GatewayConfig {
  if (file === undefined) return gatewayConfig({}, (p) => p);
  const { value, where } = readConfigDocument(file);
  return gatewayConfig(value, where);
}

/** Programmatic form (tests, embedding): a partial object over the defaults, validated the same way. */
export function resolveGatewayConfig(input: Record<string, unknown> = {}): GatewayConfig {
  return gatewayConfig(input, (p) => p);
}
