/**
 * npm run load -- --instances N [--seconds S] [--connections C] [--json]: what sharing state in Redis costs, and what
 * N processes on one port give. Starts a real redis-server (scripts/redis-server.ts), then drives POST /v1/scan with
 * 1 KiB bodies and a bearer token against: one gateway on memory state, one on Redis state (alternating, twice each,
 * so machine noise hits both alike), and `serve --instances N` on Redis state. Prints req/s and p99 for each, the
 * Redis cost (1 - redis/memory, target <= 25%) and the N-process speed-up over one process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcrypt';
import { newKeyPairPem } from '../server/auth/keys.js';
import { startRedis, freePort } from '../scripts/redis-server.js';
import { CLI, cpuSeconds, drive, start, type LoadRow } from './load-tools.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
const instances = arg('--instances', 2);
const seconds = arg('--seconds', 10);
const connections = arg('--connections', 32);
const json = args.includes('--json');
const say = (s: string) => { if (!json) process.stderr.write(`${s}\n`); };
if (!Number.isInteger(instances) || instances < 2) { console.error('--instances must be 2 or more'); process.exit(2); }

const redis = await startRedis();
const dir = mkdtempSync(join(tmpdir(), 'kg-load-n-'));
const secret = randomBytes(24).toString('base64url');
writeFileSync(join(dir, 'signing.pem'), newKeyPairPem().privatePem);
const base = `auth:\n  signing_key_files: [${JSON.stringify(join(dir, 'signing.pem'))}]\n  allowed_clients:\n` +
  `    - { client_id: load, client_secret_hash: '${await bcrypt.hash(secret, 10)}', allowed_scopes: [scan] }\n` +
  // Limits out of the way, but the bucket is still taken on every request: its cost is what is measured.
  'rate_limit:\n  clients:\n    load: { rpm: 10000000, burst: 1000000 }\n';
const memoryCfg = join(dir, 'memory.yaml'), redisCfg = join(dir, 'redis.yaml');
writeFileSync(memoryCfg, base);
writeFileSync(redisCfg, `${base}state:\n  backend: redis\n  url: ${redis.url}\n`);

async function bearer(port: number): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${port}/oauth/token`, { method: 'POST', body: 'grant_type=client_credentials',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`load:${secret}`).toString('base64')}` } });
  return `Bearer ${((await r.json()) as { access_token: string }).access_token}`;
}

type Row = LoadRow & { gatewayCpuUsPerReq: number; redisCpuUsPerReq: number };

/** Starts a gateway, drives it at max load, stops it; with the CPU the gateway processes and Redis spent per request. */
async function run(target: string, cfg: string, n: number): Promise<Row> {
  const port = n > 1 ? await freePort() : 0;
  const flags = ['serve', '--config', cfg, '--port', String(port), '--metrics-port', '0', ...(n > 1 ? ['--instances', String(n)] : [])];
  const g = await start([CLI, ...flags], true, n);
  try {
    // Ready means the pool is warm and the shared state answers.
    for (let i = 0; i < 100 && (await fetch(`http://127.0.0.1:${g.port}/ready`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 50));
    say(`${target}: ${seconds} s at max load...`);
    const token = await bearer(g.port);
    const [gw0, rd0] = [cpuSeconds(g.child.pid!), cpuSeconds(redis.pid)];
    const row = await drive(target, g.port, seconds, connections, undefined, token);
    const per = (s: number) => Math.round((s / row.requests) * 1e6);
    return { ...row, gatewayCpuUsPerReq: per(cpuSeconds(g.child.pid!) - gw0), redisCpuUsPerReq: per(cpuSeconds(redis.pid) - rd0) };
  } finally {
    const exited = new Promise((r) => g.child.on('exit', r));
    g.child.kill('SIGTERM');
    await exited;
  }
}

try {
  const rows: Row[] = [];
  for (let round = 0; round < 2; round++) {
    rows.push(await run('1 process, memory state', memoryCfg, 1));
    rows.push(await run('1 process, Redis state', redisCfg, 1));
  }
  rows.push(await run(`${instances} processes, Redis state`, redisCfg, instances));
  const mean = (t: string) => rows.filter((r) => r.target === t).reduce((s, r) => s + r.reqPerS, 0) / rows.filter((r) => r.target === t).length;
  const memory = mean('1 process, memory state'), shared = mean('1 process, Redis state'), many = mean(`${instances} processes, Redis state`);
  const cpu = (t: string) => rows.filter((r) => r.target === t).reduce((s, r) => s + r.gatewayCpuUsPerReq, 0) / rows.filter((r) => r.target === t).length;
  const report = { instances, seconds, connections, rows, redisCost: +(1 - shared / memory).toFixed(3), speedup: +(many / shared).toFixed(3),
    gatewayCpuCost: +(cpu('1 process, Redis state') / cpu('1 process, memory state') - 1).toFixed(3) };
  if (json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`\nPOST /v1/scan, 1 KiB English bodies, auth on, ${connections} connections, ${seconds} s per row (autocannon and redis-server on the same machine)`);
    console.log('target                          req/s   p50 ms   p99 ms   errors  non-2xx   gateway CPU us/req   Redis CPU us/req');
    for (const r of rows) {
      console.log(`${r.target.padEnd(30)} ${String(r.reqPerS).padStart(7)} ${String(r.p50ms).padStart(8)} ${String(r.p99ms).padStart(8)} ${String(r.errors).padStart(8)} ${String(r.non2xx).padStart(8)}` +
        `${String(r.gatewayCpuUsPerReq).padStart(21)} ${String(r.redisCpuUsPerReq).padStart(18)}`);
    }
    console.log(`\nRedis-backed state costs ${(report.redisCost * 100).toFixed(1)}% of single-process memory-state throughput (target <= 25% ${report.redisCost <= 0.25 ? 'met' : 'MISSED'})`);
    console.log(`gateway CPU per request, Redis vs memory state: ${report.gatewayCpuCost >= 0 ? '+' : ''}${(report.gatewayCpuCost * 100).toFixed(1)}% ` +
      '(the rest of the throughput cost is redis-server and autocannon taking the same cores)');
    console.log(`${instances} processes / 1 process (both on Redis): ${report.speedup}x`);
  }
} finally {
  await redis.stop();
}
