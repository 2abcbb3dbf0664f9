/** Operator commands: export-threats, unblock, health, config check. */
import { parseArgs } from 'node:util';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { stringify } from 'yaml';
import { loadGatewayConfig } from '../config.js';
import { parseDuration } from '../duration.js';
import pino from 'pino';
import { openStore } from '../context.js';
import { openState } from '../state/open.js';
import type { SharedState } from '../state/state.js';
import { ConfigError } from '../../engine/errors.js';
import type { ThreatRecord } from '../store/threat-store.js';
import { SEVERITIES, type Severity } from '../../engine/threats.js';

export const EXPORT_HELP = `Usage: kindly-guard export-threats [--since WHEN] [--format json|csv|sarif] [--severity S] [--client ID] [--limit N] [--config FILE]

Writes threat events from the store (storage.path; with state.backend redis, the stream every instance shares) to
stdout, newest first.
  --since    "1 hour ago", "30 minutes ago", "2d", "90m" or an ISO timestamp (default: everything kept)
  --format   json (default), csv or sarif
  --severity lowest severity to include (low, medium, high, critical)
  --limit    at most N events (default 100000)
`;
export const UNBLOCK_HELP = `Usage: kindly-guard unblock CLIENT [--config FILE]

Lifts an incident-response block of CLIENT (in the SQLite store, or in Redis for every instance); a running server
sees it within two seconds. Exit 1 if it was not blocked.
`;
export const HEALTH_HELP = `Usage: kindly-guard health [--config FILE] [--url URL]

Asks the running server's GET /health (at server.host and server.port of the config, or --url). Exit 0 healthy,
1 otherwise (for container health checks).
`;
export const CONFIG_HELP = `Usage: kindly-guard config check FILE
       kindly-guard config defaults

check:    validates a configuration and names every problem with its line. Exit 0 valid, 1 invalid.
defaults: prints every key with its default value, as YAML (a starting point for your own file).
`;

/** "1 hour ago", "90m", "2d", or an ISO timestamp -> epoch ms. */
export function parseSince(text: string, now = Date.now()): number {
  const ms = parseDuration(text.replace(/\s+ago\s*$/i, ''));
  if (ms !== undefined) return now - ms;
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new Error(`--since: cannot read '${text}' (use "1 hour ago", "30m", "2d" or an ISO timestamp)`);
  return t;
}

function csv(rows: ThreatRecord[]): string {
  const cols = ['time', 'client_id', 'route', 'type', 'severity', 'blocked', 'rule', 'path', 'description'] as const;
  const cell = (v: unknown) => { const s = v === undefined ? '' : String(v); return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

function sarif(rows: ThreatRecord[]): object {
  const level = (s: Severity) => (s === 'low' ? 'note' : s === 'medium' ? 'warning' : 'error');
  const rules = [...new Set(rows.map((r) => r.rule ?? r.type))].map((id) => ({ id }));
  return {
    version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{ tool: { driver: { name: 'kindly-guard', informationUri: 'https://github.com/kindly-guard', rules } },
      results: rows.map((r) => ({ ruleId: r.rule ?? r.type, level: level(r.severity), message: { text: r.description },
        properties: { time: r.time, client_id: r.client_id, route: r.route, type: r.type, severity: r.severity, blocked: r.blocked, ...(r.path && { json_path: r.path }) } })) }],
  };
}

export async function runExport(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { since: { type: 'string' }, format: { type: 'string', default: 'json' }, severity: { type: 'string' },
    client: { type: 'string' }, limit: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { process.stdout.write(EXPORT_HELP); return 0; }
  if (!['json', 'csv', 'sarif'].includes(values.format!)) { process.stderr.write('kindly-guard export-threats: --format must be json, csv or sarif\n'); return 2; }
  if (values.severity && !SEVERITIES.includes(values.severity as Severity)) { process.stderr.write(`kindly-guard export-threats: --severity must be one of ${SEVERITIES.join(', ')}\n`); return 2; }
  let since: number | undefined;
  try { since = values.since ? parseSince(values.since) : undefined; } catch (e) { process.stderr.write(`kindly-guard export-threats: ${(e as Error).message}\n`); return 2; }
  const limit = Number(values.limit ?? 100_000);
  if (!Number.isInteger(limit) || limit < 1) { process.stderr.write('kindly-guard export-threats: --limit must be a positive whole number\n'); return 2; }
  return withState('export-threats', values.config, async (state) => {
    const rows = await state.threats({ limit, since, severity: values.severity as Severity | undefined, client_id: values.client });
    process.stdout.write(values.format === 'csv' ? csv(rows) : JSON.stringify(values.format === 'sarif' ? sarif(rows) : rows, null, 2) + '\n');
    return 0;
  });
}

/**
 * Runs an operator command against the state a config names: the SQLite store (memory backend), or Redis, whose
 * stream and block list every instance shares. Redis not answering is an error (exit 2), not a wait.
 */
async function withState(command: string, configFile: string | undefined, f: (state: SharedState) => Promise<number>): Promise<number> {
  const config = loadGatewayConfig(configFile);
  const store = openStore(config);
  const { state, ready } = openState(config.state, store, { stateDegraded() {}, stateUp() {} }, pino({ level: 'silent' }));
  try {
    await ready(Math.max(2000, config.state.timeout_ms));
    return await f(state);
  } catch (e) {
    process.stderr.write(`kindly-guard ${command}: ${(e as Error).message}\n`);
    return 2;
  } finally {
    await state.close();
    store.close();
  }
}

export async function runUnblock(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { process.stdout.write(UNBLOCK_HELP); return 0; }
  if (positionals.length !== 1) { process.stderr.write(`kindly-guard unblock: name one client\n\n${UNBLOCK_HELP}`); return 2; }
  return withState('unblock', values.config, async (state) => {
    const was = await state.unblock(positionals[0]!);
    process.stderr.write(was ? `kindly-guard: ${positionals[0]} unblocked\n` : `kindly-guard: ${positionals[0]} was not blocked\n`);
    return was ? 0 : 1;
  });
}

export async function runHealth(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' }, url: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { process.stdout.write(HEALTH_HELP); return 0; }
  const s = loadGatewayConfig(values.config).server;
  const host = s.host === '0.0.0.0' ? '127.0.0.1' : s.host === '::' ? '::1' : s.host;
  const url = values.url ?? `${s.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${s.port}/health`;
  const ok = await new Promise<string | undefined>((resolve) => {
    // Our own certificate may name a public host while we ask over loopback: the answer, not the name, matters here.
    const req = (url.startsWith('https') ? httpsGet : httpGet)(url, { timeout: 3000, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(res.statusCode === 200 && body.includes('"ok"') ? undefined : `HTTP ${res.statusCode}`));
    });
    req.on('timeout', () => { req.destroy(); resolve('no answer within 3 s'); });
    req.on('error', (e) => resolve(e.message));
  });
  if (ok) process.stderr.write(`kindly-guard health: ${url}: ${ok}\n`);
  return ok ? 1 : 0;
}

export async function runConfig(argv: string[]): Promise<number> {
  const [sub, file, ...rest] = argv;
  if (sub === '--help' || sub === '-h') { process.stdout.write(CONFIG_HELP); return 0; }
  if (sub === 'defaults' && !file) {
    // In the file's shape: the redaction patterns are configured under log_sanitization.
    const { logging: { redact_patterns, ...logging }, ...rest } = loadGatewayConfig();
    process.stdout.write(stringify({ ...rest, logging, log_sanitization: { redact_patterns } }));
    return 0;
  }
  if (sub !== 'check' || !file || rest.length) { process.stderr.write(`kindly-guard config: usage\n\n${CONFIG_HELP}`); return 2; }
  try {
    loadGatewayConfig(file);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.problems.length} problem(s):\n  ${e.problems.join('\n  ')}\n`);
    return 1;
  }
  process.stdout.write(`${file}: valid\n`);
  return 0;
}
