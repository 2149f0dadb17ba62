#!/usr/bin/env bash
# Installs Debian packages for the local set-up (ensure-ffmpeg.sh, ensure-chromium.sh, scripts/services.mjs).
#   infra/local/apt-install.sh <package>...
#
# Another apt process (unattended-upgrades, a second terminal, a provisioning agent) may hold the dpkg lock or the
# package lists' lock; apt-get then fails at once with exit 100. This waits for both, bounded by
# MASKLET_APT_LOCK_TIMEOUT seconds (default 300), and says what it waits for. apt's own DPkg::Lock::Timeout covers
# only the dpkg lock, not `apt-get update`'s lists lock, so the wait is one loop around every apt-get call.
#
# `apt-get update` (network) runs only when a package has no install candidate in the current lists, or when an
# install from stale lists fails. apt's output goes to stderr: callers parse stdout (scripts/services.mjs).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <package>..." >&2
  exit 2
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-install: apt-get is not available; install $* by hand" >&2
  exit 1
fi

# Containers usually run as root without sudo; developer machines usually need it.
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "apt-install: $* missing: run as root or install them" >&2
    exit 1
  fi
  SUDO=(sudo)
fi

TIMEOUT="${MASKLET_APT_LOCK_TIMEOUT:-300}"
DEADLINE=$((SECONDS + TIMEOUT))
ERR="$(mktemp)"
trap 'rm -f "$ERR"' EXIT

# apt_get <args>: apt-get with its stdout on stderr, retried every 2 s while another process holds an apt/dpkg lock.
apt_get() {
  local announced=0 rc
  while :; do
    rc=0
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@" 2>"$ERR" >&2 || rc=$?
    if [ "$rc" -eq 0 ]; then
      cat "$ERR" >&2
      return 0
    fi
    if ! grep -q 'Could not get lock' "$ERR"; then
      cat "$ERR" >&2
      return "$rc"
    fi
    if [ "$SECONDS" -ge "$DEADLINE" ]; then
      cat "$ERR" >&2
      echo "apt-install: the apt/dpkg lock was still held after ${TIMEOUT} s (MASKLET_APT_LOCK_TIMEOUT); giving up" >&2
      # Out of the script, not back to the caller: an 'apt-get update and retry' would wait past the bound.
      exit "$rc"
    fi
    if [ $((announced % 15)) -eq 0 ]; then
      # "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1234 (unattended-upgr)"
      local what
      what="$(grep -m1 'Could not get lock' "$ERR" | sed -e 's/^E: Could not get lock //')"
      echo "apt-install: waiting for the apt/dpkg lock ($what); up to $((DEADLINE - SECONDS)) s more" >&2
    fi
    announced=$((announced + 1))
    sleep 2
  done
}

has_candidate() {
  # Captured first: `grep -q` closing the pipe early would fail the pipeline under pipefail (SIGPIPE).
  local policy
  policy="$(apt-cache policy "$1" 2>/dev/null || true)"
  grep -q 'Candidate: [^(]' <<<"$policy"
}

updated=0
for pkg in "$@"; do
  if ! has_candidate "$pkg"; then
    echo "apt-install: apt-get update (no candidate for $pkg in the package lists)" >&2
    apt_get update -qq
    updated=1
    break
  fi
done

echo "apt-install: apt-get install $*" >&2
if ! apt_get install -y -qq --no-install-recommends "$@"; then
  [ "$updated" -eq 0 ] || exit 1
  echo "apt-install: install failed with the current package lists; apt-get update and one retry" >&2
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends "$@"
fi
