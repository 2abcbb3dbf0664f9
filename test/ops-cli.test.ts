/** Operator commands against real files and a real server: config check, health, export-threats, unblock. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { ThreatStore } from '../server/store/threat-store.js';
import { startGateway, type Gateway } from '../server/gateway.js';
import { resolveGatewayConfig } from '../server/config.js';
import { parseSince } from '../server/cli/ops-command.js';
import { NO_AUTH, NO_LIMIT } from './helpers.js';

const CLI = join(resolve(fileURLToPath(new URL('..', import.meta.url))), 'dist/server/cli/main.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 });
let dir: string, cfg: string, db: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kg-ops-'));
  db = join(dir, 'threats.db');
  cfg = join(dir, 'kg.yaml');
  writeFileSync(cfg, `storage:\n  path: ${JSON.stringify(db)}\n`);
  const s = new ThreatStore({ path: db, retentionDays: 30, maxEvents: 1000 });
  s.record('ci-bot', 'scan', [{ type: 'sql_injection', severity: 'high', offset: 0, length: 3, description: 'quote, "break-out"', rule: 'sqli.x' }], true);
  s.record('other', 'mcp_proxy', [{ type: 'unicode_invisible', severity: 'low', offset: 0, length: 1, description: 'zero width', rule: 'u.i', path: 'params.q' }], false);
  s.block('ci-bot', 'test');
  s.close();
});

describe('config check', () => {
  it('exit 0 for a valid file, 1 naming every problem otherwise', () => {
    expect(run(['config', 'check', cfg]).status).toBe(0);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'server:\n  port: -1\nscanner:\n  max_scan_depth: 0\n');
    const r = run(['config', 'check', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/2 problem\(s\)/);
    expect(r.stderr).toMatch(/bad.yaml:2: server.port/);
    expect(r.stderr).toMatch(/bad.yaml:4: scanner.max_scan_depth/);
  });
});

describe('config defaults', () => {
  it('prints every section with its defaults, and the output is itself a valid config', () => {
    const r = run(['config', 'defaults']);
    expect(r.status).toBe(0);
    for (const section of ['scanner:', 'policy:', 'server:', 'auth:', 'rate_limit:', 'permissions:', 'signing:', 'storage:', 'incident_response:', 'logging:', 'updates:']) {
      expect(r.stdout).toContain(`\n${section}`.slice(section === 'scanner:' ? 1 : 0));
    }
    const copy = join(dir, 'defaults.yaml');
    writeFileSync(copy, r.stdout);
    expect(run(['config', 'check', copy]).status).toBe(0);
  });
});

describe('export-threats', () => {
  it('json, csv and sarif, newest first, with filters', () => {
    const json = JSON.parse(run(['export-threats', '--config', cfg]).stdout);
    expect(json.map((t: { type: string }) => t.type)).toEqual(['unicode_invisible', 'sql_injection']);
    expect(JSON.parse(run(['export-threats', '--config', cfg, '--severity', 'medium']).stdout)).toHaveLength(1);
    expect(JSON.parse(run(['export-threats', '--config', cfg, '--client', 'other']).stdout)[0].path).toBe('params.q');
    const csv = run(['export-threats', '--config', cfg, '--format', 'csv', '--since', '1 hour ago']).stdout.trim().split('\n');
    expect(csv[0]).toBe('time,client_id,route,type,severity,blocked,rule,path,description');
    expect(csv[2]).toContain('"quote, ""break-out"""');
    const sarif = JSON.parse(run(['export-threats', '--config', cfg, '--format', 'sarif']).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results[1]).toMatchObject({ ruleId: 'sqli.x', level: 'error', properties: { client_id: 'ci-bot' } });
    expect(run(['export-threats', '--config', cfg, '--since', 'yesterday-ish']).status).toBe(2);
  });

  it('human durations and ISO timestamps', () => {
    const now = Date.parse('2026-01-02T00:00:00Z');
    expect(parseSince('1 hour ago', now)).toBe(now - 3_600_000);
    expect(parseSince('30 minutes ago', now)).toBe(now - 1_800_000);
    expect(parseSince('2d', now)).toBe(now - 172_800_000);
    expect(parseSince('2026-01-01T12:00:00Z', now)).toBe(Date.parse('2026-01-01T12:00:00Z'));
  });
});

describe('unblock', () => {
  it('lifts a block (exit 0), and says so when there was none (exit 1)', () => {
    expect(run(['unblock', 'ci-bot', '--config', cfg]).status).toBe(0);
    expect(run(['unblock', 'ci-bot', '--config', cfg]).status).toBe(1);
  });
});

describe('health', () => {
  let gw: Gateway;
  beforeAll(async () => {
    gw = await startGateway(resolveGatewayConfig({ auth: NO_AUTH, rate_limit: NO_LIMIT, server: { port: 0, metrics: false, threads: 1 } }), { log: pino({ level: 'silent' }) });
  });
  afterAll(async () => { await gw.close(1000); });

  // Asynchronous: the server runs in this process, so a synchronous spawn would keep it from answering.
  const runAsync = (args: string[]) => new Promise<{ status: number | null; stderr: string }>((ok) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += d; });
    child.on('exit', (status) => ok({ status, stderr }));
  });

  it('exit 0 when the server answers, 1 when nothing listens', async () => {
    expect((await runAsync(['health', '--url', `http://127.0.0.1:${gw.port}/health`])).status).toBe(0);
    const down = await runAsync(['health', '--url', 'http://127.0.0.1:1/health']);
    expect(down.status).toBe(1);
    expect(down.stderr).toContain('kindly-guard health');
  });
});
