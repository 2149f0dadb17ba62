#!/usr/bin/env bash
# Makes sure Debian's python3 has what the Python SDK (clients/python) needs: requests and numpy
# (Debian packages, no PyPI). Idempotent.
set -euo pipefail

if /usr/bin/python3 -c 'import requests, numpy' >/dev/null 2>&1; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

# Other jobs on the machine may hold the dpkg lock: wait for it instead of failing.
APT=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 -qq)
$SUDO "${APT[@]}" update
$SUDO "${APT[@]}" install -y python3-requests python3-numpy

/usr/bin/python3 -c 'import requests, numpy'
