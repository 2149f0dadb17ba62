#!/usr/bin/env bash
# Makes sure Debian's python3 can import the given modules, installing the given Debian packages
# when it cannot (no PyPI here). Idempotent.
#   ensure-debian-python.sh 'torch numpy PIL' python3-torch python3-numpy python3-pil
set -euo pipefail

modules="$(echo "$1" | tr ' ' ',')"
shift
if /usr/bin/python3 -c "import ${modules}" >/dev/null 2>&1; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

# Other jobs on the machine may hold the dpkg lock: wait for it instead of failing.
APT=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 -qq)
$SUDO "${APT[@]}" update
$SUDO "${APT[@]}" install -y "$@"

/usr/bin/python3 -c "import ${modules}"
