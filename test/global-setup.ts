/**
 * Once before any test file: a redis-server for the shared-state tests (found, or installed from Debian's packages
 * by scripts/ensure-redis.sh). Done here, not per file, so two files never run apt-get at once.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const script = fileURLToPath(new URL('../scripts/ensure-redis.sh', import.meta.url));
  process.env.KINDLY_GUARD_REDIS_SERVER = execFileSync(script, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
}
