/** Logs: credential keys and configured patterns never reach a line; operator events carry a stable `event` field. */
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcrypt';
import { createLogger } from '../server/logging.js';
import { startGateway } from '../server/gateway.js';
import { resolveGatewayConfig } from '../server/config.js';

function memory() {
  let text = '';
  const stream = new Writable({ write(chunk, _e, done) { text += chunk; done(); } });
  return { stream, text: () => text };
}

describe('redaction', () => {
  it('credential keys anywhere, and values matching redact_patterns', () => {
    const m = memory();
    const log = createLogger({ level: 'info', redact_patterns: ['AKIA[0-9A-Z]{16}'] }, m.stream);
    log.info({ authorization: 'Bearer eyJhbGciOi.secret', req: { headers: { cookie: 'sid=1' }, client_secret: 's3cr3t' }, note: 'key AKIAIOSFODNN7EXAMPLE here' }, 'x');
    const line = m.text();
    expect(line).not.toContain('eyJhbGciOi');
    expect(line).not.toContain('s3cr3t');
    expect(line).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(line).toContain('key [REDACTED] here');
    log.info('message text with AKIAIOSFODNN7EXAMPLE inside');
    log.info({ a: { b: { token: 'three-deep' } } }, 'nested');
    expect(m.text()).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(m.text()).not.toContain('three-deep');
  });

  it('a gateway run: threats, auth failures and rate limits are events; the secret in a request and the tokens are in none', async () => {
    const m = memory();
    const secret = 'client-secret-for-logging-test';
    const config = resolveGatewayConfig({
      server: { port: 0, metrics: false, threads: 1 },
      rate_limit: { default_rpm: 60, burst: 2 },
      auth: { allowed_clients: [{ client_id: 'logger', client_secret_hash: await bcrypt.hash(secret, 4), allowed_scopes: ['scan'] }] },
    });
    const gw = await startGateway(config, { log: createLogger(config.logging, m.stream) });
    const at = `http://127.0.0.1:${gw.port}`;
    const tok = await (await fetch(`${at}/oauth/token`, { method: 'POST', body: 'grant_type=client_credentials',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`logger:${secret}`).toString('base64')}` } })).json();
    const post = (body: string, t = tok.access_token) => fetch(`${at}/v1/scan`, { method: 'POST', body, headers: { 'content-type': 'text/plain', authorization: `Bearer ${t}` } });
    await post('aws_access_key_id = AKIAZ7QRTLWM4XB2KD9P\naws_secret_access_key = Qm9vT2xKc3dGZ0xWcXh5N2tQZk1uRGhSVGJ6YWN1VnM');
    await post('hello', 'forged.token.value');
    await post('one'); await post('two'); // over the burst: rate limited
    await gw.close(1000);
    const text = m.text();
    const events = text.trim().split('\n').map((l) => JSON.parse(l).event).filter(Boolean);
    expect(events).toEqual(expect.arrayContaining(['threat', 'auth_failure', 'rate_limited']));
    for (const leaked of ['AKIAZ7QRTLWM4XB2KD9P', 'Qm9vT2xKc3dGZ0xW', secret, tok.access_token, 'forged.token.value']) expect(text).not.toContain(leaked);
  });
});

describe('outputs', () => {
  it('a file that rotates by size and keeps max_backups files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kg-logs-'));
    const path = join(dir, 'kg.log');
    const log = createLogger({ level: 'info', redact_patterns: [], file: { path, max_size: 4096, max_backups: 2, max_age_days: 7 } }, memory().stream);
    for (let i = 0; i < 200; i++) log.info({ event: 'test', i, token: 'never-in-a-file' }, 'a line long enough to fill the file quickly');
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['kg.log', 'kg.log.1', 'kg.log.2']);
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(4096 + 300);
    const all = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    expect(all).toContain('"i":199');
    expect(all).not.toContain('never-in-a-file');
  });

  it('syslog: RFC 5424 messages, octet-counted, over TCP, with the event as MSGID', async () => {
    let received = '';
    const server = createTcpServer((s) => s.on('data', (d) => { received += d; }));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    const port = (server.address() as { port: number }).port;
    const log = createLogger({ level: 'info', redact_patterns: [], syslog: { host: '127.0.0.1', port, tls: false, app_name: 'kg-test' } }, memory().stream);
    log.warn({ event: 'client_blocked', client_id: 'x', authorization: 'Bearer zzz' }, 'blocked');
    for (let i = 0; i < 100 && !received; i++) await new Promise((r) => setTimeout(r, 20));
    const m = /^(\d+) (<(\d+)>1 \S+ \S+ kg-test \d+ client_blocked - (\{.*\}))$/.exec(received.trim());
    expect(m, received).not.toBeNull();
    expect(Number(m![1])).toBe(Buffer.byteLength(m![2]!));
    expect(Number(m![3])).toBe(16 * 8 + 4); // local0.warning
    expect(m![4]).not.toContain('zzz');
    server.close();
  });
});
