#!/bin/sh
# Installs KindlyGuard as a systemd service: a system user, /opt/kindly-guard (root-owned, read-only to the
# service), /etc/kindly-guard (0750, secrets 0400), /var/lib/kindly-guard (0750, the service's). Run as root from a
# built checkout (npm ci && npm prune --omit=dev).
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
id kindly-guard >/dev/null 2>&1 || useradd --system --home-dir /var/lib/kindly-guard --shell /usr/sbin/nologin kindly-guard
install -d -o root -g root -m 0755 /opt/kindly-guard
cp -R "$SRC/dist" "$SRC/build" "$SRC/node_modules" "$SRC/package.json" /opt/kindly-guard/
chown -R root:root /opt/kindly-guard
install -d -o root -g kindly-guard -m 0750 /etc/kindly-guard /etc/kindly-guard/secrets
install -d -o kindly-guard -g kindly-guard -m 0750 /var/lib/kindly-guard
[ -f /etc/kindly-guard/config.yaml ] || install -o root -g kindly-guard -m 0640 "$SRC/deploy/docker/config.yaml" /etc/kindly-guard/config.yaml
install -o root -g root -m 0644 "$SRC/deploy/systemd/kindly-guard.service" /etc/systemd/system/kindly-guard.service
systemctl daemon-reload
echo "installed; put secrets in /etc/kindly-guard/secrets (0400, group kindly-guard), then: systemctl enable --now kindly-guard"
