/**
 * createScanPool: the scanner on every CPU core (Piscina, one WASM instance per worker thread). Bytes are moved to
 * the worker (transfer, no copy); strings go by structured clone. A bounded queue rejects with a distinct overload
 * error, a task timeout and AbortSignal cancel work, and a crashed worker's tasks reject (Piscina replaces it).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { ConfigInput } from '../config.js';
import type { ScanResult } from '../threats.js';
import { KindlyGuardError } from '../errors.js';
import type { PoolTask } from './worker.js';

export interface ScanPoolOptions {
  /** Worker threads (default: the machine's available parallelism). */
  threads?: number;
  /** Tasks waiting beyond the running ones; more reject with KG_ERR_OVERLOADED (default 1024). */
  maxQueue?: number;
  /** A scan running longer is cancelled and rejects with KG_ERR_TIMEOUT (default 30 000). */
  taskTimeoutMs?: number;
  /** Scanner configuration for every worker. */
  config?: ConfigInput;
}

export interface PoolScanOptions {
  signal?: AbortSignal;
  source?: string;
}

export interface ScanPool {
  scan(input: string | Uint8Array, options?: PoolScanOptions): Promise<ScanResult>;
  scanJson(value: unknown, options?: PoolScanOptions): Promise<ScanResult>;
  readonly threads: number;
  close(): Promise<void>;
}

export class PoolOverloadedError extends KindlyGuardError {
  constructor(limit: number) { super('KG_ERR_OVERLOADED', `scan pool queue is full (${limit} waiting)`); }
}
export class PoolTimeoutError extends KindlyGuardError {
  constructor(ms: number) { super('KG_ERR_TIMEOUT', `scan took longer than ${ms} ms and was cancelled`); }
}
export class PoolTaskError extends KindlyGuardError {
  constructor(cause: unknown) { super('KG_ERR_WORKER', `scan worker failed: ${(cause as Error)?.message ?? String(cause)}`); }
}

/** The compiled worker (dist/engine/pool/worker.js): worker threads need JavaScript, also when the caller runs TS. */
function workerFile(): string {
  for (const rel of ['./worker.js', '../../dist/engine/pool/worker.js']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new KindlyGuardError('KG_ERR_CORE_MISSING', 'dist/engine/pool/worker.js is missing: run `npm run build`');
}

export function createScanPool(options: ScanPoolOptions = {}): ScanPool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const maxQueue = options.maxQueue ?? 1024;
  const timeoutMs = options.taskTimeoutMs ?? 30_000;
  const piscina = new Piscina<PoolTask, ScanResult>({
    filename: workerFile(), minThreads: threads, maxThreads: threads, workerData: { config: options.config },
  });

  // The bound is kept here, not left to Piscina: its own queue limit is not applied to a burst that arrives before
  // the workers are up.
  let inFlight = 0;

  async function run(task: PoolTask, transfer: ArrayBuffer[], opts?: PoolScanOptions): Promise<ScanResult> {
    if (inFlight >= threads + maxQueue) throw new PoolOverloadedError(maxQueue);
    inFlight++;
    try {
      return await runTask(task, transfer, opts);
    } finally {
      inFlight--;
    }
  }

  async function runTask(task: PoolTask, transfer: ArrayBuffer[], opts?: PoolScanOptions): Promise<ScanResult> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts?.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    try {
      return await piscina.run(task, { signal, transferList: transfer });
    } catch (err) {
      if (timeout.aborted) throw new PoolTimeoutError(timeoutMs);
      if (opts?.signal?.aborted) throw err; // the caller's own abort: its reason, unchanged
      throw new PoolTaskError(err);
    }
  }

  return {
    threads,
    scan(input, opts) {
      if (typeof input === 'string') return run({ kind: 'text', text: input, source: opts?.source }, [], opts);
      // One copy into a buffer this pool owns, then the buffer moves to the worker without another.
      const bytes = input.slice().buffer as ArrayBuffer;
      return run({ kind: 'bytes', bytes, source: opts?.source }, [bytes], opts);
    },
    scanJson(value, opts) {
      return run({ kind: 'json', json: value, source: opts?.source }, [], opts);
    },
    close() {
      return piscina.destroy();
    },
  };
}
