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

# apt-install.sh waits (bounded, saying so) while another apt process holds the locks.
bash "$(dirname "$0")/apt-install.sh" "$@"

/usr/bin/python3 -c "import ${modules}"
