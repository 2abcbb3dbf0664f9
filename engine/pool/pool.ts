/**
 * createScanPool: the scanner on every CPU core (Piscina, one WASM instance per worker thread).
 *
 * Small scans are batched: a task costs tens of microseconds of thread hand-off whatever its size, more than scanning
 * a 1 KiB message, so scans that arrive while the workers are busy travel together in one task (the numbers that
 * decided this are in the README). With idle workers a scan is dispatched at once, alone, so light load keeps its
 * latency. Tiny inputs can be scanned inline on the caller's thread (`inlineBelowBytes`), where a hand-off would cost
 * more than the scan.
 *
 * Copies: a string is structured-cloned to the worker (one copy, no re-encoding); bytes are copied once into the
 * batch's buffer, which is then transferred (moved) - or, with `transfer: true` on a large scan, the caller's own
 * buffer is moved and not copied at all. Results come back as one transferred Int32Array and a string table.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { ConfigInput } from '../config.js';
import type { ScanResult } from '../threats.js';
import { createScanner, type Scanner } from '../scanner.js';
import { scanJsonBytes, scanRequestJson } from '../scan-request.js';
import { KindlyGuardError } from '../errors.js';
import type { PoolItem, PoolTask } from './worker.js';
import { decodeResults, type EncodedResults } from './result-codec.js';

export interface ScanPoolOptions {
  /** Worker threads (default: the machine's available parallelism). */
  threads?: number;
  /** Scans accepted and not yet answered; more reject with KG_ERR_OVERLOADED (default 8192). */
  maxQueue?: number;
  /** A task running longer is cancelled (its worker replaced) and its scans reject with KG_ERR_TIMEOUT (default 30 000). */
  taskTimeoutMs?: number;
  /** Inputs shorter than this (bytes, or UTF-16 units for strings) are scanned on the caller's thread (default 256: see
   *  the README's inline-vs-pool figures; 0 sends everything to the workers). */
  inlineBelowBytes?: number;
  /** Inputs up to this size are batched; larger ones get a task of their own (default 16 KiB). */
  batchMaxInputBytes?: number;
  /** Scanner configuration for every worker. */
  config?: ConfigInput;
  /** A worker module to run instead of the default one (tests use this to crash and hang workers). */
  workerFile?: string;
}

export interface PoolScanOptions {
  signal?: AbortSignal;
  source?: string;
  /** The caller hands over a Uint8Array's whole buffer: a large scan moves it to the worker without copying. */
  transfer?: boolean;
}

export interface ScanPool {
  scan(input: string | Uint8Array, options?: PoolScanOptions): Promise<ScanResult>;
  scanJson(value: unknown, options?: PoolScanOptions): Promise<ScanResult>;
  /** A scan API JSON body ({"text"} or {"value"}, engine/scan-request.ts), parsed on a worker; malformed -> KG_ERR_BAD_REQUEST. */
  scanRequestJson(body: Uint8Array, options?: PoolScanOptions): Promise<ScanResult>;
  /** A whole JSON document as bytes, parsed and walked on a worker (paths from its root); malformed -> KG_ERR_BAD_REQUEST. */
  scanJsonBytes(doc: Uint8Array, options?: PoolScanOptions): Promise<ScanResult>;
  readonly threads: number;
  /** Scans accepted and not yet answered. */
  readonly pending: number;
  /** Share of the workers' time spent on tasks since the pool started (0..1, from Piscina). */
  readonly utilization: number;
  close(): Promise<void>;
}

export class PoolOverloadedError extends KindlyGuardError {
  constructor(limit: number) { super('KG_ERR_OVERLOADED', `scan pool is full (${limit} scans waiting)`); }
}
export class PoolTimeoutError extends KindlyGuardError {
  constructor(ms: number) { super('KG_ERR_TIMEOUT', `scan took longer than ${ms} ms and was cancelled`); }
}
export class PoolTaskError extends KindlyGuardError {
  constructor(cause: unknown) { super('KG_ERR_WORKER', `scan worker failed: ${(cause as Error)?.message ?? String(cause)}`); }
}
export class PoolClosedError extends KindlyGuardError {
  constructor() { super('KG_ERR_CLOSED', 'scan pool is closed'); }
}

/** The compiled worker entry (dist/engine/pool/worker-entry.cjs, which loads worker.js): worker threads need JavaScript, also when the caller runs TS. */
function defaultWorkerFile(): string {
  for (const rel of ['./worker-entry.cjs', '../../dist/engine/pool/worker-entry.cjs']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new KindlyGuardError('KG_ERR_CORE_MISSING', 'dist/engine/pool/worker-entry.cjs is missing: run `npm run build`');
}

interface Job {
  item: PoolItem;
  bytes?: Uint8Array;
  resolve(r: ScanResult): void;
  reject(e: unknown): void;
  settled: boolean;
  /** Detaches the abort listener once the job settles (a long-lived signal must not collect listeners). */
  detach?: () => void;
}

/** Batches close at this many scans or bytes: big enough to amortize a hand-off, small enough for latency. */
const BATCH_ITEMS = 256;
const BATCH_BYTES = 256 * 1024;

export function createScanPool(options: ScanPoolOptions = {}): ScanPool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const maxQueue = options.maxQueue ?? 8192;
  const timeoutMs = options.taskTimeoutMs ?? 30_000;
  const inlineBelow = options.inlineBelowBytes ?? 256;
  const batchMax = options.batchMaxInputBytes ?? 16 * 1024;
  const piscina = new Piscina<PoolTask, EncodedResults>({
    filename: options.workerFile ?? defaultWorkerFile(), minThreads: threads, maxThreads: threads, concurrentTasksPerWorker: 2,
    workerData: { config: options.config },
  });
  let inline: Scanner | undefined;
  let closed = false;
  let accepted = 0;
  // Two tasks per worker in flight: one running, one ready, so a worker never waits for the main thread.
  const maxTasks = threads * 2;
  let runningTasks = 0;
  // A FIFO with a moving head: Array#shift would move every waiting job on each take.
  let waiting: Job[] = [];
  let head = 0;
  let flushQueued = false;

  function settle(job: Job, result: ScanResult | undefined, error?: unknown) {
    if (job.settled) return;
    job.settled = true;
    job.detach?.();
    accepted--;
    if (error !== undefined) job.reject(error); else job.resolve(result!);
  }

  // One watchdog for all tasks: a timer per task (AbortSignal.timeout) would keep hundreds of thousands of timers
  // alive at full load.
  const running = new Set<{ started: number; controller: AbortController; timedOut: boolean }>();
  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const r of running) if (now - r.started > timeoutMs && !r.timedOut) { r.timedOut = true; r.controller.abort(); }
  }, Math.min(1000, Math.max(1, timeoutMs / 4)));
  watchdog.unref();

  /** Runs one task for jobs; every job settles whatever happens to the worker (no promise is left pending). */
  async function runTask(jobs: Job[], callerSignal?: AbortSignal, ownBuffer?: ArrayBuffer) {
    runningTasks++;
    const entry = { started: performance.now(), controller: new AbortController(), timedOut: false };
    running.add(entry);
    const onCallerAbort = () => entry.controller.abort(callerSignal!.reason);
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const task: PoolTask = { items: jobs.map((j) => j.item) };
    const transferList: ArrayBuffer[] = [];
    if (ownBuffer) {
      task.bytes = ownBuffer;
      transferList.push(ownBuffer);
    } else if (jobs.some((j) => j.bytes)) {
      task.bytes = packBytes(jobs);
      transferList.push(task.bytes);
    }
    try {
      const results = decodeResults(await piscina.run(task, { signal: entry.controller.signal, transferList }));
      jobs.forEach((job, i) => {
        const r = results[i]!;
        if (r instanceof Error) settle(job, undefined, r); else settle(job, r);
      });
    } catch (err) {
      // A value that cannot be handed to a worker (nested too deep for structured clone, or not cloneable) is the
      // input's fault, not the engine's: it must not count as an engine failure (fail_mode: open would let it pass).
      const unclonable = err instanceof RangeError || (err as Error)?.name === 'DataCloneError';
      const error = unclonable ? new KindlyGuardError('KG_ERR_BAD_REQUEST', `the value cannot be scanned: ${(err as Error).message.slice(0, 120)}`)
        : entry.timedOut ? new PoolTimeoutError(timeoutMs)
        : callerSignal?.aborted ? callerSignal.reason
        : closed ? new PoolClosedError() : new PoolTaskError(err);
      for (const job of jobs) settle(job, undefined, error);
    } finally {
      running.delete(entry);
      callerSignal?.removeEventListener('abort', onCallerAbort);
      runningTasks--;
      flush();
    }
  }

  function flush() {
    while (head < waiting.length && runningTasks < maxTasks && !closed) {
      // A burst is shared among the free task slots, so one worker does not take it all while another idles.
      const share = Math.min(BATCH_ITEMS, Math.ceil((waiting.length - head) / (maxTasks - runningTasks)));
      const batch: Job[] = [];
      let size = 0;
      while (head < waiting.length && batch.length < share && size < BATCH_BYTES) {
        const job = waiting[head++]!;
        if (job.settled) continue; // aborted while waiting
        batch.push(job);
        size += job.bytes?.length ?? job.item.text?.length ?? 64;
      }
      if (batch.length) void runTask(batch);
    }
    if (head > 1024 && head * 2 > waiting.length) { waiting = waiting.slice(head); head = 0; }
  }

  function submit(item: PoolItem, size: number, opts: PoolScanOptions | undefined, bytes?: Uint8Array): Promise<ScanResult> {
    if (closed) return Promise.reject(new PoolClosedError());
    if (opts?.signal?.aborted) return Promise.reject(opts.signal.reason);
    if (accepted >= maxQueue) return Promise.reject(new PoolOverloadedError(maxQueue));
    accepted++;
    return new Promise<ScanResult>((resolve, reject) => {
      const job: Job = { item, bytes, resolve, reject, settled: false };
      if (size > batchMax) {
        // A large scan gets a task of its own, and the caller's abort can stop it while it runs.
        const own = bytes && opts?.transfer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
          ? (bytes.buffer as ArrayBuffer) : undefined;
        if (own) { item.start = 0; item.end = bytes!.length; }
        void runTask([job], opts?.signal, own);
        return;
      }
      const signal = opts?.signal;
      if (signal) {
        const onAbort = () => settle(job, undefined, signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        job.detach = () => signal.removeEventListener('abort', onAbort);
      }
      waiting.push(job);
      if (!flushQueued) {
        // Scans submitted in the same turn of the event loop join one batch.
        flushQueued = true;
        queueMicrotask(() => { flushQueued = false; flush(); });
      }
    });
  }

  /** A document given as bytes: inline when small, else parsed and scanned on a worker. */
  function bytesTask(kind: 'request-json' | 'json-bytes', body: Uint8Array, opts: PoolScanOptions | undefined,
    inlineScan: (s: Scanner, b: Uint8Array, o?: { source: string }) => ScanResult): Promise<ScanResult> {
    const scanOpts = opts?.source === undefined ? undefined : { source: opts.source };
    if (body.length < inlineBelow && !closed && !opts?.signal?.aborted) return scanInline((s) => inlineScan(s, body, scanOpts));
    return submit({ kind, source: opts?.source }, body.length, opts, body);
  }

  function scanInline(run: (s: Scanner) => ScanResult): Promise<ScanResult> {
    inline ??= createScanner(options.config);
    try { return Promise.resolve(run(inline)); } catch (err) { return Promise.reject(err); }
  }

  return {
    threads,
    get pending() { return accepted; },
    get utilization() { return piscina.utilization; },
    scan(input, opts) {
      const size = typeof input === 'string' ? input.length : input.length;
      const scanOpts = opts?.source === undefined ? undefined : { source: opts.source };
      if (size < inlineBelow && !closed && !opts?.signal?.aborted) return scanInline((s) => s.scan(input, scanOpts));
      if (typeof input === 'string') return submit({ kind: 'text', text: input, source: opts?.source }, size, opts);
      return submit({ kind: 'bytes', source: opts?.source }, size, opts, input);
    },
    scanJson(value, opts) {
      return submit({ kind: 'json', json: value, source: opts?.source }, batchMax + 1, opts);
    },
    scanRequestJson(body, opts) {
      return bytesTask('request-json', body, opts, scanRequestJson);
    },
    scanJsonBytes(doc, opts) {
      return bytesTask('json-bytes', doc, opts, scanJsonBytes);
    },
    async close() {
      closed = true;
      clearInterval(watchdog);
      for (const job of waiting.slice(head)) settle(job, undefined, new PoolClosedError());
      waiting = [];
      head = 0;
      await piscina.destroy();
    },
  };
}

/** Copies a batch's byte inputs end to end into one buffer (the only copy they get) and records each one's range. */
function packBytes(jobs: Job[]): ArrayBuffer {
  let total = 0;
  for (const j of jobs) if (j.bytes) total += j.bytes.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const j of jobs) {
    if (!j.bytes) continue;
    out.set(j.bytes, at);
    j.item.start = at;
    j.item.end = at += j.bytes.length;
  }
  return out.buffer;
}
