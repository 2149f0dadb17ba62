#!/usr/bin/env bash
# Makes sure Debian's chromium is at /usr/bin/chromium: the dashboard's browser tests drive it with
# playwright-core (no browser download). Idempotent; MASKLET_BROWSER_TESTS=off skips it.
set -euo pipefail

if [ "${MASKLET_BROWSER_TESTS:-on}" = "off" ] || [ -x /usr/bin/chromium ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

test -x /usr/bin/chromium
