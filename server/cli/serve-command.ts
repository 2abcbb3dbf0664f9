/** `kindly-guard serve`: the gateway on embedded defaults or a config file; SIGTERM/SIGINT drain and exit 0. */
import { parseArgs } from 'node:util';
import { loadGatewayConfig } from '../config.js';
import { startGateway } from '../gateway.js';
import { instancesProblem, superviseInstances } from './instances.js';

export const SERVE_HELP = `Usage: kindly-guard serve [options]

Starts the gateway: POST /v1/scan, WebSocket /v1/stream, MCP at /mcp (server, or proxy with upstream:), OAuth at
/oauth/* and /.well-known/*, GET /health and /ready; Prometheus metrics (GET /metrics) on the metrics port. Without
--config it runs on safe embedded defaults: 127.0.0.1:8080, metrics on 9090, auth on (no clients until configured).

Options:
  --config FILE        YAML configuration (kindly-guard config defaults prints every section and key)
  --host H             address to listen on (overrides server.host)
  --port P             API port, 0 for any free port (overrides server.port)
  --metrics-port M     metrics port, 0 for any free port (overrides server.metrics_port)
  --threads T          scan worker threads (overrides server.threads; 0: one per CPU core)
  --grpc-port G        Envoy gRPC ext_authz port (overrides ext_authz.grpc_port)
  --instances N        N gateway processes sharing the port (needs state.backend: redis); instance i serves
                       metrics on M + i (and gRPC ext_authz on G + i); a crashed instance is restarted
  -h, --help           show this help

Environment: KINDLY_GUARD_LOG_LEVEL (trace|debug|info|warn|error, default info); logs are JSON lines on stderr.
On SIGTERM or SIGINT the server stops accepting, finishes in-flight requests (server.shutdown_timeout_secs)
and exits 0.
`;

function portArg(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${name} must be a port number from 0 to 65535 (got '${v}')`);
  return n;
}

export async function runServe(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, 'metrics-port': { type: 'string' },
        threads: { type: 'string' }, instances: { type: 'string' }, 'grpc-port': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    process.stderr.write(`kindly-guard serve: ${(e as Error).message}\n\n${SERVE_HELP}`);
    return 2;
  }
  if (values.help) { process.stdout.write(SERVE_HELP); return 0; }
  const config = loadGatewayConfig(values.config);
  try {
    if (values.host !== undefined) config.server.host = values.host;
    config.server.port = portArg('--port', values.port) ?? config.server.port;
    config.server.metrics_port = portArg('--metrics-port', values['metrics-port']) ?? config.server.metrics_port;
    config.ext_authz.grpc_port = portArg('--grpc-port', values['grpc-port']) ?? config.ext_authz.grpc_port;
    if (values.threads !== undefined) {
      const t = Number(values.threads);
      if (!Number.isInteger(t) || t < 0 || t > 256) throw new Error(`--threads must be a whole number from 0 to 256 (got '${values.threads}')`);
      config.server.threads = t;
    }
  } catch (e) {
    process.stderr.write(`kindly-guard serve: ${(e as Error).message}\n`);
    return 2;
  }
  if (values.instances !== undefined) {
    const n = Number(values.instances);
    const problem = instancesProblem(n, config);
    if (problem) { process.stderr.write(`kindly-guard serve: ${problem}\n`); return 2; }
    if (n > 1) {
      // Each instance gets the config and address; its metrics port and threads are its own.
      const pass = [...(values.config ? ['--config', values.config] : []), '--host', config.server.host, '--port', String(config.server.port)];
      return superviseInstances(n, config, pass);
    }
  }
  const gateway = await startGateway(config);
  // A promise nobody awaited must not end the server: it is logged instead (handlers are guarded the same way).
  process.on('unhandledRejection', (e) => gateway.context.log.error({ event: 'unhandled_rejection', err: (e as Error)?.message }, 'unhandled rejection'));
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      gateway.context.log.info({ signal }, 'shutting down');
      void gateway.close().then(() => resolve(0), () => resolve(0));
    };
    // `on`, not `once`: a second signal (a process group's Ctrl-C plus the supervisor passing it on) must not kill
    // the drain half-way.
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    // An instance of `serve --instances` stops when its supervisor is gone, rather than serve on unsupervised.
    if (process.env.KINDLY_GUARD_INSTANCE !== undefined && process.send) process.on('disconnect', () => stop('supervisor gone'));
  });
}
