/** What the load runs share: starting a server and waiting for it, driving it with autocannon, reading RSS. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { input } from './inputs.js';

export const CLI = fileURLToPath(new URL('../dist/server/cli/main.js', import.meta.url));
export const BARE = fileURLToPath(new URL('./bare-uws.mjs', import.meta.url));

/** Starts a child and resolves the port it reports (JSON on stdout for the bare server, the log line for ours). */
export function start(argv: string[], fromStderr: boolean, readyCount = 1): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KINDLY_GUARD_LOG_LEVEL: 'info' } });
  return new Promise((resolve, reject) => {
    let seen = '';
    let port = 0;
    const stream = fromStderr ? child.stderr! : child.stdout!;
    stream.on('data', (d) => {
      seen += d;
      port ||= Number(/"port":(\d+)/.exec(seen)?.[1] ?? 0);
      // Our server is ready when its pool is warm; the bare one as soon as it listens.
      // (readyCount: under --instances every instance says so.)
      if (port && (!fromStderr || seen.split('scan pool ready').length > readyCount)) resolve({ child, port });
    });
    child.on('exit', (code) => reject(new Error(`${argv.join(' ')} exited with ${code}: ${seen}`)));
  });
}

export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

export interface LoadRow { target: string; rate: string; reqPerS: number; p50ms: number; p99ms: number; errors: number; non2xx: number; requests: number }

export async function drive(target: string, port: number, duration: number, connections: number, overallRate?: number, authorization?: string): Promise<LoadRow> {
  const body = Buffer.from(input('english', 1024, 12345));
  const r = await autocannon({
    url: `http://127.0.0.1:${port}/v1/scan`, method: 'POST', body,
    headers: { 'content-type': 'text/plain', ...(authorization && { authorization }) },
    connections, duration, ...(overallRate ? { overallRate } : {}),
  });
  return { target, rate: overallRate ? `${overallRate}/s` : 'max', reqPerS: Math.round(r.requests.average), p50ms: r.latency.p50,
    p99ms: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, requests: r.requests.total };
}


/** CPU seconds (user + system) a process and its children still running have used so far (Linux /proc). */
export function cpuSeconds(pid: number): number {
  const ticks = (p: number) => {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    } catch { return 0; }
  };
  let children: number[] = [];
  try { children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number); } catch { /* none */ }
  return [pid, ...children].reduce((s, p) => s + ticks(p), 0) / 100;
}
