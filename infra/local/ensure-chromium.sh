#!/usr/bin/env bash
# Makes sure Debian's chromium is at /usr/bin/chromium: the dashboard's browser tests drive it with
# playwright-core (no browser download). Idempotent; MASKLET_BROWSER_TESTS=off skips it.
# MASKLET_APT_VERIFY=1 runs the apt step even when chromium is installed.
set -euo pipefail

if [ "${MASKLET_BROWSER_TESTS:-on}" = "off" ]; then
  exit 0
fi
if [ "${MASKLET_APT_VERIFY:-0}" != "1" ] && [ -x /usr/bin/chromium ]; then
  exit 0
fi

bash "$(dirname "$0")/apt-install.sh" chromium

test -x /usr/bin/chromium
