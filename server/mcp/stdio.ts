/**
 * `kindly-guard --stdio`: MCP over stdin/stdout, newline-delimited JSON-RPC, one session for the process. With
 * `upstream:` configured it proxies (the client on our stdio, the upstream per config). Logs go to stderr only:
 * stdout carries nothing but protocol messages.
 */
import { createInterface } from 'node:readline';
import { createLogger } from '../logging.js';
import type { GatewayConfig } from '../config.js';
import { createMetrics } from '../metrics.js';
import { createContext, createGatewayPool } from '../context.js';
import { createMcpEndpoint } from './endpoint.js';
import { dispatch, parsePayload } from './dispatch.js';
import type { ProxySession } from './upstream.js';

export async function runStdio(config: GatewayConfig, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<number> {
  const log = createLogger(config.logging);
  const pool = createGatewayPool(config);
  const ctx = createContext(config, pool, createMetrics(pool), log);
  const endpoint = createMcpEndpoint(ctx, log);
  const session: ProxySession = { clientId: 'stdio', initialized: false, transport: 'mcp_stdio' };
  const write = (v: unknown) => { output.write(JSON.stringify(v) + '\n'); };
  log.info({ mode: endpoint.mode }, 'kindly-guard MCP on stdio');
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (!line.trim()) continue;
      const parsed = parsePayload(line);
      if ('error' in parsed) { write(parsed.error); continue; }
      const { responses, batch } = await dispatch(endpoint, parsed.value, session, Buffer.from(line));
      if (responses.length) write(batch ? responses : responses[0]);
    }
  } finally {
    await ctx.close();
    await endpoint.close();
    await pool.close();
  }
  return 0;
}
