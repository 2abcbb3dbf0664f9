/** The package's version, from package.json (one place, for --version, SARIF, MCP serverInfo and the update check). */
import { existsSync, readFileSync } from 'node:fs';

// server/version.ts in the source tree, dist/server/version.js when built: package.json is one or two levels up.
const file = [new URL('../package.json', import.meta.url), new URL('../../package.json', import.meta.url)].find((u) => existsSync(u))!;
export const VERSION: string = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
