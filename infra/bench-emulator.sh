#!/usr/bin/env bash
# The emulator's own cost, side by side: stock moto (the pinned version, unpatched) and the
# patched emulator the local stack runs, driven by one client with the same work
# (infra/scripts/bench_emulator.py). Prints ms per transaction and per Query, and each
# server's RSS, as the table grows. Usage: ./infra/bench-emulator.sh [--steps N] [--every N]
set -euo pipefail
source "$(dirname "$0")/scripts/emulator.sh"
cd "$ROOT"

ensure_venv
stock_port=$(free_port)
"$VENV/bin/python" -m moto.server -H 127.0.0.1 -p "$stock_port" >/dev/null 2>&1 &
stock_pid=$!
stop_both() {
  kill "$stock_pid" 2>/dev/null || true
  wait "$stock_pid" 2>/dev/null || true
  stop_emulator
}
trap stop_both EXIT
start_emulator "$(free_port)"
for _ in $(seq 1 100); do
  "$VENV/bin/python" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
    "http://127.0.0.1:$stock_port/moto-api/" 2>/dev/null && break
  sleep 0.2
done
"$VENV/bin/python" infra/scripts/bench_emulator.py \
  --stock "http://127.0.0.1:$stock_port" --stock-pid "$stock_pid" \
  --patched "$AWS_ENDPOINT_URL" --patched-pid "$EMULATOR_PID" "$@"
