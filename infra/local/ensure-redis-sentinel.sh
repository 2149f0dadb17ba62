#!/usr/bin/env bash
# Makes sure redis-server can run as a Sentinel (`redis-server <conf> --sentinel`), which the Redis failover test
# (test/faults/redis-sentinel-failover.test.ts) starts next to a primary and its replicas. Debian's redis-server
# package ships Sentinel mode in the same binary; the redis-sentinel package only adds a service around it.
# Idempotent: does nothing when redis-server is installed (MASKLET_APT_VERIFY=1 runs the apt step anyway).
set -euo pipefail

# A build without Sentinel support would not list the mode in its usage text.
has_sentinel() {
  command -v redis-server >/dev/null 2>&1 || return 1
  # Captured first: `grep -q` closing the pipe early would fail the pipeline under pipefail (SIGPIPE).
  local usage
  usage="$(redis-server --help 2>&1 || true)"
  grep -q -- '--sentinel' <<<"$usage"
}

if [ "${MASKLET_APT_VERIFY:-0}" != "1" ] && has_sentinel; then
  exit 0
fi

bash "$(dirname "$0")/apt-install.sh" redis-server

if ! has_sentinel; then
  echo "ensure-redis-sentinel: redis-server is installed but has no Sentinel mode" >&2
  exit 1
fi
