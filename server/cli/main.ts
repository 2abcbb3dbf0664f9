#!/usr/bin/env node
/** kindly-guard command line: dispatches to one module per command. */
import { runScan, SCAN_HELP } from './scan-command.js';
import { KindlyGuardError } from '../../engine/errors.js';

const VERSION = '0.1.0';

const HELP = `kindly-guard ${VERSION} - security scanner for AI and MCP traffic

Usage: kindly-guard <command> [options]

Commands:
  scan [PATH...|-]     scan files, directories or stdin for Unicode attacks and injection
                       (kindly-guard scan --help for options)

Options:
  -h, --help           show this help
  -v, --version        print the version

Exit codes: 0 clean, 1 threats found (severity medium or above), 2 usage or input error.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    case '-v':
    case '--version':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case 'scan':
      return runScan(rest);
    default:
      process.stderr.write(`kindly-guard: unknown command '${command}'\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    const msg = err instanceof KindlyGuardError ? `${err.code}: ${err.message}` : (err as Error)?.stack ?? String(err);
    process.stderr.write(`kindly-guard: ${msg}\n`);
    process.exitCode = 2;
  },
);

export { SCAN_HELP };
