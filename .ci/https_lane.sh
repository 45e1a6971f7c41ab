#!/usr/bin/env bash
# The HTTPS lane: the production recipe on loopback. PostgreSQL (URL in $1), `practice serve`
# (gunicorn) on 127.0.0.1:8000, Caddy from deploy/Caddyfile with `tls internal` on
# https://localhost:8443, and the diary driven through it in Chromium (tests/test_https_lane.py).
set -euo pipefail
cd "$(dirname "$0")/.."
database_url=$1
work=$(mktemp -d /tmp/practice-https.XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

export DATABASE_URL=$database_url PRACTICE_INSTANCE_PATH=$work/instance
export PRACTICE_PUBLIC_URL=https://localhost:8443 PRACTICE_SESSION_COOKIE_SECURE=true
export PRACTICE_PROXY_FIX_X_FOR=1
.venv/bin/practice db upgrade >/dev/null
.venv/bin/practice users create --name "Lane Admin" --email lane@example.com --role admin \
  --practice "Praxis HTTPS" --password "lane password 12345" >/dev/null
.venv/bin/practice serve --port 8000 --workers 2 >"$work/gunicorn.log" 2>&1 &
pids+=($!)

# The production Caddyfile, with the certificate from Caddy's own CA instead of Let's Encrypt.
{
  printf '{\n\tadmin off\n\tskip_install_trust\n\thttp_port 8080\n\thttps_port 8443\n\tstorage file_system %s/caddy\n}\n' "$work"
  sed -e 's/^{\$PRACTICE_DOMAIN} {$/localhost:8443 {\n\ttls internal/' deploy/Caddyfile
} >"$work/Caddyfile"
grep -q "tls internal" "$work/Caddyfile"
caddy run --adapter caddyfile --config "$work/Caddyfile" >"$work/caddy.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 60); do
  curl -ksf -o /dev/null https://localhost:8443/login && break
  sleep 0.5
done
curl -ksf -o /dev/null https://localhost:8443/login || { cat "$work/gunicorn.log" "$work/caddy.log"; exit 1; }
if grep -q "/d/[A-Za-z0-9_-]\{20,\}" "$work/gunicorn.log" "$work/caddy.log"; then
  echo "a diary token reached a log"; exit 1
fi
PRACTICE_HTTPS_URL=https://localhost:8443 .venv/bin/python -m pytest -m https -p no:cacheprovider \
  tests/test_https_lane.py || { cat "$work/gunicorn.log"; exit 1; }
# The token must not reach a log after the diary was used either.
if grep -q "/d/[A-Za-z0-9_-]\{20,\}" "$work/gunicorn.log" "$work/caddy.log"; then
  echo "a diary token reached a log"; exit 1
fi
rm -rf "$work"
