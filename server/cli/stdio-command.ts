/** `kindly-guard --stdio [--config FILE]`: MCP over stdin/stdout (server, or proxy with `upstream:`). */
import { parseArgs } from 'node:util';
import { loadGatewayConfig } from '../config.js';
import { runStdio } from '../mcp/stdio.js';

export const STDIO_HELP = `Usage: kindly-guard --stdio [--config FILE]

Speaks MCP (newline-delimited JSON-RPC) on stdin/stdout until stdin closes. Without upstream: in the config it is
an MCP server with the tools scan_text, scan_json and security_status and the methods security/threats,
security/client_activity and security/status. With upstream: (an MCP server's URL, or a command to spawn) it is a
proxy that scans every message both ways and applies the policy. Logs are JSON lines on stderr.

Options:
  --config FILE   YAML configuration (scanner:, policy:, server:, upstream: sections)
  -h, --help      show this help
`;

export async function runStdioCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    process.stderr.write(`kindly-guard --stdio: ${(e as Error).message}\n\n${STDIO_HELP}`);
    return 2;
  }
  if (values.help) { process.stdout.write(STDIO_HELP); return 0; }
  return runStdio(loadGatewayConfig(values.config));
}
