#!/usr/bin/env bash
# Makes sure Debian's python3 has what the exporter's unit tests need (models/export/test_*.py):
# torch (CPU), numpy and PIL. The tests do not need the sam2 package. Idempotent.
set -euo pipefail

if /usr/bin/python3 -c 'import torch, numpy, PIL' >/dev/null 2>&1; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

# Other jobs on the machine may hold the dpkg lock: wait for it instead of failing.
APT=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 -qq)
$SUDO "${APT[@]}" update
$SUDO "${APT[@]}" install -y python3-torch python3-numpy python3-pil

/usr/bin/python3 -c 'import torch, numpy, PIL'
