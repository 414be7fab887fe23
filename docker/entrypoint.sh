#!/bin/sh
# ROLE chooses the process: the HTTP API (api, all) or a job worker.
set -e
case "${ROLE:-all}" in
  worker) exec node dist/apps/worker/src/main.js ;;
  api|all) exec node dist/apps/api/src/main.js ;;
  *) echo "ROLE must be api, worker or all (got '$ROLE')" >&2; exit 78 ;;
esac
