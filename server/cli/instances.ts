/**
 * `kindly-guard serve --instances N`: N gateway processes sharing one port on one machine (uWebSockets.js listens
 * with SO_REUSEPORT, so the kernel spreads connections among them). Each instance gets its own metrics port (metrics
 * port + instance number), its own gRPC ext_authz port likewise, and, unless server.threads says otherwise, its share
 * of the CPU cores for scan workers. State must be shared (state.backend: redis): with memory state every limit would
 * multiply by N. A crashed instance is restarted with backoff; one that keeps failing at start stops the lot (exit 1).
 * SIGTERM/SIGINT are passed on; instances that have not drained within the shutdown timeout are killed. Instances
 * stop by themselves when the supervisor is gone (they watch its IPC channel).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { GatewayConfig } from '../config.js';

const MAIN = fileURLToPath(new URL('./main.js', import.meta.url));
/** Exits within this long after a start count as failing at start; this many in a row and the supervisor gives up. */
const EARLY_EXIT_MS = 10_000;
const MAX_EARLY_EXITS = 5;

/** Why N instances cannot run with this config, or undefined when they can. */
export function instancesProblem(n: number, config: GatewayConfig): string | undefined {
  if (!Number.isInteger(n) || n < 1 || n > 64) return '--instances must be a whole number from 1 to 64';
  if (n === 1) return undefined;
  if (config.state.backend !== 'redis') return `--instances ${n} needs state.backend: redis (memory state is per process: rate limits, revocations and replay checks would not be shared)`;
  if (config.auth.enabled && !config.auth.signing_key_files.length) {
    return `--instances ${n} with auth on needs auth.signing_key_files (kindly-guard keygen): each instance would otherwise make its own key and refuse the others' tokens`;
  }
  if (config.server.port === 0) return `--instances ${n} needs a fixed --port (instances share it)`;
  if (config.server.unix_socket) return `--instances ${n} cannot share server.unix_socket (one process per socket file): run one instance per socket`;
  return undefined;
}

export function superviseInstances(n: number, config: GatewayConfig, serveArgs: string[]): Promise<number> {
  const threads = config.server.threads || Math.max(1, Math.floor(availableParallelism() / n));
  const children = new Map<number, ChildProcess>();
  const earlyExits = new Map<number, number>();
  let stopping = false;
  let failed = false;
  const note = (fields: Record<string, unknown>, msg: string) =>
    process.stderr.write(`${JSON.stringify({ level: 30, time: Date.now(), role: 'supervisor', ...fields, msg })}\n`);
  const offset = (port: number, i: number) => (port === 0 ? 0 : port + i);

  return new Promise((resolve) => {
    const finish = () => { if (children.size === 0) resolve(failed ? 1 : 0); };
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      note({ event: 'instances_stopping', signal }, 'stopping gateway instances');
      for (const c of children.values()) c.kill(signal);
      // Whatever has not drained by then (the instances' own timeout, and a margin) is killed.
      setTimeout(() => { for (const c of children.values()) c.kill('SIGKILL'); }, config.server.shutdown_timeout_secs * 1000 + 5000).unref();
      finish();
    };
    const start = (i: number, backoffMs = 1000) => {
      const args = ['serve', ...serveArgs, '--metrics-port', String(offset(config.server.metrics_port, i)), '--threads', String(threads),
        ...(config.ext_authz.grpc_port ? ['--grpc-port', String(offset(config.ext_authz.grpc_port, i))] : [])];
      const child = fork(MAIN, args, { env: { ...process.env, KINDLY_GUARD_INSTANCE: String(i) }, stdio: 'inherit' });
      const began = Date.now();
      children.set(i, child);
      child.on('exit', (code, signal) => {
        children.delete(i);
        if (stopping) { finish(); return; }
        const early = Date.now() - began < EARLY_EXIT_MS;
        const count = early ? (earlyExits.get(i) ?? 0) + 1 : 0;
        earlyExits.set(i, count);
        if (count >= MAX_EARLY_EXITS) {
          failed = true;
          note({ event: 'instances_failing', instance: i, code, signal, starts: count }, `instance ${i} failed ${count} times at start: stopping all`);
          stop('SIGTERM');
          return;
        }
        // Up for a while: the next crash starts the backoff again.
        const wait = early ? backoffMs : 1000;
        note({ event: 'instance_exited', instance: i, code, signal, restart_in_ms: wait }, 'gateway instance exited: restarting');
        setTimeout(() => { if (!stopping) start(i, Math.min(wait * 2, 30_000)); }, wait).unref();
      });
    };
    for (let i = 0; i < n; i++) start(i);
    note({ event: 'instances_started', instances: n, port: config.server.port, threads_each: threads }, `started ${n} gateway instances`);
    // `on`: a terminal's Ctrl-C reaches the whole process group, and a repeated signal must not cut the drain short.
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}
