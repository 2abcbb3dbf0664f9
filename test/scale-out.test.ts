/**
 * Two gateway processes sharing state in a real Redis, as behind a load balancer: a client's rate limit holds
 * across them, a token revoked on one is refused by the other, a signed request replayed on the other is refused,
 * a client blocked on one is blocked on both, threat events of both are in one stream; Redis killed mid-run is
 * handled as each instance's fail_mode says (closed: 503, open: allowed), and both recover when it returns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcrypt';
import WebSocket from 'ws';
import { newKeyPairPem } from '../server/auth/keys.js';
import { signRequest } from '../server/auth/signing.js';
import { freePort, startRedis, type TestRedis } from '../scripts/redis-server.js';
import { readFileSync } from 'node:fs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CLI = join(ROOT, 'dist/server/cli/main.js');
const SECRET = 'scale-out-secret-0123456789';
const ISSUER = 'http://gateway.test';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let redis: TestRedis;
let dir: string;
const children: ChildProcess[] = [];
let a: string, b: string; // closed and open fail_mode instances
const metricsOf = new Map<string, string>();
const signer = generateKeyPairSync('ed25519');

function serve(config: string): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', config, '--port', '0', '--metrics-port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let log = '';
  return new Promise((ok, fail) => {
    child.stderr!.on('data', (d) => {
      log += d;
      const m = /"port":(\d+),"metricsPort":(\d+)/.exec(log);
      if (m && log.includes('scan pool ready') && log.includes('shared state connected')) {
        metricsOf.set(`http://127.0.0.1:${m[1]}`, `http://127.0.0.1:${m[2]}/metrics`);
        ok(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.on('exit', (code) => fail(new Error(`server exited (${code}): ${log}`)));
  });
}

beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), 'kg-scale-'));
  writeFileSync(join(dir, 'signing.pem'), newKeyPairPem().privatePem);
  const hash = await bcrypt.hash(SECRET, 4);
  const client = (id: string) => `    - client_id: ${id}\n      client_secret_hash: "${hash}"\n      allowed_scopes: [scan]\n`;
  const pub = signer.publicKey.export({ type: 'spki', format: 'pem' }).toString().replace(/\n/g, '\n      ');
  const yaml = (failMode: string, db: string) => `
state:
  backend: redis
  url: ${redis.url}
  key_prefix: "scale:"
  fail_mode: ${failMode}
  timeout_ms: 200
storage:
  path: ${JSON.stringify(join(dir, db))}
server:
  threads: 1
auth:
  issuer: ${ISSUER}
  allowed_resources: [${ISSUER}]
  signing_key_files: [${JSON.stringify(join(dir, 'signing.pem'))}]
  allowed_clients:
${['limited', 'revoker', 'signer', 'attacker', 'steady'].map(client).join('')}
rate_limit:
  default_rpm: 100000
  token_endpoint_per_client_rpm: 1000
  token_endpoint_per_address_rpm: 1000
  clients:
    limited: { rpm: 6, burst: 4 }
signing:
  public_keys:
    signer: |
      ${pub}
incident_response:
  rules:
    - { name: sqli-burst, severity: high, count: 3, within_secs: 60, actions: [log, block_client] }
`;
  writeFileSync(join(dir, 'a.yaml'), yaml('closed', 'a.db'));
  writeFileSync(join(dir, 'b.yaml'), yaml('open', 'b.db'));
  [a, b] = await Promise.all([serve(join(dir, 'a.yaml')), serve(join(dir, 'b.yaml'))]);
}, 60_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((r) => c.on('exit', r)))));
  await redis?.stop();
});

async function token(at: string, clientId: string): Promise<string> {
  const r = await fetch(`${at}/oauth/token`, {
    method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: SECRET }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const body = await r.json() as { access_token: string };
  expect(r.status, JSON.stringify(body)).toBe(200);
  return body.access_token;
}

const scan = (at: string, t: string, body = 'hello', headers: Record<string, string> = {}) =>
  fetch(`${at}/v1/scan`, { method: 'POST', body, headers: { 'content-type': 'text/plain', authorization: `Bearer ${t}`, ...headers } });

describe('two gateway processes sharing Redis', () => {
  it('a token from one instance works on the other (same keys and issuer)', async () => {
    const t = await token(a, 'steady');
    expect((await scan(b, t)).status).toBe(200);
  });

  it("a client's rate limit holds across instances (burst 4 in all, not 4 each)", async () => {
    const t = await token(a, 'limited');
    const statuses = [];
    for (const at of [a, b, a, b, a, b]) statuses.push((await scan(at, t)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('a token revoked on one instance is refused by the other', async () => {
    const t = await token(a, 'revoker');
    expect((await scan(b, t)).status).toBe(200);
    const r = await fetch(`${a}/oauth/revoke`, {
      method: 'POST', body: new URLSearchParams({ token: t, client_id: 'revoker', client_secret: SECRET }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(r.status).toBe(200);
    const refused = await scan(b, t);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('token revoked');
  });

  it('a signed request replayed on the other instance is refused', async () => {
    const t = await token(a, 'signer');
    const body = Buffer.from('signed hello');
    const headers = signRequest({ method: 'POST', path: '/v1/scan', body, keyid: 'signer', privateKey: createPrivateKey(signer.privateKey.export({ type: 'pkcs8', format: 'pem' })), nonce: 'n-1' });
    expect((await scan(a, t, 'signed hello', headers)).status).toBe(200);
    const replay = await scan(b, t, 'signed hello', headers);
    expect(replay.status).toBe(401);
    expect((await replay.json()).error.message).toContain('replay');
  });

  it('a client blocked on one instance is blocked on both; its events are in the shared stream', async () => {
    const t = await token(a, 'attacker');
    for (const p of ["1' OR '1'='1' --", "x' UNION SELECT password FROM users --"]) expect((await scan(a, t, p)).status).toBe(200);
    expect((await scan(b, t, "'; DROP TABLE users; --")).status).toBe(200); // the third finding, on the other instance
    let status = 0;
    for (let i = 0; i < 50 && status !== 403; i++) { status = (await scan(a, t)).status; if (status !== 403) await sleep(20); }
    expect(status).toBe(403);
    const onB = await scan(b, t);
    expect(onB.status).toBe(403);
    expect((await onB.json()).error.code).toBe('KG_ERR_CLIENT_BLOCKED');
    // export-threats reads the stream: findings from both instances.
    await sleep(300);
    const out = spawnSync(process.execPath, [CLI, 'export-threats', '--config', join(dir, 'a.yaml'), '--client', 'attacker'], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    expect((JSON.parse(out.stdout) as unknown[]).length).toBeGreaterThanOrEqual(3);
    // And unblock (through Redis) frees it everywhere.
    expect(spawnSync(process.execPath, [CLI, 'unblock', 'attacker', '--config', join(dir, 'b.yaml')]).status).toBe(0);
    expect((await scan(b, t)).status).toBe(200);
    expect((await scan(a, t)).status).toBe(200);
  });

  it('Redis killed mid-run: fail_mode closed refuses (503, not ready), open allows; both recover when it returns', async () => {
    const t = await token(a, 'steady');
    await redis.stop();
    await sleep(200);
    const closed = await scan(a, t);
    expect(closed.status).toBe(503);
    expect((await closed.json()).error.code).toBe('KG_ERR_STATE_UNAVAILABLE');
    expect((await fetch(`${a}/ready`)).status).toBe(503);
    // The routes that check revocation and blocks without a bucket answer 503 too (closed), not a hang or a crash.
    const del = await fetch(`${a}/mcp`, { method: 'DELETE', headers: { authorization: `Bearer ${t}`, 'mcp-session-id': 'x' } });
    expect(del.status).toBe(503);
    const upgrade = await new Promise<number>((ok) => {
      const ws = new WebSocket(`${a.replace('http', 'ws')}/v1/stream`, { headers: { authorization: `Bearer ${t}` } });
      ws.on('unexpected-response', (_req, res) => { ok(res.statusCode ?? 0); ws.terminate(); });
      ws.on('open', () => { ok(101); ws.close(); });
      ws.on('error', () => ok(-1));
    });
    expect(upgrade).toBe(503);
    // fail_mode open everywhere: requests go through, and the instance stays ready.
    expect((await scan(b, t)).status).toBe(200);
    expect((await fetch(`${b}/ready`)).status).toBe(200);
    // Each degraded decision is counted, by kind and decision.
    const degraded = async (at: string) => (await (await fetch(metricsOf.get(at)!)).text()).split('\n').filter((l) => l.startsWith('kindlyguard_state_degraded_total') || l.startsWith('kindlyguard_state_up'));
    expect(await degraded(a)).toEqual(expect.arrayContaining([expect.stringMatching(/kind="rate_limit",decision="refused"} [1-9]/), 'kindlyguard_state_up 0']));
    expect(await degraded(b)).toEqual(expect.arrayContaining([expect.stringMatching(/kind="rate_limit",decision="allowed"} [1-9]/)]));
    await redis.start();
    let ok = 0;
    for (let i = 0; i < 100 && ok !== 200; i++) { ok = (await scan(a, t)).status; if (ok !== 200) await sleep(50); }
    expect(ok).toBe(200);
    expect((await fetch(`${a}/ready`)).status).toBe(200);
  });
});

describe('serve --instances N', () => {
  it('runs N processes on one port, each with its own metrics port; a crashed one is restarted; SIGTERM stops all', async () => {
    const port = await freePort();
    const metrics = 20_000 + Math.floor(Math.random() * 20_000);
    const sup = spawn(process.execPath, [CLI, 'serve', '--config', join(dir, 'a.yaml'), '--port', String(port), '--metrics-port', String(metrics), '--instances', '2'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    sup.stderr!.on('data', (d) => { log += d; });
    const until = async (f: () => boolean | Promise<boolean>, what: string) => {
      for (let i = 0; i < 200; i++) { if (await f()) return; await sleep(50); }
      throw new Error(`timed out waiting for ${what}: ${log}`);
    };
    const up = async (url: string) => { try { return (await fetch(url)).status === 200; } catch { return false; } };
    try {
      await until(() => log.split('scan pool ready').length > 2, 'two instances');
      expect(log).toMatch(/"instance":0/);
      expect(log).toMatch(/"instance":1/);
      await until(() => up(`http://127.0.0.1:${port}/ready`), 'ready');
      const t = await token(`http://127.0.0.1:${port}`, 'steady');
      for (let i = 0; i < 4; i++) expect((await scan(`http://127.0.0.1:${port}`, t)).status).toBe(200);
      expect(await up(`http://127.0.0.1:${metrics}/metrics`)).toBe(true);
      expect(await up(`http://127.0.0.1:${metrics + 1}/metrics`)).toBe(true);
      // Kill one instance: the supervisor restarts it.
      const kids = readFileSync(`/proc/${sup.pid}/task/${sup.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
      expect(kids).toHaveLength(2);
      process.kill(kids[1]!, 'SIGKILL');
      await until(() => log.includes('instance_exited'), 'the exit to be noticed');
      await until(() => log.split('scan pool ready').length > 3, 'the restart');
      await until(() => up(`http://127.0.0.1:${metrics + 1}/metrics`), 'the restarted instance');
      // Its metrics port opens before its Redis connection is up (until then it answers 503, as it should): wait for
      // the instance to report the shared state up, then both instances serve.
      const stateUp = async () => { try { return /^kindlyguard_state_up 1$/m.test(await (await fetch(`http://127.0.0.1:${metrics + 1}/metrics`)).text()); } catch { return false; } };
      await until(stateUp, 'the restarted instance to reach Redis');
      for (let i = 0; i < 4; i++) expect((await scan(`http://127.0.0.1:${port}`, t)).status).toBe(200);
    } finally {
      const code = new Promise((r) => sup.on('exit', r));
      sup.kill('SIGTERM');
      expect(await code).toBe(0);
    }
  }, 60_000);

  it('a Ctrl-C to the whole process group drains every instance; the instances stop when the supervisor is killed', async () => {
    const port = await freePort();
    const grpc = await freePort();
    const cfg = join(dir, 'grpc.yaml');
    writeFileSync(cfg, `${readFileSync(join(dir, 'a.yaml'), 'utf8')}ext_authz:\n  enabled: true\n  grpc_port: ${grpc}\n`);
    const run = async (stopWith: (sup: ChildProcess) => void) => {
      const sup = spawn(process.execPath, [CLI, 'serve', '--config', cfg, '--port', String(port), '--metrics-port', '0', '--instances', '2'],
        { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
      let log = '';
      sup.stderr!.on('data', (d) => { log += d; });
      for (let i = 0; i < 200 && log.split('scan pool ready').length <= 2; i++) await sleep(50);
      const kids = readFileSync(`/proc/${sup.pid}/task/${sup.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
      const exited = new Promise<number | null>((r) => sup.on('exit', r));
      stopWith(sup);
      return { log: () => log, kids, exited };
    };
    // Each instance serves gRPC on its own port (grpc_port + i): none fails to bind and restarts.
    const group = await run((sup) => process.kill(-sup.pid!, 'SIGINT'));
    expect(await group.exited).toBe(0);
    expect(group.log().split('kindly-guard stopped').length - 1).toBe(2);
    expect(group.log()).not.toContain('instance_exited');
    expect(group.log()).toContain(`"grpcPort":${grpc + 1}`);
    // Supervisor killed outright: its instances notice the closed channel and stop.
    const orphaned = await run((sup) => process.kill(sup.pid!, 'SIGKILL'));
    await orphaned.exited;
    const alive = () => orphaned.kids.filter((pid) => { try { process.kill(pid, 0); return true; } catch { return false; } });
    for (let i = 0; i < 100 && alive().length; i++) await sleep(50);
    expect(alive()).toEqual([]);
  }, 60_000);

  it('refuses N > 1 on memory state, or with auth on and no shared signing key', () => {
    const mem = join(dir, 'mem.yaml');
    writeFileSync(mem, 'auth:\n  enabled: false\n');
    const r = spawnSync(process.execPath, [CLI, 'serve', '--config', mem, '--port', '18999', '--instances', '2'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('needs state.backend: redis');
    const nokey = join(dir, 'nokey.yaml');
    writeFileSync(nokey, `state:\n  backend: redis\n  url: ${redis.url}\n`);
    const k = spawnSync(process.execPath, [CLI, 'serve', '--config', nokey, '--port', '18999', '--instances', '2'], { encoding: 'utf8' });
    expect(k.status).toBe(2);
    expect(k.stderr).toContain('auth.signing_key_files');
  });
});
