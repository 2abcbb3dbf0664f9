/** Logs: credential keys and configured patterns never reach a line; operator events carry a stable `event` field. */
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
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
