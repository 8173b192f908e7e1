#!/usr/bin/env bash
# npm run test:secrets: runs the unit, integration and e2e suites with a secret spool (every
# secret they issue or use, every output, error, log line and n8n execution record they see),
# then searches the spool for the secrets: zero hits expected. .ci/run does the same in its flow.
set -euo pipefail
cd "$(dirname "$0")/.."
PONTO_SECRET_SPOOL=$(mktemp -d -t ponto-secret-spool-XXXXXX)
export PONTO_SECRET_SPOOL
trap 'rm -rf "$PONTO_SECRET_SPOOL"' EXIT
status=0
npm test || status=1
npm run test:e2e || status=1
npx jest -c jest.secrets.config.js || status=1
exit $status
