#!/usr/bin/env bash
# Prints the path of a redis-server (Redis 7 or Valkey) for the shared-state tests, installing Debian's package
# when none is found and this user may (root). KINDLY_GUARD_REDIS_SERVER names one explicitly.
set -euo pipefail
find_server() {
  for c in "${KINDLY_GUARD_REDIS_SERVER:-}" "$(command -v redis-server || true)" "$(command -v valkey-server || true)" /usr/bin/redis-server /usr/sbin/redis-server; do
    if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; return 0; fi
  done
  return 1
}
if find_server; then exit 0; fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "redis-server not found: install Redis 7 (Debian: apt-get install redis-server) or set KINDLY_GUARD_REDIS_SERVER" >&2
  exit 1
fi
echo "installing redis-server from Debian's packages (for the shared-state tests)..." >&2
export DEBIAN_FRONTEND=noninteractive
# The package's service is never started here (tests start their own server on a free port).
install() { apt-get -o DPkg::Lock::Timeout=120 install -y --no-install-recommends redis-server >&2; }
install || { apt-get -o DPkg::Lock::Timeout=120 update >&2 && install; }
find_server
