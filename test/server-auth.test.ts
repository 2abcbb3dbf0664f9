/**
 * OAuth 2.0 and bearer tokens on a real server: the token endpoint (client_credentials, both client authentication
 * methods, scopes, resource indicators), revoke and introspect, metadata, and the rejection suite: forged, expired,
 * not-yet-valid, alg none, wrong audience, wrong kid, wrong scope and revoked tokens, each with its status and error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcrypt';
import { SignJWT, calculateJwkThumbprint, type JWK } from 'jose';
import WebSocket from 'ws';
import pino from 'pino';
import { startGateway, type Gateway } from '../server/gateway.js';
import { resolveGatewayConfig } from '../server/config.js';
import { newKeyPairPem } from '../server/auth/keys.js';
import { signRequest } from '../server/auth/signing.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SECRETS = { scanner: 'scanner-secret-0123456789', agent: 'agent-secret-0123456789', admin: 'admin-secret-0123456789' };
let gw: Gateway;
let base: string;
let key: KeyObject;
let kid: string;
const OTHER = 'http://other.example/api';

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kg-auth-'));
  const { privatePem } = newKeyPairPem();
  writeFileSync(join(dir, 'signing.pem'), privatePem);
  key = createPrivateKey(privatePem);
  kid = await calculateJwkThumbprint(key.export({ format: 'jwk' }) as JWK);
  const hash = (s: string) => bcrypt.hash(s, 4); // cost 4: fast tests; production hashes use 12
  gw = await startGateway(resolveGatewayConfig({
    server: { port: 0, metrics_port: 0, threads: 1 },
    // Generous limits here: the rate-limit tests below run on a gateway of their own.
    rate_limit: { default_rpm: 100_000, token_endpoint_per_client_rpm: 10_000, token_endpoint_per_address_rpm: 10_000 },
    auth: {
      signing_key_files: [join(dir, 'signing.pem')],
      allowed_clients: [
        { client_id: 'scanner-bot', client_secret_hash: await hash(SECRETS.scanner), allowed_scopes: ['scan'] },
        { client_id: 'agent', client_secret_hash: await hash(SECRETS.agent), allowed_scopes: ['tools:execute'] },
        { client_id: 'admin', client_secret_hash: await hash(SECRETS.admin), allowed_scopes: ['scan', 'admin', 'tools:execute'] },
      ],
    },
  }), { log: pino({ level: 'silent' }) });
  base = `http://127.0.0.1:${gw.port}`;
});
afterAll(async () => { await gw.close(1000); });

const form = (fields: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) p.append(k, x);
  return p.toString();
};

async function tokenRequest(fields: Record<string, string | string[]>, basic?: [string, string], at = base) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(basic[0])}:${encodeURIComponent(basic[1])}`).toString('base64')}`;
  const r = await fetch(`${at}/oauth/token`, { method: 'POST', body: form(fields), headers });
  return { status: r.status, headers: r.headers, body: await r.json() as Record<string, any> };
}

async function token(client: keyof typeof SECRETS, extra: Record<string, string> = {}): Promise<string> {
  const id = client === 'scanner' ? 'scanner-bot' : client;
  const r = await tokenRequest({ grant_type: 'client_credentials', ...extra }, [id, SECRETS[client]]);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.access_token;
}

const scan = (authorization?: string) => fetch(`${base}/v1/scan`, { method: 'POST', body: "x' OR 1=1 --",
  headers: { 'content-type': 'text/plain', ...(authorization !== undefined && { authorization }) } });

/** A token signed with `signer` (default: the server's own key) with the given claims and header. */
function craft(claims: Record<string, unknown>, header: Record<string, unknown> = {}, signer: KeyObject = key) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: 'scan', client_id: 'scanner-bot', ...claims })
    .setProtectedHeader({ alg: 'EdDSA', kid, ...header })
    .setIssuer(String(claims.iss ?? base)).setSubject('scanner-bot').setAudience(String(claims.aud ?? base)).setJti(`t-${Math.random()}`)
    .setIssuedAt(now).setExpirationTime(Number(claims.exp ?? now + 300))
    .sign(signer);
}

describe('token endpoint', () => {
  it('client_credentials with client_secret_basic and with client_secret_post', async () => {
    const a = await tokenRequest({ grant_type: 'client_credentials' }, ['scanner-bot', SECRETS.scanner]);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'scan' });
    expect(a.headers.get('cache-control')).toBe('no-store');
    const b = await tokenRequest({ grant_type: 'client_credentials', client_id: 'admin', client_secret: SECRETS.admin, scope: 'scan' });
    expect(b.status).toBe(200);
    expect(b.body.scope).toBe('scan'); // narrowed to what was asked
  });

  it('errors by RFC 6749 name', async () => {
    const wrong = await tokenRequest({ grant_type: 'client_credentials' }, ['scanner-bot', 'not-the-secret']);
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    expect(wrong.headers.get('www-authenticate')).toContain('Basic');
    expect((await tokenRequest({ grant_type: 'client_credentials' }, ['nobody', 'whatever-secret'])).body.error).toBe('invalid_client');
    expect((await tokenRequest({ grant_type: 'client_credentials', client_id: 'admin', client_secret: SECRETS.admin }, ['admin', SECRETS.admin])).status).toBe(401);
    expect((await tokenRequest({ grant_type: 'password' }, ['admin', SECRETS.admin])).body.error).toBe('unsupported_grant_type');
    expect((await tokenRequest({ grant_type: 'client_credentials', scope: 'admin' }, ['scanner-bot', SECRETS.scanner])).body.error).toBe('invalid_scope');
    expect((await tokenRequest({ grant_type: 'client_credentials', resource: 'http://evil.example/' }, ['scanner-bot', SECRETS.scanner])).body.error).toBe('invalid_target');
    const r = await fetch(`${base}/oauth/token`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect((await r.json()).error).toBe('invalid_request');
  });

  it('require_resource_indicators: the resource is required, becomes the audience, and only that resource accepts it', async () => {
    const strict = await startGateway(resolveGatewayConfig({
      server: { port: 0, metrics: false, threads: 1 },
      auth: { require_resource_indicators: true, allowed_resources: [OTHER, 'http://127.0.0.1:1/'],
        allowed_clients: [{ client_id: 'c', client_secret_hash: await bcrypt.hash(SECRETS.scanner, 4), allowed_scopes: ['scan'] }] },
    }), { log: pino({ level: 'silent' }) });
    const at = `http://127.0.0.1:${strict.port}`;
    expect((await tokenRequest({ grant_type: 'client_credentials' }, ['c', SECRETS.scanner], at)).body.error).toBe('invalid_target');
    const t = await tokenRequest({ grant_type: 'client_credentials', resource: OTHER }, ['c', SECRETS.scanner], at);
    expect(t.status).toBe(200);
    // Issued for OTHER: this gateway (a different resource) refuses it.
    const r = await fetch(`${at}/v1/scan`, { method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain', authorization: `Bearer ${t.body.access_token}` } });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toContain('error="invalid_token"');
    await strict.close(1000);
  });
});

describe('bearer tokens on the API', () => {
  it('no token: 401 with a challenge naming the resource metadata, without an error code', async () => {
    const r = await scan();
    expect(r.status).toBe(401);
    const challenge = r.headers.get('www-authenticate')!;
    expect(challenge).toMatch(/^Bearer realm="kindly-guard", resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource"$/);
  });

  it('a valid token with the scope: 200, and the client is who the activity log names', async () => {
    const r = await scan(`Bearer ${await token('scanner')}`);
    expect(r.status).toBe(200);
    expect((await r.json()).threats[0].type).toBe('sql_injection');
    expect(gw.context.activity.client('scanner-bot')?.requests).toBeGreaterThan(0);
  });

  const rejected: Array<[string, () => Promise<string>, number, string]> = [
    ['forged (signed by another key, our kid)', () => craft({}, {}, generateKeyPairSync('ed25519').privateKey), 401, 'invalid_token'],
    ['expired', () => craft({ exp: Math.floor(Date.now() / 1000) - 10 }), 401, 'invalid_token'],
    ['not yet valid (nbf in the future)', () => craft({ nbf: Math.floor(Date.now() / 1000) + 600 }), 401, 'invalid_token'],
    ['alg none', async () => `${Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'scanner-bot', scope: 'scan', iss: base, aud: base, exp: 9e9, iat: 1, jti: 'x' })).toString('base64url')}.`, 401, 'invalid_token'],
    ['wrong audience', () => craft({ aud: OTHER }), 401, 'invalid_token'],
    ['wrong issuer', () => craft({ iss: 'http://evil.example' }), 401, 'invalid_token'],
    ['wrong kid', () => craft({}, { kid: 'no-such-key' }), 401, 'invalid_token'],
    ['wrong scope', () => token('agent'), 403, 'insufficient_scope'],
    ['garbage', async () => 'abc.def.ghi', 401, 'invalid_token'],
  ];
  for (const [name, make, status, error] of rejected) {
    it(`rejects a token: ${name}`, async () => {
      const r = await scan(`Bearer ${await make()}`);
      expect(r.status).toBe(status);
      expect(r.headers.get('www-authenticate')).toContain(`error="${error}"`);
      expect((await r.json()).error.code).toBe(status === 403 ? 'KG_ERR_FORBIDDEN' : 'KG_ERR_UNAUTHORIZED');
    });
  }

  it('rejects a revoked token (RFC 7009), and introspection (RFC 7662) says it is inactive', async () => {
    const t = await token('scanner');
    expect((await scan(`Bearer ${t}`)).status).toBe(200); // now cached as valid
    const auth = { authorization: `Basic ${Buffer.from(`scanner-bot:${SECRETS.scanner}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' };
    const active = await (await fetch(`${base}/oauth/introspect`, { method: 'POST', body: form({ token: t }), headers: auth })).json();
    expect(active).toMatchObject({ active: true, client_id: 'scanner-bot', scope: 'scan' });
    expect((await fetch(`${base}/oauth/revoke`, { method: 'POST', body: form({ token: t }), headers: auth })).status).toBe(200);
    const r = await scan(`Bearer ${t}`);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toContain('revoked');
    expect(await (await fetch(`${base}/oauth/introspect`, { method: 'POST', body: form({ token: t }), headers: auth })).json()).toEqual({ active: false });
    // Introspection needs client authentication itself.
    expect((await fetch(`${base}/oauth/introspect`, { method: 'POST', body: form({ token: t }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(401);
  });

  it('a malformed Authorization header: 400 invalid_request', async () => {
    const r = await scan('Token abc');
    expect(r.status).toBe(400);
    expect(r.headers.get('www-authenticate')).toContain('error="invalid_request"');
  });

  it('the WebSocket upgrade needs a token too', async () => {
    const refused = await new Promise<number>((ok) => {
      const ws = new WebSocket(`ws://127.0.0.1:${gw.port}/v1/stream`);
      ws.on('unexpected-response', (_req, res) => ok(res.statusCode!));
      ws.on('open', () => ok(101));
    });
    expect(refused).toBe(401);
    const t = await token('scanner');
    const opened = await new Promise<boolean>((ok) => {
      const ws = new WebSocket(`ws://127.0.0.1:${gw.port}/v1/stream`, { headers: { authorization: `Bearer ${t}` } });
      ws.on('open', () => { ws.close(); ok(true); });
      ws.on('unexpected-response', () => ok(false));
    });
    expect(opened).toBe(true);
  });
});

describe('MCP with tokens', () => {
  async function mcp(t: string, body: unknown, session?: string) {
    const r = await fetch(`${base}/mcp`, { method: 'POST', body: JSON.stringify(body), headers: {
      'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${t}`, ...(session && { 'mcp-session-id': session }) } });
    return { status: r.status, session: r.headers.get('mcp-session-id'), challenge: r.headers.get('www-authenticate'), body: await r.json().catch(() => undefined) };
  }
  const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pretends-to-be-admin' } } };

  it('tools/call needs tools:execute, security/* needs admin; the session belongs to its client', async () => {
    const agent = await token('agent');
    const opened = await mcp(agent, init);
    expect(opened.status).toBe(200);
    const sid = opened.session!;
    const call = await mcp(agent, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'scan_text', arguments: { text: 'hello' } } }, sid);
    expect(call.status).toBe(200);
    const admin = await mcp(agent, { jsonrpc: '2.0', id: 3, method: 'security/threats', params: {} }, sid);
    expect(admin.status).toBe(403);
    expect(admin.challenge).toContain('scope="admin"');
    // The declared clientInfo name does not make anyone admin: the client is the token's.
    expect(gw.context.activity.client('pretends-to-be-admin')).toBeUndefined();
    // Another client's token does not find this session.
    expect((await mcp(await token('admin'), { jsonrpc: '2.0', id: 4, method: 'ping' }, sid)).status).toBe(404);
    const scannerOnly = await token('scanner');
    const s2 = (await mcp(scannerOnly, init)).session!;
    expect((await mcp(scannerOnly, { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'scan_text', arguments: { text: 'x' } } }, s2)).status).toBe(403);
  });
});

describe('metadata and metrics', () => {
  it('RFC 8414, RFC 9728 and JWKS describe this server; the JWKS holds public keys only', async () => {
    const as = await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json();
    expect(as).toMatchObject({ issuer: base, token_endpoint: `${base}/oauth/token`, code_challenge_methods_supported: ['S256'] });
    expect(as.grant_types_supported).toEqual(['client_credentials', 'authorization_code', 'refresh_token']);
    const pr = await (await fetch(`${base}/.well-known/oauth-protected-resource`)).json();
    expect(pr).toMatchObject({ resource: base, authorization_servers: [base] });
    const jwks = await (await fetch(as.jwks_uri)).json();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid, alg: 'EdDSA' });
    expect(jwks.keys[0].d).toBeUndefined();
  });

  it('auth attempts are counted per configured client; anything else is "unknown"', async () => {
    await scan('Bearer nonsense.token.here');
    const text = await (await fetch(`http://127.0.0.1:${gw.metricsPort}/metrics`)).text();
    expect(text).toMatch(/kindlyguard_auth_attempts_total\{client_id="scanner-bot",success="true"\} \d+/);
    expect(text).toMatch(/kindlyguard_auth_attempts_total\{client_id="unknown",success="false"\} \d+/);
    expect(text).not.toContain('nobody'); // an unknown client id from a request is never a label
  });
});

describe('rate limits', () => {
  it('a token bucket per client and method: burst, then 429 with Retry-After and RateLimit fields; threats cost more', async () => {
    const hash = await bcrypt.hash(SECRETS.scanner, 4);
    const limited = await startGateway(resolveGatewayConfig({
      server: { port: 0, metrics_port: 0, threads: 1 },
      rate_limit: { default_rpm: 60, burst: 4, threat_penalty_multiplier: 3, clients: { vip: { rpm: 6000, burst: 100 } } },
      auth: { allowed_clients: [
        { client_id: 'plain', client_secret_hash: hash, allowed_scopes: ['scan'] },
        { client_id: 'vip', client_secret_hash: hash, allowed_scopes: ['scan'] },
      ] },
    }), { log: pino({ level: 'silent' }) });
    const at = `http://127.0.0.1:${limited.port}`;
    const tok = async (id: string) => (await tokenRequest({ grant_type: 'client_credentials' }, [id, SECRETS.scanner], at)).body.access_token as string;
    const post = (t: string, body: string) => fetch(`${at}/v1/scan`, { method: 'POST', body, headers: { 'content-type': 'text/plain', authorization: `Bearer ${t}` } });
    const plain = await tok('plain');
    // Burst 4: one clean request (1 token) and one attack (3 tokens) use it up.
    expect((await post(plain, 'hello')).status).toBe(200);
    expect((await post(plain, "1' OR '1'='1' --")).status).toBe(200);
    const refused = await post(plain, 'hello again');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('ratelimit')).toMatch(/^limit=4, remaining=0, reset=\d+$/);
    expect(refused.headers.get('ratelimit-policy')).toBe('4;w=4');
    expect((await refused.json()).error.code).toBe('KG_ERR_RATE_LIMITED');
    // Another client has its own bucket and its own limit.
    const vip = await tok('vip');
    for (let i = 0; i < 10; i++) expect((await post(vip, 'fine')).status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${limited.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/kindlyguard_rate_limit_hits_total\{client_id="plain",method="scan"\} 1/);
    await limited.close(1000);
  });

  it('/oauth/token attempts are limited per client id, before any secret is checked', async () => {
    const g = await startGateway(resolveGatewayConfig({
      server: { port: 0, metrics: false, threads: 1 },
      rate_limit: { token_endpoint_per_client_rpm: 4 },
      auth: { allowed_clients: [{ client_id: 'c', client_secret_hash: await bcrypt.hash(SECRETS.scanner, 4), allowed_scopes: ['scan'] }] },
    }), { log: pino({ level: 'silent' }) });
    const at = `http://127.0.0.1:${g.port}`;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await tokenRequest({ grant_type: 'client_credentials' }, ['c', 'wrong-guess-number-' + i], at)).status);
    expect(statuses).toEqual([401, 401, 429, 429]); // burst 2 (4 per minute / 2)
    // Even the right secret waits now: the limit is on attempts, not failures.
    expect((await tokenRequest({ grant_type: 'client_credentials' }, ['c', SECRETS.scanner], at)).status).toBe(429);
    await g.close(1000);
  });

  it('/oauth/authorize (no authentication, and each call stores a code) is limited per address', async () => {
    const g = await startGateway(resolveGatewayConfig({
      server: { port: 0, metrics: false, threads: 1 },
      rate_limit: { token_endpoint_per_address_rpm: 6 },
      auth: { allowed_clients: [{ client_id: 'desktop', public: true, redirect_uris: ['http://127.0.0.1:9/cb'], allowed_scopes: ['scan'] }] },
    }), { log: pino({ level: 'silent' }) });
    const q = new URLSearchParams({ response_type: 'code', client_id: 'desktop', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`http://127.0.0.1:${g.port}/oauth/authorize?${q}`, { redirect: 'manual' })).status);
    expect(statuses).toEqual([302, 302, 302, 429, 429]); // burst 3 (6 per minute / 2)
    await g.close(1000);
  });
});

describe('request signing (RFC 9421 subset, Ed25519)', () => {
  let g: Gateway;
  let at: string;
  let clientKey: KeyObject;
  let t: string;
  beforeAll(async () => {
    const pair = generateKeyPairSync('ed25519');
    clientKey = pair.privateKey;
    g = await startGateway(resolveGatewayConfig({
      server: { port: 0, metrics: false, threads: 1 },
      rate_limit: { enabled: false },
      signing: { timestamp_tolerance_secs: 30, public_keys: { signer: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string } },
      permissions: { clients: { signer: { require_signing: true } } },
      auth: { allowed_clients: [{ client_id: 'signer', client_secret_hash: await bcrypt.hash(SECRETS.scanner, 4), allowed_scopes: ['scan'] }] },
    }), { log: pino({ level: 'silent' }) });
    at = `http://127.0.0.1:${g.port}`;
    t = (await tokenRequest({ grant_type: 'client_credentials' }, ['signer', SECRETS.scanner], at)).body.access_token;
  });
  afterAll(async () => { await g.close(1000); });

  const post = (body: string, headers: Record<string, string>) => fetch(`${at}/v1/scan`, { method: 'POST', body,
    headers: { 'content-type': 'text/plain', authorization: `Bearer ${t}`, ...headers } });
  const signed = (body: string, o: Partial<{ nonce: string; created: number; keyid: string; path: string; key: KeyObject }> = {}) =>
    signRequest({ method: 'POST', path: o.path ?? '/v1/scan', body: Buffer.from(body), keyid: o.keyid ?? 'signer', privateKey: o.key ?? clientKey,
      nonce: o.nonce ?? `n-${Math.random()}`, created: o.created });

  it('a signed request passes; an unsigned one from a client that must sign does not', async () => {
    expect((await post('hello', signed('hello'))).status).toBe(200);
    const r = await post('hello', {});
    expect(r.status).toBe(401);
    expect((await r.json()).error.code).toBe('KG_ERR_SIGNATURE');
    expect(r.headers.get('accept-signature')).toContain('ed25519');
  });

  // [case, the body sent, its headers, what the error says]
  const bad: Array<[string, string, () => Record<string, string>, string]> = [
    ['stale timestamp', 'x', () => signed('x', { created: Math.floor(Date.now() / 1000) - 120 }), 'too old'],
    ['future timestamp', 'x', () => signed('x', { created: Math.floor(Date.now() / 1000) + 120 }), 'future'],
    ['body changed after signing', 'tampered', () => ({ ...signed('original'), 'content-digest': signed('tampered')['content-digest'] }), 'does not verify'],
    ['digest of another body', 'tampered', () => signed('another body'), 'Content-Digest'],
    ['signed by another key', 'x', () => signed('x', { key: generateKeyPairSync('ed25519').privateKey }), 'does not verify'],
    ['signed for another path', 'x', () => signed('x', { path: '/mcp' }), 'does not verify'],
    ['keyid of another client', 'x', () => signed('x', { keyid: 'someone' }), 'keyid'],
  ];
  for (const [name, body, headers, message] of bad) {
    it(`rejects: ${name}`, async () => {
      const r = await post(body, headers());
      expect(r.status).toBe(401);
      expect((await r.json()).error.message).toContain(message);
    });
  }

  it('rejects a replayed signature (same nonce)', async () => {
    const h = signed('same', { nonce: 'fixed-nonce' });
    expect((await post('same', h)).status).toBe(200);
    const again = await post('same', h);
    expect(again.status).toBe(401);
    expect((await again.json()).error.message).toContain('replay');
  });
});

describe('incident response', () => {
  it('3 findings in the window: logged, alerted (webhook), client blocked (403, no new tokens) until unblocked', async () => {
    const posts: string[] = [];
    const hook = createServer((req, res) => { let b = ''; req.on('data', (d) => { b += d; }); req.on('end', () => { posts.push(b); res.end('ok'); }); });
    await new Promise<void>((ok) => hook.listen(0, '127.0.0.1', () => ok()));
    const db = join(mkdtempSync(join(tmpdir(), 'kg-ir-')), 'threats.db');
    const g = await startGateway(resolveGatewayConfig({
      server: { port: 0, metrics: false, threads: 1 },
      rate_limit: { enabled: false },
      storage: { path: db },
      incident_response: {
        alert_webhook: `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`,
        rules: [{ name: 'sqli-burst', severity: 'high', count: 3, within_secs: 60, actions: ['log', 'alert', 'block_client'] }],
      },
      auth: { allowed_clients: [{ client_id: 'prober', client_secret_hash: await bcrypt.hash(SECRETS.scanner, 4), allowed_scopes: ['scan'] }] },
    }), { log: pino({ level: 'silent' }) });
    const at = `http://127.0.0.1:${g.port}`;
    const t = (await tokenRequest({ grant_type: 'client_credentials' }, ['prober', SECRETS.scanner], at)).body.access_token;
    const post = (body: string) => fetch(`${at}/v1/scan`, { method: 'POST', body, headers: { 'content-type': 'text/plain', authorization: `Bearer ${t}` } });
    for (const p of ["1' OR '1'='1' --", "x' UNION SELECT password FROM users --", "'; DROP TABLE users; --"]) expect((await post(p)).status).toBe(200);
    const refused = await post('hello');
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('KG_ERR_CLIENT_BLOCKED');
    expect((await tokenRequest({ grant_type: 'client_credentials' }, ['prober', SECRETS.scanner], at)).body.error).toBe('unauthorized_client');
    for (let i = 0; i < 50 && !posts.length; i++) await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse(posts[0]!)).toMatchObject({ event: 'kindly_guard_incident', rule: 'sqli-burst', client_id: 'prober', count: 3 });
    // The operator lifts the block from another process; the server sees it within two seconds.
    const cfg = join(dirname(db), 'cli.yaml');
    writeFileSync(cfg, `storage:\n  path: ${JSON.stringify(db)}\n`);
    const out = await new Promise<number | null>((ok) => spawn(process.execPath, [join(ROOT, 'dist/server/cli/main.js'), 'unblock', 'prober', '--config', cfg]).on('exit', ok));
    expect(out).toBe(0);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await post('hello')).status).toBe(200);
    await g.close(1000);
    hook.close();
  });
});

describe('public clients: authorization_code with PKCE, rotating refresh tokens', () => {
  let g: Gateway;
  let at: string;
  const REDIRECT = 'http://127.0.0.1:7777/callback';
  beforeAll(async () => {
    g = await startGateway(resolveGatewayConfig({
      server: { port: 0, metrics: false, threads: 1 },
      rate_limit: { enabled: false },
      auth: { allowed_clients: [{ client_id: 'desktop', public: true, redirect_uris: [REDIRECT], allowed_scopes: ['scan', 'tools:execute'] }] },
    }), { log: pino({ level: 'silent' }) });
    at = `http://127.0.0.1:${g.port}`;
  });
  afterAll(async () => { await g.close(1000); });

  const verifier = 'v'.repeat(20) + '-verifier-0123456789-abcdefghij';
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorize = async (params: Record<string, string>) => {
    const r = await fetch(`${at}/oauth/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' });
    return { status: r.status, location: r.headers.get('location'), body: r.status === 302 ? undefined : await r.json() };
  };
  const ok = { response_type: 'code', client_id: 'desktop', redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'xyz', scope: 'scan' };
  const token = (fields: Record<string, string>) => tokenRequest({ client_id: 'desktop', ...fields }, undefined, at);

  it('code flow: redirect with code, state and iss; the code is redeemed once, with the right verifier and redirect_uri', async () => {
    const a = await authorize(ok);
    expect(a.status).toBe(302);
    const loc = new URL(a.location!);
    expect(loc.origin + loc.pathname).toBe(REDIRECT);
    expect(loc.searchParams.get('state')).toBe('xyz');
    expect(loc.searchParams.get('iss')).toBe(at);
    const code = loc.searchParams.get('code')!;
    expect((await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: 'w'.repeat(43) })).body.error).toBe('invalid_grant');
    // The failed attempt used the code up: PKCE failures burn it (a second guess gets nothing either).
    expect((await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier })).body.error).toBe('invalid_grant');
    const code2 = new URL((await authorize(ok)).location!).searchParams.get('code')!;
    const t = await token({ grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ token_type: 'Bearer', scope: 'scan' });
    expect(t.body.refresh_token).toBeTruthy();
    const scan = await fetch(`${at}/v1/scan`, { method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain', authorization: `Bearer ${t.body.access_token}` } });
    expect(scan.status).toBe(200);
    expect((await token({ grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT, code_verifier: verifier })).body.error).toBe('invalid_grant');
  });

  it('authorize errors: unregistered redirect answered here (no redirect); plain PKCE and no PKCE refused', async () => {
    const evil = await authorize({ ...ok, redirect_uri: 'https://evil.example/cb' });
    expect(evil.status).toBe(400);
    expect(evil.location).toBeNull();
    const plain = await authorize({ ...ok, code_challenge_method: 'plain' });
    expect(new URL(plain.location!).searchParams.get('error')).toBe('invalid_request');
    const none = await authorize({ response_type: 'code', client_id: 'desktop', redirect_uri: REDIRECT });
    expect(new URL(none.location!).searchParams.get('error')).toBe('invalid_request');
    expect(new URL((await authorize({ ...ok, scope: 'admin' })).location!).searchParams.get('error')).toBe('invalid_scope');
    // A public client cannot use client_credentials, nor introspect tokens (that needs a confidential client).
    expect((await token({ grant_type: 'client_credentials' })).body.error).toBe('unauthorized_client');
    const intro = await fetch(`${at}/oauth/introspect`, { method: 'POST', body: 'client_id=desktop&token=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(intro.status).toBe(401);
  });

  it('refresh tokens rotate; reusing a rotated one revokes the whole family, access tokens included', async () => {
    const code = new URL((await authorize(ok)).location!).searchParams.get('code')!;
    const first = (await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier })).body;
    const second = (await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token })).body;
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    const scan = (t: string) => fetch(`${at}/v1/scan`, { method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain', authorization: `Bearer ${t}` } });
    expect((await scan(second.access_token)).status).toBe(200);
    // The first refresh token again: reuse. The family dies: the newest refresh token and its access token too.
    const reuse = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(reuse.body.error).toBe('invalid_grant');
    expect(reuse.body.error_description).toContain('reuse');
    expect((await token({ grant_type: 'refresh_token', refresh_token: second.refresh_token })).body.error).toBe('invalid_grant');
    expect((await scan(second.access_token)).status).toBe(401);
  });

  it('revoking a refresh token (RFC 7009) ends its grant, access tokens included', async () => {
    const code = new URL((await authorize(ok)).location!).searchParams.get('code')!;
    const t = (await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier })).body;
    const revoke = await fetch(`${at}/oauth/revoke`, { method: 'POST', body: `client_id=desktop&token=${t.refresh_token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(revoke.status).toBe(200);
    expect((await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token })).body.error).toBe('invalid_grant');
    const r = await fetch(`${at}/v1/scan`, { method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain', authorization: `Bearer ${t.access_token}` } });
    expect(r.status).toBe(401);
  });
});

describe('introspection is for a client\'s own tokens', () => {
  it('another client (without admin) learns nothing about a token', async () => {
    const t = await token('scanner');
    const as = (id: string, secret: string) => fetch(`${base}/oauth/introspect`, { method: 'POST', body: form({ token: t }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` } });
    expect(await (await as('agent', SECRETS.agent)).json()).toEqual({ active: false });
    expect((await (await as('admin', SECRETS.admin)).json()).active).toBe(true);
  });
});

describe('MCP session limits', () => {
  it('a client holding 100 sessions ends its own oldest when it opens another, nobody else\'s', async () => {
    const t = await token('agent');
    const other = await token('admin');
    const open = async (tok: string) => (await fetch(`${base}/mcp`, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x' } } }),
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${tok}` } })).headers.get('mcp-session-id')!;
    const ping = async (tok: string, sid: string) => (await fetch(`${base}/mcp`, { method: 'POST', body: '{"jsonrpc":"2.0","id":2,"method":"ping"}',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${tok}`, 'mcp-session-id': sid } })).status;
    const theirs = await open(other);
    const mine: string[] = [];
    for (let i = 0; i < 101; i++) mine.push(await open(t));
    expect(await ping(t, mine[0]!)).toBe(404); // the client's oldest ended
    expect(await ping(t, mine[100]!)).toBe(200);
    expect(await ping(other, theirs)).toBe(200); // another client's session is untouched
  });
});
