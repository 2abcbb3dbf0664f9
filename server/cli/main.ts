#!/usr/bin/env node
/** kindly-guard command line: dispatches to one module per command. */
import { runScan, SCAN_HELP } from './scan-command.js';
import { runServe } from './serve-command.js';
import { runStdioCommand } from './stdio-command.js';
import { runHashSecret, runKeygen } from './keys-command.js';
import { runConfig, runExport, runHealth, runUnblock } from './ops-command.js';
import { KindlyGuardError } from '../../engine/errors.js';
import { VERSION } from '../version.js';



const HELP = `kindly-guard ${VERSION} - security scanner for AI and MCP traffic

Usage: kindly-guard <command> [options]

Commands:
  scan [PATH...|-]     scan files, directories or stdin for Unicode attacks and injection
                       (kindly-guard scan --help for options)
  serve                run the gateway: HTTP scan API, WebSocket stream, MCP, metrics
                       (kindly-guard serve --help for options)
  --stdio              MCP server (or, with upstream: configured, MCP proxy) over stdin/stdout
                       (kindly-guard --stdio --help for options)
  keygen --out FILE    make an Ed25519 key for signing access tokens
  hash-secret          bcrypt a client secret read from stdin, for auth.allowed_clients
  export-threats       threat events from the store as JSON, CSV or SARIF (--since "1 hour ago")
  unblock CLIENT       lift an incident-response block
  health               exit 0 when the running server answers /health (container health checks)
  config check FILE    validate a configuration, naming every problem
  config defaults      print every key that has a default, as YAML

Options:
  -h, --help           show this help
  -v, --version        print the version

Exit codes: 0 clean, 1 threats found (severity medium or above), 2 usage or input error.
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  scan: runScan,
  '--stdio': runStdioCommand,
  'export-threats': runExport,
  unblock: runUnblock,
  health: runHealth,
  config: runConfig,
  keygen: runKeygen,
  'hash-secret': runHashSecret,
  // Exit explicitly once drained: idle keep-alive connections would otherwise hold the process open.
  serve: async (argv) => process.exit(await runServe(argv)),
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || ['-h', '--help', 'help'].includes(command)) {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command]! : undefined;
  if (run) return run(rest);
  process.stderr.write(`kindly-guard: unknown command '${command}'\n\n${HELP}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    const msg = err instanceof KindlyGuardError ? `${err.code}: ${err.message}` : (err as Error)?.stack ?? String(err);
    process.stderr.write(`kindly-guard: ${msg}\n`);
    // Exit now: a half-started server may hold handles that would keep the process alive.
    process.exit(2);
  },
);

export { SCAN_HELP };
