#!/usr/bin/env bash
# Runs the whole system locally: the AWS emulator, every resource of template.yaml, the HTTP
# API on http://127.0.0.1:$PORT (3000), events flowing through the outbox relay, EventBridge
# and SQS. The emulator listens on 127.0.0.1:$EMULATOR_PORT (4566). Ctrl-C (or SIGTERM) stops
# everything it started. Needs no AWS account.
set -euo pipefail
source "$(dirname "$0")/scripts/emulator.sh"
cd "$ROOT"

port="${PORT:-3000}"
emulator_port="${EMULATOR_PORT:-4566}"
require_free_port "$port" PORT "another program (another run-local.sh?)"
require_free_port "$emulator_port" EMULATOR_PORT "another emulator or program"
if [ "$port" = "$emulator_port" ]; then
  echo "error: PORT and EMULATOR_PORT are both $port: give them different ports" >&2
  exit 1
fi

ensure_venv
# The runner is built with the feature resolution of ./infra/test.sh's build (the whole
# workspace, dev-dependencies included: a test target in the selection brings them in), so
# neither command rebuilds the dependencies the other built (docs/decisions.md, 32). Only
# the runner and its small command-line test are built.
echo "==> cargo build: the local runner (the first build takes a few minutes)" >&2
cargo build --workspace --bin fountain-local --test local_cli

RUNNER_PID=
stop_all() {
  if [ -n "$RUNNER_PID" ]; then
    stop_process "$RUNNER_PID" 20
    RUNNER_PID=
  fi
  stop_emulator
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start_emulator "$emulator_port"
# In the background so that a signal to this script alone also stops it (the trap above); a
# Ctrl-C reaches both, and the runner stops within a second.
./target/debug/fountain-local up --bind "127.0.0.1:$port" "$@" &
RUNNER_PID=$!
status=0
wait "$RUNNER_PID" || status=$?
RUNNER_PID=
exit "$status"
