#!/usr/bin/env bash
# Local PostgreSQL, Redis and S3 (s3rver) for tests, the demo and CI; see scripts/services.mjs.
#   infra/local/services.sh [up|env|status|stop]      e.g.  eval "$(infra/local/services.sh up)"
set -euo pipefail
exec node "$(dirname "$0")/../../scripts/services.mjs" "$@"
