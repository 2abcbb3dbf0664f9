/**
 * A real redis-server for the shared-state tests and `npm run load -- --instances N`: found or installed by scripts/ensure-redis.sh,
 * started on a free port in a temp dir, without persistence. stop() and start() again on the same port stand for
 * Redis going away and coming back.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as { port: number }; s.close(() => ok(port)); });
    s.on('error', fail);
  });
}

export interface TestRedis { url: string; port: number; readonly pid: number; start(): Promise<void>; stop(): Promise<void> }

export async function startRedis(): Promise<TestRedis> {
  const bin = execFileSync(join(ROOT, 'scripts/ensure-redis.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'kg-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const r: TestRedis = {
    url: `redis://127.0.0.1:${port}`, port,
    get pid() { return child?.pid ?? 0; },
    start: () => new Promise((ok, fail) => {
      const c = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      let out = '';
      const t = setTimeout(() => fail(new Error(`redis-server did not start: ${out}`)), 10_000);
      c.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) { clearTimeout(t); ok(); }
      });
      c.on('exit', (code) => { clearTimeout(t); if (!out.includes('Ready')) fail(new Error(`redis-server exited (${code}): ${out}`)); });
    }),
    stop: () => new Promise((ok) => {
      if (!child || child.exitCode !== null) { ok(); return; }
      child.once('exit', () => ok());
      child.kill('SIGKILL');
    }),
  };
  await r.start();
  return r;
}
