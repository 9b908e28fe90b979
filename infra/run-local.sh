#!/usr/bin/env bash
# Runs the whole system locally: the AWS emulator, every resource of template.yaml, the HTTP
# API on http://127.0.0.1:3000, events flowing through the outbox relay, EventBridge and SQS.
# Ctrl-C stops everything it started. Needs no AWS account.
set -euo pipefail
source "$(dirname "$0")/scripts/emulator.sh"
cd "$ROOT"

ensure_venv
trap stop_emulator EXIT
start_emulator "${EMULATOR_PORT:-4566}"
cargo build --quiet -p fountain-local --bin fountain-local
./target/debug/fountain-local up --bind "127.0.0.1:${PORT:-3000}" "$@"
