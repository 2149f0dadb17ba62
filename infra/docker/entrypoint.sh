#!/bin/sh
# Masklet image entrypoint: one image, several roles. Runs under tini (PID 1), which forwards SIGTERM to node, so
# the worker's own SIGTERM handler (hand the running job back, close queues, exit 0) is the whole shutdown flow.
#   api      the NestJS API (port API_PORT; /healthz, /readyz; /metrics on API_METRICS_PORT)
#   worker   a BullMQ worker (metrics on WORKER_METRICS_PORT)
#   migrate  applies prisma/migrations to DATABASE_URL (offline runner; Helm pre-install/pre-upgrade Job)
#   cli      tenant / key administration, e.g. `cli tenant:create acme`
# Anything else is executed as given (e.g. `sh`).
set -e
cd /app
role="${1:-api}"
case "$role" in
  api)
    shift
    exec node dist/apps/api/src/main.js "$@"
    ;;
  worker)
    shift
    exec node dist/apps/worker/src/main.js "$@"
    ;;
  migrate)
    shift
    exec node dist/scripts/db-migrate.js "$@"
    ;;
  cli)
    shift
    exec node dist/apps/api/src/cli.js "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
