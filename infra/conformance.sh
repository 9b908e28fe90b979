#!/usr/bin/env bash
# Property-based conformance of the API against its document: schemathesis (pinned in
# infra/conformance-requirements.txt, installed into .venv) generates requests for every
# operation of docs/openapi.json and checks every answer against it (no server error, status
# codes, content types, headers and bodies as documented). It runs against the whole local
# stack (emulator and runner on free ports) with an administrator's development token; the
# rate limit is raised first, so the run measures the API rather than the limiter, and
# `logout` (which would revoke the token mid-run) and `put_config` (which would change the
# settings under test) are left out. EXAMPLES (default 3; the test command uses 10) bounds
# the examples per operation, SEED (default 1) the generator. infra/conformance.toml lists
# the rules a schema cannot state.
# One worker: with several threads, Python 3.11's AST module sometimes fails inside
# hypothesis ("AST constructor recursion depth mismatch", CPython gh-106905).
set -euo pipefail
source "$(dirname "$0")/scripts/emulator.sh"
cd "$ROOT"

ensure_venv_extras conformance "schemathesis"
cargo build --workspace --bin fountain-local --test local_cli

RUNNER_PID=
stop_all() {
  if [ -n "$RUNNER_PID" ]; then
    stop_process "$RUNNER_PID" 20
  fi
  stop_emulator
}
trap stop_all EXIT
start_emulator "$(free_port)"
port=$(free_port)
# The stack's own log lines (one per request and event) go to a file, so the output shows
# schemathesis's report; the file stays for reading after a failure.
mkdir -p .local
./target/debug/fountain-local up --bind "127.0.0.1:$port" --prefix conformance \
  >.local/conformance-stack.log 2>&1 &
RUNNER_PID=$!
api="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -sf "$api/health" >/dev/null 2>&1 && break
  sleep 1
done
token=$(./target/debug/fountain-local token --user conformance --roles admin --minutes 120)
curl -sf -X PUT "$api/config/MAX_REQUESTS_PER_MINUTE" -H "Authorization: Bearer $token" \
  -H 'content-type: application/json' -d '{"value": 100000}' >/dev/null
"$VENV/bin/schemathesis" --config-file infra/conformance.toml run docs/openapi.json --url "$api" \
  -H "Authorization: Bearer $token" \
  --exclude-operation-id logout --exclude-operation-id put_config \
  --max-examples "${EXAMPLES:-3}" --seed "${SEED:-1}" --workers 1 \
  --report junit --report-junit-path .local/conformance.xml
